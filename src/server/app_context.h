// AppContext: what the page handlers of one server share. Owned by VaultApp; no globals.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/i18n.h"
#include "server/cookies.h"
#include "server/static_files.h"
#include "server/templates.h"
#include "server/unlock_throttle.h"
#include "server/vault_sessions.h"

namespace rempart::server {

inline constexpr std::string_view kSessionCookie = "rempart_session";
inline constexpr std::string_view kLanguageCookie = "rempart_lang";
// Before unlocking there is no session, so the unlock form's CSRF token is a double-submit
// cookie: the form's hidden field must equal it.
inline constexpr std::string_view kUnlockCsrfCookie = "rempart_csrf";

struct AppConfig {
  std::string vault_path;
  bool behind_tls = false;    // cookies get Secure
  bool loopback_only = true;  // answer only requests whose Host names this computer
  std::chrono::seconds idle_lock{std::chrono::minutes(15)};
  std::string quick_exit_url = "https://www.google.com/search?q=weather";
  uint64_t max_upload_bytes = 64ull << 20;  // one photo or video on the media page
};

struct AppContext {
  AppContext(AppConfig config, Templates templates, StaticFiles static_files)
      : config(std::move(config)),
        templates(std::move(templates)),
        static_files(std::move(static_files)),
        sessions(this->config.idle_lock) {
    for (const auto& language : Translator::SupportedLanguages()) {
      translators.emplace(language, Translator::ForLanguage(language));
    }
  }

  // The translator for a supported language code; English otherwise.
  const Translator& TranslatorFor(std::string_view language) const {
    auto it = translators.find(std::string(language));
    return it != translators.end() ? it->second : translators.at("en");
  }
  CookieOptions SessionCookieOptions() const {
    return CookieOptions{.http_only = true, .secure = config.behind_tls, .same_site = "Strict"};
  }

  const AppConfig config;
  const Templates templates;
  const StaticFiles static_files;
  VaultSessions sessions;
  UnlockThrottle throttle;
  std::mutex unlock_mutex;  // one Argon2id at a time: each may take hundreds of MiB
  std::map<std::string, Translator> translators;
};

}  // namespace rempart::server
