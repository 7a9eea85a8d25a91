// manifest.json of an evidence bundle (docs/en/bundle-format.md): what was exported, with the
// proofs that tie each entry to the vault's signed log. Parsing treats the text as hostile.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "evidence/entry.h"
#include "evidence/vault.h"

namespace rempart {

inline constexpr std::string_view kBundleFormat = "rempart-bundle-1";
inline constexpr std::string_view kManifestName = "manifest.json";
inline constexpr std::string_view kSignatureName = "manifest.json.minisig";
inline constexpr std::string_view kPublicKeyName = "rempart.pub";
inline constexpr std::string_view kReportName = "report.pdf";

struct ManifestEntry {
  Entry entry;                      // parsed from the leaf (entry.leaf holds it verbatim)
  std::string file;                 // path of the content inside the bundle
  std::vector<Sha256Digest> proof;  // RFC 6962 inclusion proof of the leaf
};

struct Manifest {
  CaseInfo case_info;
  std::string exported_at;
  std::string public_key;  // minisign public key line (base64)
  TreeHead tree_head;
  std::vector<ManifestEntry> entries;
  std::string report_sha256;  // of report.pdf
};

std::string ManifestToJson(const Manifest& manifest);
Result<Manifest> ParseManifest(std::string_view json);

}  // namespace rempart
