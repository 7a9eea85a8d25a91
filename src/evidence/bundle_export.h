// Exports one case of a vault as a verifiable bundle (docs/en/bundle-format.md).
//
// The bundle (a directory, or a .zip when the path ends in .zip) holds the original files,
// manifest.json (entries as logged, with RFC 6962 inclusion proofs against the vault's latest
// signed tree head), manifest.json.minisig (checkable with `minisign -Vm`), rempart.pub and
// report.pdf in the person's language. Nothing about other cases is revealed: their leaves
// appear only as salted hashes inside proofs.
#pragma once

#include <string>

#include "core/i18n.h"
#include "core/status.h"
#include "evidence/vault.h"

namespace rempart {

struct ExportSummary {
  uint64_t entries = 0;
  uint64_t bytes = 0;
  std::string public_key;  // minisign -P line
};

Result<ExportSummary> ExportCase(Vault& vault, const CaseInfo& case_info,
                                 const std::string& out_path, const Translator& t);

}  // namespace rempart
