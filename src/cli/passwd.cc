// rempart passwd: changes the vault passphrase (re-wraps the key; the data is not rewritten).
#include <iostream>

#include "cli/cli_context.h"
#include "cli/passphrase_input.h"

namespace rempart::cli {

void RegisterPasswd(CLI::App& app, Context& ctx) {
  const Translator& t = ctx.t;
  auto* cmd = app.add_subcommand("passwd", t.tr("Change the vault passphrase"));
  auto new_file = std::make_shared<std::string>();
  auto profile = std::make_shared<std::string>("standard");
  cmd->add_option("--new-passphrase-file", *new_file,
                  t.tr("Read the new passphrase from the first line of this file"));
  cmd->add_option("--kdf-profile", *profile,
                  t.tr("Cost of the key derivation for the new passphrase"))
      ->check(CLI::IsMember({"interactive", "standard", "moderate", "sensitive"}));
  cmd->callback([&ctx, new_file, profile] {
    ctx.run = [&ctx, new_file, profile]() -> Status {
      const Translator& t = ctx.t;
      REMPART_ASSIGN_OR_RETURN(auto vault, ctx.OpenVault());
      REMPART_ASSIGN_OR_RETURN(SecretBytes pass, ReadNewPassphrase(*new_file, t));
      REMPART_ASSIGN_OR_RETURN(KdfParams kdf, KdfProfile(*profile));
      REMPART_RETURN_IF_ERROR(vault->ChangePassphrase(pass, kdf));
      std::cout << t.tr("Passphrase changed. The old one no longer opens the vault.") << "\n";
      return Status::Ok();
    };
  });
}

}  // namespace rempart::cli
