#include "evidence/bundle_verify.h"

#include <set>

#include "crypto/minisign.h"
#include "evidence/merkle.h"

namespace rempart {
namespace {

std::string_view AsText(const std::vector<uint8_t>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Checks the signature chain: rempart.pub (or the trusted key) signed the manifest.
void CheckSignature(BundleReader& reader, const std::vector<uint8_t>& manifest_bytes,
                    const VerifyOptions& options, VerifyReport& report) {
  auto key_file = reader.ReadAll(kPublicKeyName, 64 << 10);
  auto sig_file = reader.ReadAll(kSignatureName, 64 << 10);
  if (!key_file.ok() || !sig_file.ok()) {
    report.problems.push_back(Error(Code::kVerifyFailed,
                                    "{} or {} is missing: the bundle cannot be authenticated",
                                    kPublicKeyName, kSignatureName));
    return;
  }
  auto bundled = ParseMinisignPublicKeyFile(AsText(*key_file));
  if (!bundled.ok()) {
    report.problems.push_back(
        Error(Code::kVerifyFailed, "{} is not a valid minisign public key", kPublicKeyName));
    return;
  }
  MinisignPublicKey key = *bundled;
  if (options.trusted_public_key) {
    auto trusted = ParseMinisignPublicKeyLine(*options.trusted_public_key);
    if (!trusted.ok()) trusted = ParseMinisignPublicKeyFile(*options.trusted_public_key);
    if (!trusted.ok()) {
      report.problems.push_back(
          Error(Code::kUsage, "the public key given with --pubkey is not a minisign key"));
      return;
    }
    report.signer_matches_trusted =
        trusted->key_id == key.key_id && trusted->public_key == key.public_key;
    if (!report.signer_matches_trusted) {
      report.problems.push_back(Error(Code::kVerifyFailed,
                                      "{} is not the key you trusted: this bundle was signed by "
                                      "someone else, or its key was replaced",
                                      kPublicKeyName));
    }
    key = *trusted;
  }
  report.signer_key = FormatMinisignPublicKeyLine(key);
  auto comment = MinisignVerify(key, manifest_bytes, AsText(*sig_file));
  if (!comment.ok()) {
    report.problems.push_back(Error(Code::kVerifyFailed,
                                    "{}: the signature does not match ({}): the manifest or its "
                                    "signature was changed",
                                    kManifestName, comment.status().message()));
  } else {
    report.trusted_comment = *comment;
  }
}

// Streams a file through SHA-256 and compares it with what the manifest promises.
void CheckFile(BundleReader& reader, const std::string& name, const std::string& sha256,
               std::optional<uint64_t> size, VerifyReport& report) {
  Sha256 hasher;
  uint64_t total = 0;
  Status read = reader.Stream(name, [&](std::span<const uint8_t> chunk) {
    hasher.Update(chunk);
    total += chunk.size();
    return Status::Ok();
  });
  report.bytes_checked += total;
  ++report.files_checked;
  if (!read.ok()) {
    report.problems.push_back(
        Error(Code::kVerifyFailed, "{}: cannot be read ({})", name, read.message()));
  } else if (HexOf(hasher.Final()) != sha256 || (size && *size != total)) {
    report.problems.push_back(
        Error(Code::kVerifyFailed, "{}: the content was changed (its SHA-256 differs)", name));
  }
}

}  // namespace

Result<VerifyReport> VerifyBundle(const std::string& path, const VerifyOptions& options) {
  REMPART_ASSIGN_OR_RETURN(BundleReader reader, BundleReader::Open(path, options.limits));
  if (!reader.Find(kManifestName)) {
    return Error(Code::kInvalidInput,
                 "{} has no manifest.json: it is not a Rempart evidence bundle", path);
  }
  REMPART_ASSIGN_OR_RETURN(auto manifest_bytes, reader.ReadAll(kManifestName));
  VerifyReport report;
  if (!reader.form().ok()) report.problems.push_back(reader.form());
  CheckSignature(reader, manifest_bytes, options, report);

  auto parsed = ParseManifest(AsText(manifest_bytes));
  if (!parsed.ok()) {
    report.problems.push_back(parsed.status());
    return report;
  }
  const Manifest& m = *parsed;
  auto manifest_key = ParseMinisignPublicKeyLine(m.public_key);
  auto signer = ParseMinisignPublicKeyLine(report.signer_key);
  if (!manifest_key.ok() || !signer.ok() || manifest_key->public_key != signer->public_key) {
    report.problems.push_back(Error(
        Code::kVerifyFailed, "{}: its public key is not the one that signed it", kManifestName));
  } else if (!VerifySignature(manifest_key->public_key,
                              SignedTreeHeadMessage(m.tree_head.tree_size, m.tree_head.root,
                                                    m.tree_head.timestamp),
                              m.tree_head.signature)) {
    report.problems.push_back(
        Error(Code::kVerifyFailed, "{}: the log head's signature is not valid", kManifestName));
  }

  std::set<std::string> expected = {std::string(kManifestName), std::string(kSignatureName),
                                    std::string(kPublicKeyName), std::string(kReportName)};
  for (const ManifestEntry& me : m.entries) {
    const Entry& e = me.entry;
    if (!VerifyInclusion(LeafHash(e.leaf), e.leaf_index, m.tree_head.tree_size, me.proof,
                         m.tree_head.root)) {
      report.problems.push_back(Error(Code::kVerifyFailed,
                                      "entry {} ({}): it is not in the signed evidence log", e.id,
                                      me.file));
    }
    if (!expected.insert(me.file).second) {
      report.problems.push_back(
          Error(Code::kVerifyFailed, "{}: listed twice in the manifest", me.file));
      continue;
    }
    if (!reader.Find(me.file)) {
      report.problems.push_back(Error(Code::kVerifyFailed, "{}: missing from the bundle", me.file));
      continue;
    }
    CheckFile(reader, me.file, e.sha256, e.size, report);
  }
  if (reader.Find(kReportName)) {
    CheckFile(reader, std::string(kReportName), m.report_sha256, std::nullopt, report);
  } else {
    report.problems.push_back(
        Error(Code::kVerifyFailed, "{}: missing from the bundle", kReportName));
  }
  for (const BundleEntry& be : reader.entries()) {
    if (!expected.count(be.name)) {
      report.problems.push_back(
          Error(Code::kVerifyFailed, "{}: a file that the signed manifest does not list", be.name));
    }
  }
  report.manifest = std::move(parsed).value();
  return report;
}

}  // namespace rempart
