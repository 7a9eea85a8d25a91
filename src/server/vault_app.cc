#include "server/vault_app.h"

#include <filesystem>

#include "server/loopback.h"
#include "server/media_pages.h"
#include "server/page.h"
#include "server/unlock_pages.h"
#include "server/vault_pages.h"

namespace rempart::server {
namespace {

Response ServeStatic(const StaticFiles& files, Request& request) {
  const auto* file = files.Find(request.Param("name"));
  if (!file) return TextResponse(http::status::not_found, "Not found");
  Response response;
  response.headers.set(http::field::content_type, file->mime);
  response.body = file->content;
  return response;
}

std::string ErrorMessage(http::status status, const Translator& t) {
  switch (status) {
    case http::status::bad_request:
      return t.tr("The browser sent a request Rempart does not understand.");
    case http::status::not_found:
      return t.tr("There is no such page.");
    case http::status::method_not_allowed:
      return t.tr("This page cannot be used that way.");
    case http::status::payload_too_large:
      return t.tr("What was sent is too large.");
    case http::status::request_header_fields_too_large:
      return t.tr("The request is too large: its headers or cookies are too long.");
    case http::status::length_required:
      return t.tr("Send the file with its length (a Content-Length header).");
    case http::status::service_unavailable:
      return t.tr("Rempart is busy. Wait a moment, then try again.");
    default:
      return t.tr(
          "Something went wrong in Rempart. Try again; if it goes on, restart "
          "Rempart.");
  }
}

}  // namespace

Result<std::unique_ptr<VaultApp>> VaultApp::Create(AppConfig config, const std::string& web_dir) {
  std::filesystem::path root(web_dir);
  auto templates = Templates::Load(root / "templates");
  if (!templates.ok()) return templates.status();
  for (const char* name : {"layout", "error", "unlock", "no_vault", "cases", "case", "entry",
                           "media", "media_report", "media_preview"}) {
    if (!templates->Has(name)) {
      return Error(Code::kNotFound, "the page template {}.html is missing from {}", name,
                   (root / "templates").string());
    }
  }
  auto static_files = StaticFiles::Load(root / "static");
  if (!static_files.ok()) return static_files.status();
  return std::unique_ptr<VaultApp>(
      new VaultApp(std::move(config), std::move(*templates), std::move(*static_files)));
}

VaultApp::VaultApp(AppConfig config, Templates templates, StaticFiles static_files)
    : app_(std::move(config), std::move(templates), std::move(static_files)) {
  AddUnlockPages(router_, app_);
  AddVaultPages(router_, app_);
  AddMediaPages(router_, app_);
  router_.Add(http::verb::get, "/static/{name}",
              [this](Request& request) { return ServeStatic(app_.static_files, request); });
}

Response VaultApp::Handle(Request& request) {
  if (!request.valid_target()) {
    Response response = HandleError(http::status::bad_request, request.message().base());
    response.close = true;  // a client this confused should start afresh
    return response;
  }
  if (app_.config.loopback_only && !IsLoopbackHost(request.Header(http::field::host))) {
    Page page(app_, request);
    Response response = page.ErrorPage(http::status::misdirected_request,
                                       page.t().tr("Rempart answers only at this computer's own "
                                                   "address, such as http://127.0.0.1:8080/."));
    response.close = true;
    return response;
  }
  Router::Match match = router_.Route(request.method(), request.path());
  if (match.outcome == Router::Outcome::kNotFound) {
    Page page(app_, request);
    return page.ErrorPage(http::status::not_found, ErrorMessage(http::status::not_found, page.t()));
  }
  if (match.outcome == Router::Outcome::kMethodNotAllowed) {
    Page page(app_, request);
    Response response = page.ErrorPage(http::status::method_not_allowed,
                                       ErrorMessage(http::status::method_not_allowed, page.t()));
    response.headers.set(http::field::allow, match.allow);
    return response;
  }
  for (auto& [name, value] : match.params) request.params[name] = value;
  Response response = (*match.handler)(request);
  response.route = match.pattern;
  return response;
}

Response VaultApp::HandleError(http::status status, const http::request_header<>& header) {
  bool refused_upload =
      status == http::status::payload_too_large || status == http::status::service_unavailable;
  if (refused_upload && IsMediaUpload(header)) return MediaUploadRefused(app_, status, header);
  Page page(app_, header);
  return page.ErrorPage(status, ErrorMessage(status, page.t()));
}

}  // namespace rempart::server
