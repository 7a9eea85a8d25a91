#include "evidence/bundle_export.h"

#include "crypto/encoding.h"
#include "evidence/bundle_manifest.h"
#include "evidence/bundle_writer.h"
#include "evidence/merkle.h"
#include "evidence/report_pdf.h"

namespace rempart {
namespace {

// Thumbnails for the report are read into memory; past this budget images are listed without.
constexpr uint64_t kThumbnailBudgetBytes = 64ull << 20;
constexpr uint64_t kMaxThumbnailSourceBytes = 16ull << 20;

bool IsThumbnailType(const std::string& mime) {
  return mime == "image/jpeg" || mime == "image/png";
}

// Re-hashes the content while the bundle pulls it, so damage found during export stops it. A zip
// pulls every file only when it is finished, so the vault reader is opened on the first pull
// and released at the end: a thousand entries never hold a thousand buffers.
class HashingReader {
 public:
  HashingReader(Vault& vault, const Entry& e) : vault_(vault), entry_(e) {}
  Result<size_t> operator()(std::span<uint8_t> out) {
    if (!reader_) {
      REMPART_ASSIGN_OR_RETURN(reader_, vault_.OpenContent(entry_));
    }
    REMPART_ASSIGN_OR_RETURN(size_t n, reader_->Read(out));
    hasher_.Update(out.first(n));
    total_ += n;
    if (n == 0) {
      reader_.reset();
      if (total_ != entry_.size || HexOf(hasher_.Final()) != entry_.sha256) {
        return Error(Code::kCorrupt,
                     "entry {} no longer matches its SHA-256; run `rempart evidence check`",
                     entry_.id);
      }
    }
    return n;
  }

 private:
  Vault& vault_;
  Entry entry_;
  std::unique_ptr<Vault::ContentReader> reader_;
  Sha256 hasher_;
  uint64_t total_ = 0;
};

Result<std::vector<uint8_t>> ReadSmallContent(Vault& vault, const Entry& e) {
  std::vector<uint8_t> bytes;
  REMPART_RETURN_IF_ERROR(vault.ReadContent(e, [&](std::span<const uint8_t> chunk) {
    bytes.insert(bytes.end(), chunk.begin(), chunk.end());
    return Status::Ok();
  }));
  return bytes;
}

}  // namespace

Result<ExportSummary> ExportCase(Vault& vault, const CaseInfo& case_info,
                                 const std::string& out_path, const Translator& t) {
  // Entries, log and tree head are read from one snapshot, so an add running at the same time
  // (the web app, another terminal) cannot make them disagree.
  EntryListing listing;
  std::vector<Sha256Digest> leaves;
  TreeHead head;
  REMPART_RETURN_IF_ERROR(vault.Snapshot([&]() -> Status {
    listing = vault.ListEntries(case_info.id);
    REMPART_ASSIGN_OR_RETURN(leaves, vault.LeafHashes());
    REMPART_ASSIGN_OR_RETURN(head, vault.LatestTreeHead());
    return Status::Ok();
  }));
  if (!listing.damaged.empty()) {
    return Error(Code::kCorrupt,
                 "{} cannot be read ({}); nothing was exported. Run `rempart evidence check`.",
                 listing.damaged[0].what, listing.damaged[0].reason);
  }
  if (head.tree_size != leaves.size() || head.root != RootHash(leaves)) {
    return Error(Code::kCorrupt,
                 "the evidence log does not match its signature; nothing was exported. Run "
                 "`rempart evidence check`.");
  }

  Manifest manifest;
  manifest.case_info = case_info;
  manifest.exported_at = FormatRfc3339(std::chrono::system_clock::now());
  manifest.public_key = FormatMinisignPublicKeyLine(vault.public_key());
  manifest.tree_head = head;

  ReportInput report;
  report.case_title = case_info.title;
  report.case_created_at = case_info.created_at;
  report.exported_at = manifest.exported_at;
  report.public_key = manifest.public_key;
  report.key_id = MinisignKeyIdHex(vault.public_key().key_id);
  report.tree_size = head.tree_size;
  report.tree_root_hex = HexOf(head.root);
  report.tree_timestamp = head.timestamp;

  REMPART_ASSIGN_OR_RETURN(BundleWriter writer, BundleWriter::Create(out_path));
  ExportSummary summary;
  uint64_t thumbnail_bytes = 0;
  for (const Entry& e : listing.entries) {
    ManifestEntry me;
    me.entry = e;
    me.file = "files/" + BundleFileName(e);
    REMPART_ASSIGN_OR_RETURN(me.proof, InclusionProof(leaves, e.leaf_index));

    auto hashing = std::make_shared<HashingReader>(vault, e);
    REMPART_RETURN_IF_ERROR(writer.AddStream(
        me.file, e.size, [hashing](std::span<uint8_t> out) { return (*hashing)(out); },
        e.stored_content ? Compression::kStore : Compression::kDeflate));

    ReportEntry re;
    re.entry = e;
    re.bundle_path = me.file;
    if (IsThumbnailType(e.mime) && e.size <= kMaxThumbnailSourceBytes &&
        thumbnail_bytes + e.size <= kThumbnailBudgetBytes) {
      REMPART_ASSIGN_OR_RETURN(re.image, ReadSmallContent(vault, e));
      thumbnail_bytes += e.size;
    }
    report.entries.push_back(std::move(re));
    summary.bytes += e.size;
    ++summary.entries;
    manifest.entries.push_back(std::move(me));
  }

  REMPART_ASSIGN_OR_RETURN(auto pdf, RenderReportPdf(report, t));
  report.entries.clear();  // frees the thumbnails before the files are streamed
  manifest.report_sha256 = HexOf(Sha256Of(pdf));
  std::string manifest_json = ManifestToJson(manifest);
  std::string trusted =
      fmt::format("rempart bundle: case {} exported {} log size {} root {}", case_info.id,
                  manifest.exported_at, head.tree_size, HexOf(head.root));
  REMPART_ASSIGN_OR_RETURN(
      std::string signature,
      vault.MinisignSign(
          std::span(reinterpret_cast<const uint8_t*>(manifest_json.data()), manifest_json.size()),
          trusted));
  REMPART_RETURN_IF_ERROR(writer.AddBytes(kManifestName, manifest_json));
  REMPART_RETURN_IF_ERROR(writer.AddBytes(kSignatureName, signature));
  REMPART_RETURN_IF_ERROR(
      writer.AddBytes(kPublicKeyName, FormatMinisignPublicKeyFile(vault.public_key())));
  REMPART_RETURN_IF_ERROR(writer.AddBytes(kReportName, std::span<const uint8_t>(pdf)));
  REMPART_RETURN_IF_ERROR(writer.Finish());
  summary.public_key = manifest.public_key;
  return summary;
}

}  // namespace rempart
