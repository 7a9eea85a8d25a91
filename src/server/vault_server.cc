#include "server/vault_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>

#include "evidence/vault.h"
#include "server/loopback.h"
#include "server/media_pages.h"
#include "server/web_root.h"

namespace rempart::server {
namespace {

constexpr auto kSweepInterval = std::chrono::seconds(20);
// Uploads are held in memory: past this, the command line is the better tool anyway.
constexpr int kMaxUploadMb = 1024;

}  // namespace

Result<std::unique_ptr<VaultServer>> VaultServer::Start(const ServeOptions& options) {
  if (options.port < 0 || options.port > 65535) {
    return Error(Code::kUsage, "{} is not a port number (0 to 65535)", options.port);
  }
  if (options.idle_lock_minutes < 1) {
    return Error(Code::kUsage, "the idle lock must be at least 1 minute");
  }
  if (options.max_upload_mb < 1 || options.max_upload_mb > kMaxUploadMb) {
    return Error(Code::kUsage, "the upload limit must be between 1 and {} MB", kMaxUploadMb);
  }
  if (!IsLoopbackAddress(options.bind)) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(options.bind, ec);
    if (ec) return Error(Code::kUsage, "'{}' is not an IP address to listen on", options.bind);
    if (!options.allow_remote) {
      return Error(Code::kUsage,
                   "refusing to serve your vault on {}: other computers could reach it. Use "
                   "127.0.0.1, or add --allow-remote if you really mean it",
                   options.bind);
    }
    spdlog::warn("serving the vault on {}, which other computers may reach: put TLS in front of it",
                 options.bind);
  }
  auto web_dir = FindWebRoot(options.web_dir);
  if (!web_dir.ok()) return web_dir.status();

  AppConfig config;
  config.vault_path = options.vault_path.empty() ? Vault::DefaultPath() : options.vault_path;
  config.behind_tls = options.behind_tls;
  config.loopback_only = !options.allow_remote;
  config.idle_lock = std::chrono::minutes(options.idle_lock_minutes);
  config.quick_exit_url = options.quick_exit_url;
  config.max_upload_bytes = static_cast<uint64_t>(options.max_upload_mb) << 20;
  auto app = VaultApp::Create(std::move(config), web_dir->string());
  if (!app.ok()) return app.status();

  std::unique_ptr<VaultServer> server(new VaultServer());
  server->app_ = std::move(app).value();
  HttpServerOptions http_options;
  http_options.bind_address = options.bind;
  http_options.port = static_cast<uint16_t>(options.port);
  http_options.read_timeout = options.read_timeout;
  http_options.write_timeout = options.write_timeout;
  http_options.is_upload = IsMediaUpload;
  http_options.upload_body_limit =
      (static_cast<size_t>(options.max_upload_mb) << 20) + kUploadFormOverhead;
  VaultApp* vault_app = server->app_.get();
  server->http_ = std::make_unique<HttpServer>(
      http_options, [vault_app](Request& request) { return vault_app->Handle(request); },
      [vault_app](http::status status, const http::request_header<>& header) {
        return vault_app->HandleError(status, header);
      });
  REMPART_RETURN_IF_ERROR(server->http_->Start());
  server->sweeper_ = std::jthread([raw = server.get()](std::stop_token stop) {
    std::unique_lock lock(raw->mutex_);
    while (!raw->wake_.wait_for(lock, stop, kSweepInterval, [] { return false; })) {
      if (stop.stop_requested()) break;
      raw->app_->ExpireIdleSessions();
    }
  });
  return server;
}

VaultServer::~VaultServer() {
  Stop();
  Wait();
}

void VaultServer::Stop() {
  if (http_) http_->Stop();
}

void VaultServer::Wait() {
  if (http_) http_->Wait();
  if (sweeper_.joinable()) {
    sweeper_.request_stop();
    sweeper_.join();
  }
  if (app_) app_->LockAll();
}

}  // namespace rempart::server
