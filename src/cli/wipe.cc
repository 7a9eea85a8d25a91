// rempart wipe: crypto-erases the vault, the panic button.
#include <unistd.h>

#include <chrono>
#include <iostream>

#include "cli/cli_context.h"

namespace rempart::cli {

void RegisterWipe(CLI::App& app, Context& ctx) {
  const Translator& t = ctx.t;
  auto* cmd = app.add_subcommand(
      "wipe", t.tr("Destroy the vault's keys so that it can never be opened again"));
  auto yes = std::make_shared<bool>(false);
  cmd->add_flag("-y,--yes", *yes, t.tr("Do not ask for confirmation"));
  cmd->callback([&ctx, yes] {
    ctx.run = [&ctx, yes]() -> Status {
      const Translator& t = ctx.t;
      if (!*yes) {
        if (!::isatty(STDIN_FILENO)) {
          return Error(Code::kUsage, "refusing to wipe without confirmation: add --yes");
        }
        std::cout << t.tr(
                         "This destroys every case and piece of evidence in the vault, for "
                         "ever. Type WIPE to confirm: ")
                  << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != "WIPE") {
          std::cout << t.tr("Nothing was wiped.") << "\n";
          return Status::Ok();
        }
      }
      auto start = std::chrono::steady_clock::now();
      REMPART_RETURN_IF_ERROR(Vault::Wipe(ctx.VaultPath()));
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
      std::cout << t.trf(
                       "Vault wiped in {} ms: its keys are destroyed and no passphrase can "
                       "open it again.",
                       ms)
                << "\n";
      return Status::Ok();
    };
  });
}

}  // namespace rempart::cli
