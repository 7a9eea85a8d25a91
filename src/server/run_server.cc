#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "core/i18n.h"
#include "server/serve_options.h"
#include "server/vault_server.h"

namespace rempart {

int RunServer(const ServeOptions& options) {
  Translator t = Translator::FromEnvironment();
  // Listen for the signals before serving, so an early Ctrl+C still stops cleanly.
  boost::asio::io_context signals_context;
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  int received = 0;
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (!ec) received = signal;
  });

  auto server = server::VaultServer::Start(options);
  if (!server.ok()) {
    fmt::print(stderr, "rempart: {}\n", t.Explain(server.status()));
    return ExitCodeOf(server.status().code());
  }
  bool v6 = options.bind.find(':') != std::string::npos;
  std::string url = fmt::format("http://{}{}{}:{}/", v6 ? "[" : "", options.bind, v6 ? "]" : "",
                                (*server)->port());
  fmt::print("{}\n", t.trf("Rempart is serving your vault at {} — open it in your browser. "
                           "Press Ctrl+C to stop.",
                           url));
  std::fflush(stdout);

  signals_context.run();  // until SIGINT or SIGTERM
  spdlog::info("stopping (signal {})", received);
  (*server)->Stop();
  (*server)->Wait();
  return 0;
}

}  // namespace rempart
