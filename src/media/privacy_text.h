// A PrivacyReport in words and in JSON: what `rempart inspect`, `rempart scrub` and the web page
// show. Findings are grouped by what they reveal (where, which device, who, when …) so that a
// person reads a few sentences instead of a list of tag names.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/i18n.h"
#include "media/privacy_report.h"

namespace rempart {

struct ReportLine {
  std::string label;  // translated: "Where it was taken"
  std::string text;   // "48.85660, 2.35220 (to about 1 m)"
};

// The lines for every risk found, most serious first; empty when there is nothing.
std::vector<ReportLine> DescribeReport(const PrivacyReport& report, const Translator& t);

// Short translated names of what was found ("location", "camera", "names" …), for one-line
// summaries such as "removed: location, camera, dates".
std::vector<std::string> SummariseReport(const PrivacyReport& report, const Translator& t);

// Stable, language-free keys: "location", "device", "serial_number", "person", "software",
// "date", "preview", "appended_data", "text", "other".
const char* FindingKindKey(FindingKind kind);

nlohmann::json ReportJson(const PrivacyReport& report);

}  // namespace rempart
