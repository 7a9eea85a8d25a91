// VaultServer: the vault web app on an HttpServer, plus a timer that locks idle vaults.
// RunServer uses it with signal handling; tests start one in-process on port 0.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "core/status.h"
#include "server/http_server.h"
#include "server/serve_options.h"
#include "server/vault_app.h"

namespace rempart::server {

class VaultServer {
 public:
  // Checks the options (a non-loopback address needs allow_remote), finds the web files,
  // binds and starts serving.
  static Result<std::unique_ptr<VaultServer>> Start(const ServeOptions& options);
  ~VaultServer();  // Stop(), Wait()

  uint16_t port() const { return http_->port(); }
  void Stop();
  // Blocks until stopped, then locks every vault.
  void Wait();

 private:
  VaultServer() = default;
  std::unique_ptr<VaultApp> app_;
  std::unique_ptr<HttpServer> http_;
  std::jthread sweeper_;  // ExpireIdleSessions() every little while
  std::mutex mutex_;
  std::condition_variable_any wake_;
};

}  // namespace rempart::server
