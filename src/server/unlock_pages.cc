#include "server/unlock_pages.h"

#include <filesystem>

#include "crypto/secret_bytes.h"
#include "evidence/vault.h"
#include "server/page.h"

namespace rempart::server {
namespace {

struct UnlockForm {
  std::string error;   // next to the passphrase field
  std::string notice;  // above the form
};

// The form with a CSRF token that matches the browser's rempart_csrf cookie.
Response ShowUnlockForm(Page& page, const Request& request, http::status status,
                        const UnlockForm& form) {
  std::string csrf = request.Cookie(kUnlockCsrfCookie).value_or("");
  if (csrf.size() != 64) {
    csrf = RandomToken();
    page.AddCookie(FormatSetCookie(kUnlockCsrfCookie, csrf, page.app().SessionCookieOptions()));
  }
  TemplateData data = TemplateData::type::object;
  data.set("csrf", csrf);
  if (!form.error.empty()) data.set("error", form.error);
  if (!form.notice.empty()) data.set("notice", form.notice);
  return page.Render(status, "unlock", page.t().tr("Unlock your evidence vault"), std::move(data));
}

Response ShowNoVault(Page& page, bool wiped) {
  TemplateData data = TemplateData::type::object;
  data.set("wiped", wiped);
  data.set("path", page.app().config.vault_path);
  const char* title = wiped ? "This vault was wiped" : "No evidence vault yet";
  return page.Render(wiped ? http::status::gone : http::status::not_found, "no_vault",
                     page.t().tr(title), std::move(data));
}

bool VaultFileExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

Response Home(AppContext& app, Request& request) {
  Page page(app, request);
  return page.Redirect(page.session() ? "/cases" : "/unlock");
}

Response UnlockGet(AppContext& app, Request& request) {
  Page page(app, request);
  if (page.session()) return page.Redirect("/cases");
  if (!VaultFileExists(app.config.vault_path)) return ShowNoVault(page, false);
  UnlockForm form;
  auto locked = request.Query("locked");
  if (locked == "idle") {
    form.notice = page.t().tr("Your vault was locked. Unlock it again to go on.");
  } else if (locked) {
    form.notice = page.t().tr("Your vault is locked.");
  }
  return ShowUnlockForm(page, request, http::status::ok, form);
}

Response UnlockPost(AppContext& app, Request& request) {
  Page page(app, request);
  const Translator& t = page.t();
  auto cookie = request.Cookie(kUnlockCsrfCookie);
  auto field = request.FormField("csrf");
  if (!cookie || !field || !TokensEqual(*cookie, *field)) {
    return ShowUnlockForm(page, request, http::status::forbidden,
                          {.notice = t.tr("This form had expired. Please enter your passphrase "
                                          "again.")});
  }
  auto passphrase_field = request.FormField("passphrase");
  if (!passphrase_field || passphrase_field->empty()) {
    return ShowUnlockForm(page, request, http::status::bad_request,
                          {.error = t.tr("Enter your passphrase.")});
  }
  SecretBytes passphrase(*passphrase_field);

  // One attempt at a time: the throttle must see each failure before the next try.
  std::lock_guard lock(app.unlock_mutex);
  if (auto wait = app.throttle.Wait(); wait.count() > 0) {
    Response response = ShowUnlockForm(
        page, request, http::status::too_many_requests,
        {.error =
             t.trf("Too many wrong passphrases. Wait {} seconds, then try again.", wait.count())});
    response.headers.set(http::field::retry_after, std::to_string(wait.count()));
    return response;
  }
  auto vault = Vault::Open(app.config.vault_path, passphrase);
  if (!vault.ok()) {
    switch (vault.status().code()) {
      case Code::kWrongPassphrase:
        app.throttle.RecordFailure();
        return ShowUnlockForm(page, request, http::status::unauthorized,
                              {.error = t.tr("This passphrase does not open the vault. Check "
                                             "it and try again.")});
      case Code::kNoVault:
        return ShowNoVault(page, false);
      case Code::kWiped:
        return ShowNoVault(page, true);
      default:
        return page.ErrorPage(http::status::internal_server_error, t.Explain(vault.status()));
    }
  }
  app.throttle.RecordSuccess();
  if (!page.session_token().empty()) app.sessions.Remove(page.session_token());
  auto created = app.sessions.Create(std::move(vault).value());
  page.AddCookie(FormatSetCookie(kSessionCookie, created.token, app.SessionCookieOptions()));
  return page.Redirect("/cases");
}

Response LockPost(AppContext& app, Request& request) {
  Page page(app, request);
  auto session = page.session();
  if (!session) return page.RedirectToUnlock();
  auto field = request.FormField("csrf");
  if (!field || !TokensEqual(*field, session->csrf_token)) {
    return page.ErrorPage(http::status::forbidden,
                          page.t().tr("This form had expired. Go back, reload the page and try "
                                      "again."));
  }
  session.reset();
  app.sessions.Remove(page.session_token());
  page.AddCookie(FormatClearCookie(kSessionCookie, app.SessionCookieOptions()));
  return page.Redirect("/unlock?locked=1");
}

}  // namespace

void AddUnlockPages(Router& router, AppContext& app) {
  router.Add(http::verb::get, "/", [&app](Request& r) { return Home(app, r); });
  router.Add(http::verb::get, "/unlock", [&app](Request& r) { return UnlockGet(app, r); });
  router.Add(http::verb::post, "/unlock", [&app](Request& r) { return UnlockPost(app, r); });
  router.Add(http::verb::post, "/lock", [&app](Request& r) { return LockPost(app, r); });
}

}  // namespace rempart::server
