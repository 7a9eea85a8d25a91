// What every command shares: the translator, global options, and how to get at the vault.
//
// Each command file registers its subcommand on the CLI11 app and, when chosen, stores the work
// to do in `run`; main() runs it and turns its Status into the documented exit code.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include "core/i18n.h"
#include "core/status.h"
#include "crypto/secret_bytes.h"
#include "evidence/vault.h"

namespace rempart::cli {

struct Context {
  Translator t = Translator::ForLanguage("en");
  std::string vault_path;       // --vault, else Vault::DefaultPath()
  std::string passphrase_file;  // --passphrase-file, else $REMPART_PASSPHRASE_FILE
  std::function<Status()> run;  // set by the chosen subcommand

  std::string VaultPath() const;
  // --passphrase-file, else $REMPART_PASSPHRASE_FILE, else "" (ask on the terminal).
  std::string PassphraseFile() const;
  // The passphrase from --passphrase-file / $REMPART_PASSPHRASE_FILE, or asked on the terminal.
  Result<SecretBytes> Passphrase(const std::string& prompt) const;
  Result<std::unique_ptr<Vault>> OpenVault() const;
};

// Each command file provides one of these; main.cc calls them all.
void RegisterInit(CLI::App& app, Context& ctx);
void RegisterPasswd(CLI::App& app, Context& ctx);
void RegisterWipe(CLI::App& app, Context& ctx);
void RegisterCase(CLI::App& app, Context& ctx);
void RegisterEvidence(CLI::App& app, Context& ctx);
void RegisterServe(CLI::App& app, Context& ctx);
void RegisterInspect(CLI::App& app, Context& ctx);
void RegisterScrub(CLI::App& app, Context& ctx);
void RegisterRedact(CLI::App& app, Context& ctx);

// Subcommands of `case` and `evidence`, one file each.
void RegisterCaseNew(CLI::App& parent, Context& ctx);
void RegisterCaseList(CLI::App& parent, Context& ctx);
void RegisterCaseShow(CLI::App& parent, Context& ctx);
void RegisterEvidenceAdd(CLI::App& parent, Context& ctx);
void RegisterEvidenceCheck(CLI::App& parent, Context& ctx);
void RegisterEvidenceExport(CLI::App& parent, Context& ctx);
void RegisterEvidenceVerify(CLI::App& parent, Context& ctx);

}  // namespace rempart::cli
