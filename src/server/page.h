// Page: the per-request view state every HTML answer shares, and the layout around it.
//
// Picks the language (?lang=xx, which is then remembered in a cookie; else the language
// cookie; else Accept-Language), finds the browser's unlocked vault from its session cookie,
// and renders a template inside layout.html: quick-exit button, language switch, Lock button.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/app_context.h"
#include "server/request.h"
#include "server/response.h"

namespace rempart::server {

class Page {
 public:
  Page(AppContext& app, const Request& request);
  // For answers to requests that never reached a handler: only header fields are known.
  Page(AppContext& app, const http::fields& fields);

  AppContext& app() { return app_; }
  const Translator& t() const { return *t_; }
  const std::string& language() const { return language_; }

  // The unlocked vault of this browser, or nullptr (answer with RedirectToUnlock()).
  std::shared_ptr<VaultSession> session();
  // The raw session cookie, possibly stale.
  const std::string& session_token() const { return session_token_; }

  // Queues a Set-Cookie line for the response.
  void AddCookie(std::string line);

  // `name` rendered inside the layout; `title` is already translated.
  Response Render(http::status status, std::string_view name, const std::string& title,
                  TemplateData data);
  Response Redirect(std::string_view location);
  Response ErrorPage(http::status status, const std::string& message);
  // To the unlock form; forgets a stale session cookie and says the vault was locked.
  Response RedirectToUnlock();

 private:
  void Init(const http::fields& fields, std::optional<std::string> query_language);
  Response Finish(Response response);

  AppContext& app_;
  std::string path_ = "/";
  std::string language_;
  const Translator* t_ = nullptr;
  std::string session_token_;
  bool session_checked_ = false;
  std::shared_ptr<VaultSession> session_;
  std::vector<std::string> cookies_;
};

}  // namespace rempart::server
