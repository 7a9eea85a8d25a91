#include "evidence/entry.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace rempart {
namespace {
constexpr size_t kMaxLeafBytes = 16 << 20;  // a message text is never this long

// Text fields written to the leaf only when set, read back only when present.
constexpr std::pair<const char*, std::string Entry::*> kOptionalFields[] = {
    {"name", &Entry::name},
    {"text", &Entry::text},
    {"sender", &Entry::sender},
    {"platform", &Entry::platform},
    {"received_at", &Entry::received_at},
    {"url", &Entry::url},
    {"seen_at", &Entry::seen_at},
    {"file_modified_at", &Entry::file_modified_at},
    {"ocr_text", &Entry::ocr_text},
};
}  // namespace

std::string_view EntryKindName(EntryKind kind) {
  switch (kind) {
    case EntryKind::kFile:
      return "file";
    case EntryKind::kMessage:
      return "message";
    case EntryKind::kUrl:
      return "url";
    case EntryKind::kNote:
      return "note";
  }
  return "note";
}

Result<EntryKind> ParseEntryKind(std::string_view name) {
  for (EntryKind k : {EntryKind::kFile, EntryKind::kMessage, EntryKind::kUrl, EntryKind::kNote}) {
    if (EntryKindName(k) == name) return k;
  }
  return Error(Code::kInvalidInput, "unknown entry type '{}'", name);
}

std::string EntryKindLabel(EntryKind kind, const Translator& t) {
  switch (kind) {
    case EntryKind::kFile:
      return t.tr("File");
    case EntryKind::kMessage:
      return t.tr("Message");
    case EntryKind::kUrl:
      return t.tr("Web page");
    case EntryKind::kNote:
      return t.tr("Note");
  }
  return "";
}

std::string EntryLeaf(const Entry& e) {
  // nlohmann::json objects keep keys sorted, and dump() is deterministic: the leaf is canonical.
  nlohmann::json j = {
      {"v", 1},
      {"id", e.id},
      {"case", e.case_id},
      {"kind", EntryKindName(e.kind)},
      {"captured_at", e.captured_at},
      {"mime", e.mime},
      {"sha256", e.sha256},
      {"size", e.size},
      {"salt", e.salt},
      {"stored", e.stored_content},
  };
  for (const auto& [key, field] : kOptionalFields) {
    if (!(e.*field).empty()) j[key] = e.*field;
  }
  return j.dump();
}

Result<Entry> EntryFromLeaf(std::string_view leaf) {
  if (leaf.size() > kMaxLeafBytes) return Error(Code::kInvalidInput, "entry record is too large");
  auto j = nlohmann::json::parse(leaf, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Error(Code::kInvalidInput, "entry record is not a JSON object");
  Entry e;
  try {
    if (j.at("v").get<int>() != 1) {
      return Error(Code::kInvalidInput, "entry record has an unknown version");
    }
    e.id = j.at("id").get<int64_t>();
    e.case_id = j.at("case").get<int64_t>();
    REMPART_ASSIGN_OR_RETURN(e.kind, ParseEntryKind(j.at("kind").get<std::string>()));
    e.captured_at = j.at("captured_at").get<std::string>();
    e.mime = j.at("mime").get<std::string>();
    e.sha256 = j.at("sha256").get<std::string>();
    e.size = j.at("size").get<uint64_t>();
    e.salt = j.at("salt").get<std::string>();
    e.stored_content = j.at("stored").get<bool>();
    for (const auto& [key, field] : kOptionalFields) {
      if (j.contains(key)) e.*field = j.at(key).get<std::string>();
    }
  } catch (const nlohmann::json::exception& ex) {
    return Error(Code::kInvalidInput, "entry record is malformed: {}", ex.what());
  }
  e.leaf = std::string(leaf);
  return e;
}

std::string InlineContent(const Entry& e) {
  if (e.stored_content) return "";
  return e.kind == EntryKind::kUrl ? e.url : e.text;
}

std::string BundleFileName(const Entry& e) {
  std::string base;
  if (e.kind == EntryKind::kFile && !e.name.empty()) {
    // Keep the readable part of the original name, and only safe characters.
    for (char c : e.name) {
      unsigned char u = static_cast<unsigned char>(c);
      base += (std::isalnum(u) || c == '.' || c == '-' || c == '_') ? c : '_';
    }
    if (base.size() > 80) base = base.substr(base.size() - 80);
    while (!base.empty() && base[0] == '.') base.erase(0, 1);
  }
  if (base.empty()) {
    base = std::string(EntryKindName(e.kind)) + (e.stored_content ? ".html" : ".txt");
    if (e.kind == EntryKind::kFile) base = "file.bin";
  }
  return fmt::format("{:04d}-{}", e.id, base);
}

}  // namespace rempart
