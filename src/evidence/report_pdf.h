// The readable half of an evidence bundle: report.pdf, a timeline of one case for a police
// officer, a lawyer or a caseworker, in the person's language.
//
// A4 pages: a summary page (what the document is, the case, the signing key and signed tree
// head), the entries sorted by capture time (times in local time and in UTC, SHA-256, file in
// the bundle, message and note texts, OCR text, a thumbnail for JPEG/PNG images), then how to
// verify the bundle with minisign, sha256sum and `rempart evidence verify`. Pages are numbered
// "Page X / Y"; an entry never runs past the bottom margin, long texts continue on the next
// page. User text is laid out as plain text (never markup); invalid UTF-8 is repaired and
// unreadable images get a placeholder, so hostile content cannot break the report. The PDF is
// the summary, not the evidence: the bundle's signed manifest is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/i18n.h"
#include "core/status.h"
#include "evidence/entry.h"

namespace rempart {

struct ReportEntry {
  Entry entry;                 // as logged; entry.id is the number shown
  std::string bundle_path;     // its content in the bundle ("files/0003-screenshot.png"), or ""
  std::vector<uint8_t> image;  // JPEG or PNG bytes to show as a thumbnail, or empty
};

struct ReportInput {
  std::string case_title;
  std::string case_created_at;  // RFC 3339 UTC, like every time below
  std::string exported_at;
  std::string public_key;  // the vault's minisign public key: the base64 line `minisign -P` takes
  std::string key_id;      // as minisign prints it (16 hex digits)
  // The signed tree head the bundle's inclusion proofs lead to.
  uint64_t tree_size = 0;
  std::string tree_root_hex;
  std::string tree_timestamp;
  std::vector<ReportEntry> entries;  // any order: the report sorts them by captured_at
};

// Renders the report. Errors: kFailed if cairo cannot draw the document.
Result<std::vector<uint8_t>> RenderReportPdf(const ReportInput& input, const Translator& t);

// Renders the report into `path` through a temporary file in the same directory, fsynced then
// renamed, so a failure never leaves a half-written report (an existing file is replaced).
// Errors: kIo when the file cannot be written, kFailed as above.
Status WriteReportPdf(const ReportInput& input, const Translator& t, const std::string& path);

}  // namespace rempart
