#include "cli/cli_context.h"

#include <cstdlib>

#include "cli/passphrase_input.h"

namespace rempart::cli {

std::string Context::VaultPath() const {
  return vault_path.empty() ? Vault::DefaultPath() : vault_path;
}

std::string Context::PassphraseFile() const {
  if (!passphrase_file.empty()) return passphrase_file;
  const char* env = std::getenv("REMPART_PASSPHRASE_FILE");
  return env ? env : "";
}

Result<SecretBytes> Context::Passphrase(const std::string& prompt) const {
  std::string file = PassphraseFile();
  if (!file.empty()) return ReadPassphraseFile(file);
  return AskPassphrase(prompt);
}

Result<std::unique_ptr<Vault>> Context::OpenVault() const {
  REMPART_ASSIGN_OR_RETURN(SecretBytes passphrase, Passphrase(t.tr("Vault passphrase: ")));
  return Vault::Open(VaultPath(), passphrase);
}

}  // namespace rempart::cli
