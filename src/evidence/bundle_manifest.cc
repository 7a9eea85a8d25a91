#include "evidence/bundle_manifest.h"

#include <nlohmann/json.hpp>

#include "crypto/encoding.h"

namespace rempart {
namespace {

constexpr size_t kMaxProofLength = 64;  // a log of 2^64 entries needs no more

template <size_t N>
Result<std::array<uint8_t, N>> FixedFromHex(const std::string& hex, const char* what) {
  auto bytes = HexDecode(hex);
  if (!bytes.ok() || bytes->size() != N) {
    return Error(Code::kInvalidInput, "the manifest's {} is malformed", what);
  }
  std::array<uint8_t, N> out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

}  // namespace

std::string ManifestToJson(const Manifest& m) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& me : m.entries) {
    nlohmann::json proof = nlohmann::json::array();
    for (const auto& p : me.proof) proof.push_back(HexOf(p));
    entries.push_back({{"leaf", me.entry.leaf},
                       {"leaf_index", me.entry.leaf_index},
                       {"file", me.file},
                       {"sha256", me.entry.sha256},
                       {"size", me.entry.size},
                       {"inclusion_proof", proof}});
  }
  nlohmann::json j = {
      {"format", kBundleFormat},
      {"case",
       {{"id", m.case_info.id},
        {"title", m.case_info.title},
        {"created_at", m.case_info.created_at}}},
      {"exported_at", m.exported_at},
      {"public_key", m.public_key},
      {"tree_head",
       {{"tree_size", m.tree_head.tree_size},
        {"root", HexOf(m.tree_head.root)},
        {"timestamp", m.tree_head.timestamp},
        {"signature", HexEncode(m.tree_head.signature)}}},
      {"entries", entries},
      {"report", {{"file", kReportName}, {"sha256", m.report_sha256}}},
  };
  return j.dump(2) + "\n";
}

Result<Manifest> ParseManifest(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return Error(Code::kInvalidInput, "manifest.json is not valid JSON");
  }
  Manifest m;
  try {
    if (j.at("format").get<std::string>() != kBundleFormat) {
      return Error(Code::kInvalidInput,
                   "manifest.json has format '{}', which this Rempart does not know",
                   j.at("format").get<std::string>());
    }
    const auto& c = j.at("case");
    m.case_info.id = c.at("id").get<int64_t>();
    m.case_info.title = c.at("title").get<std::string>();
    m.case_info.created_at = c.at("created_at").get<std::string>();
    m.exported_at = j.at("exported_at").get<std::string>();
    m.public_key = j.at("public_key").get<std::string>();
    const auto& th = j.at("tree_head");
    m.tree_head.tree_size = th.at("tree_size").get<uint64_t>();
    REMPART_ASSIGN_OR_RETURN(m.tree_head.root,
                             FixedFromHex<32>(th.at("root").get<std::string>(), "log root"));
    m.tree_head.timestamp = th.at("timestamp").get<std::string>();
    REMPART_ASSIGN_OR_RETURN(
        m.tree_head.signature,
        FixedFromHex<64>(th.at("signature").get<std::string>(), "log signature"));
    m.report_sha256 = j.at("report").at("sha256").get<std::string>();
    for (const auto& je : j.at("entries")) {
      ManifestEntry me;
      REMPART_ASSIGN_OR_RETURN(me.entry, EntryFromLeaf(je.at("leaf").get<std::string>()));
      me.entry.leaf_index = je.at("leaf_index").get<uint64_t>();
      me.file = je.at("file").get<std::string>();
      const auto& proof = je.at("inclusion_proof");
      if (!proof.is_array() || proof.size() > kMaxProofLength) {
        return Error(Code::kInvalidInput, "an inclusion proof in manifest.json is malformed");
      }
      for (const auto& p : proof) {
        REMPART_ASSIGN_OR_RETURN(auto d, FixedFromHex<32>(p.get<std::string>(), "proof"));
        me.proof.push_back(d);
      }
      m.entries.push_back(std::move(me));
    }
  } catch (const nlohmann::json::exception& e) {
    return Error(Code::kInvalidInput, "manifest.json is missing a field or has a wrong type: {}",
                 e.what());
  }
  return m;
}

}  // namespace rempart
