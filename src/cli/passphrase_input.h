// Reading a passphrase: from a file named by an option or environment variable (scripts), or
// typed on the terminal with echo off. Never from the command line, where `ps` would show it.
#pragma once

#include <string>

#include "core/i18n.h"
#include "core/status.h"
#include "crypto/secret_bytes.h"

namespace rempart::cli {

// The file's first line (without its newline); Code::kInvalidInput if empty.
Result<SecretBytes> ReadPassphraseFile(const std::string& path);
// A new passphrase: from `file` when given, else typed twice on the terminal. Refuses a
// mismatch or fewer than 8 characters.
Result<SecretBytes> ReadNewPassphrase(const std::string& file, const Translator& t);
// Prompts on /dev/tty with echo off; Code::kUsage when there is no terminal to ask on.
Result<SecretBytes> AskPassphrase(const std::string& prompt);

}  // namespace rempart::cli
