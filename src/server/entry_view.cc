#include "server/entry_view.h"

#include <fmt/format.h>

#include "core/time_format.h"

namespace rempart::server {
namespace {

void AddRow(TemplateData& rows, const std::string& label, const std::string& value,
            bool mono = false) {
  if (value.empty()) return;
  TemplateData row = TemplateData::type::object;
  row.set("label", label);
  row.set("value", value);
  row.set("mono", mono);
  rows.push_back(std::move(row));
}

}  // namespace

std::string LocalTimeText(std::string_view rfc3339, const Translator& t) {
  if (rfc3339.empty()) return "";
  auto time = ParseRfc3339(rfc3339);
  if (!time.ok()) return std::string(rfc3339);
  return FormatLocal(*time, t.language());
}

std::string ShortHash(std::string_view hex) {
  if (hex.size() <= 12) return std::string(hex);
  return std::string(hex.substr(0, 12)) + "…";
}

std::string SizeText(uint64_t bytes, const Translator& t) {
  if (bytes < 1024) return t.trf("{} bytes", bytes);
  double value = static_cast<double>(bytes) / 1024;
  int unit = 0;  // KB, MB, GB, TB
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  std::string number = fmt::format("{:.1f}", value);
  if (size_t dot = number.find('.'); t.language() == "fr" && dot != std::string::npos) {
    number[dot] = ',';
  }
  switch (unit) {
    case 0:
      return t.trf("{} KB", number);
    case 1:
      return t.trf("{} MB", number);
    case 2:
      return t.trf("{} GB", number);
    default:
      return t.trf("{} TB", number);
  }
}

bool ShowsInline(std::string_view mime) {
  return mime == "image/png" || mime == "image/jpeg" || mime == "image/gif" ||
         mime == "image/webp" || mime == "image/bmp" || mime == "image/avif";
}

std::string Excerpt(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    bool starts_char = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_char && chars++ == max_chars) return std::string(text.substr(0, i)) + "…";
  }
  return std::string(text);
}

TemplateData CaseCard(const CaseInfo& info, const Translator& t) {
  TemplateData card = TemplateData::type::object;
  card.set("id", std::to_string(info.id));
  card.set("title", info.title.empty() ? t.trf("Case {}", info.id) : info.title);
  card.set("entries", t.trf("Entries: {}", info.entry_count));
  card.set("created", t.trf("Opened {}", LocalTimeText(info.created_at, t)));
  return card;
}

TemplateData EntryRow(const Entry& entry, const Translator& t) {
  TemplateData row = TemplateData::type::object;
  row.set("id", std::to_string(entry.id));
  row.set("kind", EntryKindLabel(entry.kind, t));
  row.set("kind_class", std::string(EntryKindName(entry.kind)));
  row.set("time", LocalTimeText(entry.captured_at, t));
  std::string summary;
  switch (entry.kind) {
    case EntryKind::kFile:
      summary = entry.name.empty() ? entry.mime : entry.name;
      break;
    case EntryKind::kMessage:
      summary =
          entry.platform.empty() ? entry.sender : t.trf("{} on {}", entry.sender, entry.platform);
      if (summary.empty()) summary = Excerpt(entry.text, 80);
      break;
    case EntryKind::kUrl:
      summary = entry.url;
      break;
    case EntryKind::kNote:
      summary = Excerpt(entry.text, 80);
      break;
  }
  if (!summary.empty()) row.set("summary", summary);
  row.set("sha256", entry.sha256);
  row.set("sha256_short", ShortHash(entry.sha256));
  row.set("thumbnail", entry.stored_content && ShowsInline(entry.mime));
  return row;
}

TemplateData EntryDetails(const Entry& entry, const Translator& t) {
  TemplateData data = EntryRow(entry, t);
  data.set("case_id", std::to_string(entry.case_id));
  TemplateData rows = TemplateData::type::list;
  AddRow(rows, t.tr("Number"), std::to_string(entry.id));
  AddRow(rows, t.tr("Type"), EntryKindLabel(entry.kind, t));
  AddRow(rows, t.tr("Recorded"), LocalTimeText(entry.captured_at, t));
  AddRow(rows, t.tr("File name"), entry.name);
  AddRow(rows, t.tr("From"), entry.sender);
  AddRow(rows, t.tr("Platform"), entry.platform);
  AddRow(rows, t.tr("Received"), LocalTimeText(entry.received_at, t));
  AddRow(rows, t.tr("Address"), entry.url, true);
  AddRow(rows, t.tr("Seen"), LocalTimeText(entry.seen_at, t));
  AddRow(rows, t.tr("File modified"), LocalTimeText(entry.file_modified_at, t));
  AddRow(rows, t.tr("Content type"), entry.mime, true);
  AddRow(rows, t.tr("Size"), SizeText(entry.size, t));
  AddRow(rows, t.tr("SHA-256"), entry.sha256, true);
  AddRow(rows, t.tr("Position in the log"), std::to_string(entry.leaf_index), true);
  data.set("rows", rows);
  if (!entry.text.empty()) data.set("text", entry.text);
  if (!entry.ocr_text.empty()) data.set("ocr_text", entry.ocr_text);
  data.set("image", entry.stored_content && ShowsInline(entry.mime));
  data.set("has_content", entry.stored_content || !InlineContent(entry).empty());
  return data;
}

}  // namespace rempart::server
