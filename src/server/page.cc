#include "server/page.h"

#include "server/cookies.h"

namespace rempart::server {
namespace {

constexpr auto kLanguageCookieLifetime = std::chrono::hours(24 * 365);

bool IsSupported(std::string_view language) {
  for (const auto& supported : Translator::SupportedLanguages()) {
    if (language == supported) return true;
  }
  return false;
}

// Only our own paths go into the language links: never "//host" or a backslash trick.
bool IsLocalPath(std::string_view path) {
  return !path.empty() && path.front() == '/' && (path.size() < 2 || path[1] != '/') &&
         path.find('\\') == std::string_view::npos;
}

}  // namespace

Page::Page(AppContext& app, const Request& request) : app_(app) {
  if (request.valid_target() && IsLocalPath(request.path())) path_ = request.path();
  Init(request.message().base(), request.Query("lang"));
}

Page::Page(AppContext& app, const http::fields& fields) : app_(app) { Init(fields, std::nullopt); }

void Page::Init(const http::fields& fields, std::optional<std::string> query_language) {
  auto cookie_header = fields[http::field::cookie];
  auto cookies = ParseCookieHeader({cookie_header.data(), cookie_header.size()});
  if (auto it = cookies.find(std::string(kSessionCookie)); it != cookies.end()) {
    session_token_ = it->second;
  }
  if (query_language && IsSupported(*query_language)) {
    language_ = *query_language;
    CookieOptions options{.http_only = true,
                          .secure = app_.config.behind_tls,
                          .same_site = "Lax",
                          .max_age = kLanguageCookieLifetime};
    AddCookie(FormatSetCookie(kLanguageCookie, language_, options));
  } else if (auto it = cookies.find(std::string(kLanguageCookie));
             it != cookies.end() && IsSupported(it->second)) {
    language_ = it->second;
  } else {
    auto accept = fields[http::field::accept_language];
    language_ = Translator::FromAcceptLanguage({accept.data(), accept.size()});
  }
  t_ = &app_.TranslatorFor(language_);
}

std::shared_ptr<VaultSession> Page::session() {
  if (!session_checked_) {
    session_checked_ = true;
    session_ = app_.sessions.Find(session_token_);
  }
  return session_;
}

void Page::AddCookie(std::string line) { cookies_.push_back(std::move(line)); }

Response Page::Render(http::status status, std::string_view name, const std::string& title,
                      TemplateData data) {
  auto body = app_.templates.Render(name, std::move(data), *t_);
  if (!body.ok()) {
    return Finish(TextResponse(http::status::internal_server_error, t_->Explain(body.status())));
  }
  TemplateData layout = TemplateData::type::object;
  layout.set("lang", language_);
  layout.set("title", title);
  layout.set("body", *body);
  layout.set("quick_exit_url", app_.config.quick_exit_url);
  layout.set("href_en", path_ + "?lang=en");
  layout.set("href_fr", path_ + "?lang=fr");
  layout.set("is_en", language_ == "en");
  layout.set("is_fr", language_ == "fr");
  if (auto unlocked = session()) {
    layout.set("unlocked", true);
    layout.set("csrf", unlocked->csrf_token);
  } else {
    layout.set("unlocked", false);
  }
  auto html = app_.templates.Render("layout", std::move(layout), *t_);
  if (!html.ok()) {
    return Finish(TextResponse(http::status::internal_server_error, t_->Explain(html.status())));
  }
  return Finish(HtmlResponse(status, std::move(*html)));
}

Response Page::Redirect(std::string_view location) { return Finish(RedirectResponse(location)); }

Response Page::ErrorPage(http::status status, const std::string& message) {
  TemplateData data = TemplateData::type::object;
  data.set("status", std::to_string(static_cast<unsigned>(status)));
  data.set("message", message);
  return Render(status, "error", message, std::move(data));
}

Response Page::RedirectToUnlock() {
  if (session_token_.empty()) return Redirect("/unlock");
  AddCookie(FormatClearCookie(kSessionCookie, app_.SessionCookieOptions()));
  return Redirect("/unlock?locked=idle");
}

Response Page::Finish(Response response) {
  for (auto& line : cookies_) response.headers.insert(http::field::set_cookie, line);
  cookies_.clear();
  return response;
}

}  // namespace rempart::server
