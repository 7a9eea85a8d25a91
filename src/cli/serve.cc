// rempart serve: the web app on http://127.0.0.1:8080 (see src/server/).
#include "cli/cli_context.h"
#include "server/serve_options.h"

namespace rempart::cli {

void RegisterServe(CLI::App& app, Context& ctx) {
  const Translator& t = ctx.t;
  auto* cmd =
      app.add_subcommand("serve", t.tr("Start the web app (default http://127.0.0.1:8080)"));
  auto o = std::make_shared<ServeOptions>();
  cmd->add_option("--bind", o->bind, t.tr("Address to listen on"));
  cmd->add_option("--port", o->port, t.tr("Port to listen on"))->check(CLI::Range(0, 65535));
  cmd->add_flag("--allow-remote", o->allow_remote,
                t.tr("Allow listening on an address other than loopback"));
  cmd->add_flag("--behind-tls", o->behind_tls,
                t.tr("Mark cookies Secure (when a TLS proxy stands in front)"));
  cmd->add_option("--web-dir", o->web_dir, t.tr("Folder with the templates and static files"));
  cmd->add_option("--idle-lock-minutes", o->idle_lock_minutes,
                  t.tr("Lock the vault after this many idle minutes"));
  cmd->add_option("--max-upload-mb", o->max_upload_mb,
                  t.tr("Largest photo or video the web page takes, in MB (default 64)"))
      ->check(CLI::Range(1, 1024));
  cmd->callback([&ctx, o] {
    ctx.run = [&ctx, o]() -> Status {
      o->vault_path = ctx.VaultPath();
      int code = RunServer(*o);
      // RunServer has already said why; an empty message prints nothing more.
      if (code != 0) return Status(static_cast<Code>(code), "");
      return Status::Ok();
    };
  });
}

}  // namespace rempart::cli
