// rempart: digital self-defence for sex workers and their collectives.
//
// Exit codes are those of rempart::Code (docs/en/exit-codes.md): 0 success, 2 usage, 3 wrong
// passphrase, 4 no vault, 5 exists, 6 damaged data, 7 disk or permission error, 8 not found,
// 9 verification failed, 10 wiped vault, 11 unacceptable input, 1 anything else.
#include <sodium.h>

#include <iostream>

#include "cli/cli_context.h"

int main(int argc, char** argv) {
  using namespace rempart;
  if (sodium_init() < 0) {
    std::cerr << "rempart: libsodium could not start\n";
    return ExitCodeOf(Code::kFailed);
  }
  cli::Context ctx;
  ctx.t = Translator::FromEnvironment();
  const Translator& t = ctx.t;

  CLI::App app{t.tr("Rempart: digital self-defence. Keep evidence safe, clean photos before "
                    "posting, detect leaks."),
               "rempart"};
  app.require_subcommand(1);
  app.set_help_flag("-h,--help", t.tr("Show this help and exit"));
  app.set_version_flag("--version", "rempart 0.1.0");
  app.add_option("--vault", ctx.vault_path,
                 t.tr("Vault file (default: $XDG_DATA_HOME/rempart/vault.db)"));
  app.add_option("--passphrase-file", ctx.passphrase_file,
                 t.tr("Read the passphrase from the first line of this file (or set "
                      "REMPART_PASSPHRASE_FILE)"));

  cli::RegisterInit(app, ctx);
  cli::RegisterPasswd(app, ctx);
  cli::RegisterWipe(app, ctx);
  cli::RegisterCase(app, ctx);
  cli::RegisterEvidence(app, ctx);
  cli::RegisterInspect(app, ctx);
  cli::RegisterScrub(app, ctx);
  cli::RegisterRedact(app, ctx);
  cli::RegisterServe(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "rempart: " << e.what() << "\n" << t.tr("Run `rempart --help` for usage.") << "\n";
    return ExitCodeOf(Code::kUsage);
  }
  if (!ctx.run) return ExitCodeOf(Code::kUsage);
  Status status = ctx.run();
  if (!status.ok()) {
    if (!status.message().empty()) std::cerr << "rempart: " << t.Explain(status) << "\n";
    return ExitCodeOf(status.code());
  }
  return 0;
}
