// Verifies an evidence bundle without the vault: the minisign signature of the manifest, the
// signed log head, each entry's inclusion proof, and the SHA-256 of every file, streamed.
//
// The bundle is treated as hostile (the reader refuses path tricks and zip bombs). Every
// problem found is reported, each naming the file or entry concerned, rather than stopping at
// the first. Whoever made the bundle also chose rempart.pub: pass the key the sender gave you
// out of band as `trusted_public_key` to know who signed it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "evidence/bundle_manifest.h"
#include "evidence/bundle_reader.h"

namespace rempart {

struct VerifyOptions {
  std::optional<std::string> trusted_public_key;  // minisign key line or key file text
  BundleLimits limits;
};

struct VerifyReport {
  std::vector<Status> problems;  // translatable, each names what changed; empty when valid
  std::optional<Manifest> manifest;
  std::string signer_key;  // the minisign key line that signed the manifest
  bool signer_matches_trusted = false;
  std::string trusted_comment;
  uint64_t files_checked = 0;
  uint64_t bytes_checked = 0;
  bool ok() const { return problems.empty(); }
};

// Errors only when the bundle cannot be read at all (missing, hostile, not a bundle).
Result<VerifyReport> VerifyBundle(const std::string& path, const VerifyOptions& options);

}  // namespace rempart
