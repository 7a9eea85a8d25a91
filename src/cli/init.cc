// rempart init: creates an encrypted evidence vault.
#include <iostream>

#include "cli/cli_context.h"
#include "cli/passphrase_input.h"

namespace rempart::cli {

void RegisterInit(CLI::App& app, Context& ctx) {
  const Translator& t = ctx.t;
  auto* cmd = app.add_subcommand("init", t.tr("Create a new encrypted vault"));
  auto profile = std::make_shared<std::string>("standard");
  cmd->add_option("--kdf-profile", *profile,
                  t.tr("Cost of the passphrase key derivation: interactive (64 MiB), standard "
                       "(128 MiB, default), moderate (256 MiB) or sensitive (1 GiB)"))
      ->check(CLI::IsMember({"interactive", "standard", "moderate", "sensitive"}));
  cmd->callback([&ctx, profile] {
    ctx.run = [&ctx, profile]() -> Status {
      const Translator& t = ctx.t;
      REMPART_ASSIGN_OR_RETURN(KdfParams kdf, KdfProfile(*profile));
      REMPART_ASSIGN_OR_RETURN(SecretBytes pass, ReadNewPassphrase(ctx.PassphraseFile(), t));
      REMPART_RETURN_IF_ERROR(Vault::Create(ctx.VaultPath(), pass, kdf));
      std::cout << t.trf("Vault created at {}.", ctx.VaultPath()) << "\n"
                << t.tr(
                       "Keep the passphrase safe: without it nobody, not even you, can open "
                       "the vault.")
                << "\n";
      return Status::Ok();
    };
  });
}

}  // namespace rempart::cli
