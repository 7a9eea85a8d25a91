// VaultApp: the personal vault web app as a pure request -> response function.
//
// Owns the shared state (templates, static files, unlocked sessions, unlock throttle) and the
// router; knows nothing of sockets, so tests and the HttpServer drive it the same way.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "server/app_context.h"
#include "server/request.h"
#include "server/response.h"
#include "server/router.h"

namespace rempart::server {

class VaultApp {
 public:
  // Loads <web_dir>/templates and <web_dir>/static.
  static Result<std::unique_ptr<VaultApp>> Create(AppConfig config, const std::string& web_dir);

  // Thread-safe.
  Response Handle(Request& request);
  // The page for a request rejected before routing (see ErrorHandler in http_server.h).
  Response HandleError(http::status status, const http::request_header<>& header);
  // Locks vaults left idle too long; call now and then.
  void ExpireIdleSessions() { app_.sessions.ExpireIdle(); }
  // Locks every vault (server shutdown).
  void LockAll() { app_.sessions.Clear(); }

 private:
  VaultApp(AppConfig config, Templates templates, StaticFiles static_files);
  AppContext app_;
  Router router_;
};

}  // namespace rempart::server
