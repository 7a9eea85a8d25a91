// `rempart serve`: the personal evidence vault in the browser, http://127.0.0.1:8080/.
//
// The CLI fills ServeOptions and calls RunServer, which serves until SIGINT or SIGTERM, then
// locks every vault (wiping its keys from memory) and returns the process exit code. The vault
// server is personal: binding to anything but a loopback address is refused unless
// allow_remote is set, and even then put TLS in front (behind_tls marks cookies Secure).
#pragma once

#include <chrono>
#include <string>

namespace rempart {

struct ServeOptions {
  std::string vault_path;  // empty: Vault::DefaultPath()
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: any free port, printed at start
  bool allow_remote = false;
  bool behind_tls = false;
  std::string web_dir;  // empty: found automatically (server/web_root.h)
  int idle_lock_minutes = 15;
  // The largest photo or video the media page takes. Each upload is held in memory while it
  // is handled (two at most at once), so this bounds what the server may use.
  int max_upload_mb = 64;

  // Seldom changed; tests shorten the timeouts.
  std::string quick_exit_url = "https://www.google.com/search?q=weather";
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds write_timeout{std::chrono::minutes(5)};
};

// Serves until SIGINT or SIGTERM. Returns 0, or ExitCodeOf(Code) after printing why it could
// not start (bad options: kUsage; address in use: kIo; web files missing: kNotFound).
int RunServer(const ServeOptions& options);

}  // namespace rempart
