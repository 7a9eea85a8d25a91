#include "server/vault_pages.h"

#include <fmt/format.h>

#include <boost/beast/core/file.hpp>
#include <optional>

#include "evidence/bundle_export.h"
#include "server/entry_view.h"
#include "server/form.h"
#include "server/page.h"
#include "server/private_temp_dir.h"

namespace rempart::server {
namespace {

// Entry content is decrypted into memory to be sent; past this, the bundle is the way.
constexpr uint64_t kMaxContentBytes = 256ull * 1024 * 1024;

using VaultHandler = Response (*)(Page&, Vault&, Request&);

// Runs `handler` with this browser's vault, held for the request; or sends it to unlock.
Response WithVault(AppContext& app, Request& request, VaultHandler handler) {
  Page page(app, request);
  auto session = page.session();
  if (!session) return page.RedirectToUnlock();
  std::lock_guard lock(session->mutex);
  return handler(page, *session->vault, request);
}

Response Failure(Page& page, const Status& status) {
  if (status.code() == Code::kNotFound) {
    return page.ErrorPage(http::status::not_found, page.t().Explain(status));
  }
  return page.ErrorPage(http::status::internal_server_error, page.t().Explain(status));
}

Response NoSuchCase(Page& page) {
  return page.ErrorPage(http::status::not_found, page.t().tr("There is no such case."));
}

// The case named by the URL's {id} into `out`, or the page to answer instead.
std::optional<Response> LoadCase(Page& page, Vault& vault, Request& request, CaseInfo& out) {
  auto id = ParseId(request.Param("id"));
  if (!id) return NoSuchCase(page);
  auto found = vault.FindCase(std::to_string(*id));
  if (found.status().code() == Code::kNotFound) return NoSuchCase(page);
  if (!found.ok()) return Failure(page, found.status());
  out = std::move(found).value();
  return std::nullopt;
}

// Only letters, digits, '.', '-' and '_' in a Content-Disposition file name.
std::string SafeFileName(std::string_view name) {
  std::string out;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out.empty() ? "content" : out;
}

Response CasesPage(Page& page, Vault& vault, Request&) {
  auto cases = vault.ListCases();
  if (!cases.ok()) return Failure(page, cases.status());
  TemplateData list = TemplateData::type::list;
  for (const auto& info : *cases) list.push_back(CaseCard(info, page.t()));
  TemplateData data = TemplateData::type::object;
  data.set("has_cases", !cases->empty());
  data.set("cases", list);
  return page.Render(http::status::ok, "cases", page.t().tr("Your cases"), std::move(data));
}

Response CasePage(Page& page, Vault& vault, Request& request) {
  CaseInfo info;
  if (auto answer = LoadCase(page, vault, request, info)) return std::move(*answer);
  EntryListing listing = vault.ListEntries(info.id);
  TemplateData data = CaseCard(info, page.t());
  TemplateData entries = TemplateData::type::list;
  for (const auto& entry : listing.entries) entries.push_back(EntryRow(entry, page.t()));
  data.set("has_entries", !listing.entries.empty());
  data.set("entry_list", entries);
  TemplateData damaged = TemplateData::type::list;
  for (const auto& record : listing.damaged) {
    TemplateData item = TemplateData::type::object;
    item.set("what", record.what);
    item.set("reason", record.reason);
    damaged.push_back(std::move(item));
  }
  data.set("has_damaged", !listing.damaged.empty());
  data.set("damaged", damaged);
  return page.Render(http::status::ok, "case", info.title, std::move(data));
}

Response EntryPage(Page& page, Vault& vault, Request& request) {
  auto id = ParseId(request.Param("id"));
  if (!id) return page.ErrorPage(http::status::not_found, page.t().tr("There is no such entry."));
  auto entry = vault.GetEntry(*id);
  if (!entry.ok()) return Failure(page, entry.status());
  TemplateData data = EntryDetails(*entry, page.t());
  std::string title = page.t().trf("Entry {}", entry->id);
  data.set("heading", title);
  return page.Render(http::status::ok, "entry", title, std::move(data));
}

Response EntryContent(Page& page, Vault& vault, Request& request) {
  auto id = ParseId(request.Param("id"));
  if (!id) return page.ErrorPage(http::status::not_found, page.t().tr("There is no such entry."));
  auto entry = vault.GetEntry(*id);
  if (!entry.ok()) return Failure(page, entry.status());
  if (entry->size > kMaxContentBytes) {
    // 413 is about requests, but no status says "too large to answer"; the page explains.
    return page.ErrorPage(http::status::payload_too_large,
                          page.t().tr("This file is too large to show here. Download the "
                                      "case's bundle to get it."));
  }
  Response response;
  response.body.reserve(entry->size);
  Status read = vault.ReadContent(*entry, [&](std::span<const uint8_t> bytes) {
    if (response.body.size() + bytes.size() > kMaxContentBytes) {
      return Error(Code::kInvalidInput, "the content is larger than recorded");
    }
    response.body.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return Status::Ok();
  });
  if (!read.ok()) return Failure(page, read);
  std::string mime = entry->mime.empty() ? "application/octet-stream" : entry->mime;
  bool inline_image = ShowsInline(mime);
  response.headers.set(http::field::content_type, inline_image ? mime : "application/octet-stream");
  response.headers.set(http::field::content_disposition,
                       fmt::format("{}; filename=\"{}\"", inline_image ? "inline" : "attachment",
                                   SafeFileName(BundleFileName(*entry))));
  // Evidence is hostile content: whatever it is, it runs nothing and loads nothing.
  response.headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
  return response;
}

Response CaseBundle(Page& page, Vault& vault, Request& request) {
  CaseInfo info;
  if (auto answer = LoadCase(page, vault, request, info)) return std::move(*answer);
  auto dir = PrivateTempDir::Create();
  if (!dir.ok()) return Failure(page, dir.status());
  std::string name = fmt::format("case-{}-bundle.zip", info.id);
  std::string path = (dir->path() / name).string();
  auto summary = ExportCase(vault, info, path, page.t());
  if (!summary.ok()) return Failure(page, summary.status());
  http::file_body::value_type file;
  boost::beast::error_code ec;
  file.open(path.c_str(), boost::beast::file_mode::scan, ec);
  if (ec)
    return Failure(page, Error(Code::kIo, "cannot read the bundle just written: {}", ec.message()));
  // `dir` is removed as this function returns; the open file stays readable until it is
  // sent, and then its bytes are gone from the disk too.
  Response response;
  response.file = std::move(file);
  response.headers.set(http::field::content_type, "application/zip");
  response.headers.set(http::field::content_disposition,
                       fmt::format("attachment; filename=\"{}\"", name));
  return response;
}

}  // namespace

void AddVaultPages(Router& router, AppContext& app) {
  auto add = [&](std::string_view pattern, VaultHandler handler) {
    router.Add(http::verb::get, pattern,
               [&app, handler](Request& request) { return WithVault(app, request, handler); });
  };
  add("/cases", CasesPage);
  add("/cases/{id}", CasePage);
  add("/cases/{id}/bundle", CaseBundle);
  add("/entries/{id}", EntryPage);
  add("/entries/{id}/content", EntryContent);
}

}  // namespace rempart::server
