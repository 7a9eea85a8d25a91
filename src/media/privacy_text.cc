#include "media/privacy_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace rempart {

namespace {

constexpr size_t kMaxValuesPerLine = 6;

struct KindText {
  FindingKind kind;
  const char* key;
  const char* label;    // msgid
  const char* summary;  // msgid
};

// In the order a person should read them: the most dangerous first.
constexpr std::array<KindText, 10> kKinds = {{
    {FindingKind::kLocation, "location", N_("Where it was taken"), N_("location")},
    {FindingKind::kPerson, "person", N_("Names"), N_("names")},
    {FindingKind::kSerialNumber, "serial_number", N_("Serial numbers and unique IDs"),
     N_("serial numbers")},
    {FindingKind::kDevice, "device", N_("Camera or phone"), N_("camera")},
    {FindingKind::kDate, "date", N_("Dates"), N_("dates")},
    {FindingKind::kPreview, "preview", N_("Hidden previews"), N_("previews")},
    {FindingKind::kAppendedData, "appended_data", N_("Data after the image"), N_("hidden data")},
    {FindingKind::kText, "text", N_("Captions and comments"), N_("comments")},
    {FindingKind::kSoftware, "software", N_("Software"), N_("software")},
    {FindingKind::kOther, "other", N_("Other metadata"), N_("other metadata")},
}};

bool Has(const PrivacyReport& report, FindingKind kind) {
  return std::any_of(report.findings.begin(), report.findings.end(),
                     [&](const Finding& f) { return f.kind == kind; });
}

// "value (Field)" for each distinct value, at most kMaxValuesPerLine of them.
std::string JoinValues(const PrivacyReport& report, FindingKind kind, const Translator& t) {
  std::vector<std::string> seen;
  std::string out;
  size_t hidden = 0;
  for (const Finding& f : report.findings) {
    if (f.kind != kind) continue;
    const std::string item = f.value.empty() ? f.field : f.value + " (" + f.field + ")";
    if (std::find(seen.begin(), seen.end(), item) != seen.end()) continue;
    seen.push_back(item);
    if (seen.size() > kMaxValuesPerLine) {
      ++hidden;
      continue;
    }
    if (!out.empty()) out += "; ";
    out += item;
  }
  if (hidden > 0) out += t.trf("; and {} more", hidden);
  return out;
}

std::string LocationText(const GeoPoint& p, const Translator& t) {
  std::string text = fmt::format("{:.5f}, {:.5f}", p.latitude, p.longitude);
  if (p.precision_m > 0) {
    const double metres = std::max(1.0, std::round(p.precision_m));
    text += " " + t.trf("(to about {} m: enough to find the building)", metres);
  }
  return text;
}

std::string LineText(const PrivacyReport& report, FindingKind kind, const Translator& t) {
  switch (kind) {
    case FindingKind::kPreview: {
      const auto n =
          std::count_if(report.findings.begin(), report.findings.end(),
                        [](const Finding& f) { return f.kind == FindingKind::kPreview; });
      return t.trf("{} embedded (a preview can show the photo before it was cropped or edited)",
                   n) +
             ": " + JoinValues(report, kind, t);
    }
    case FindingKind::kAppendedData:
      return JoinValues(report, kind, t) + " — " +
             t.tr("data stored after the picture, such as a motion-photo video");
    default:
      return JoinValues(report, kind, t);
  }
}

}  // namespace

std::vector<ReportLine> DescribeReport(const PrivacyReport& report, const Translator& t) {
  std::vector<ReportLine> lines;
  for (const KindText& k : kKinds) {
    if (k.kind == FindingKind::kLocation && report.location) {
      std::string text = LocationText(*report.location, t);
      if (Has(report, FindingKind::kLocation)) {
        std::string places;
        for (const Finding& f : report.findings) {
          if (f.kind == FindingKind::kLocation && f.field != "GPSPosition" &&
              places.find(f.value) == std::string::npos) {
            places += (places.empty() ? "" : ", ") + f.value;
          }
        }
        if (!places.empty()) text += "; " + places;
      }
      lines.push_back({t.tr(k.label), std::move(text)});
      continue;
    }
    if (Has(report, k.kind)) lines.push_back({t.tr(k.label), LineText(report, k.kind, t)});
  }
  if (report.faces && *report.faces > 0) {
    lines.push_back(
        {t.tr("Faces"), t.trf("{} found; metadata removal does not hide them: use rempart redact "
                              "--faces",
                              *report.faces)});
  }
  return lines;
}

std::vector<std::string> SummariseReport(const PrivacyReport& report, const Translator& t) {
  std::vector<std::string> out;
  for (const KindText& k : kKinds) {
    if (Has(report, k.kind) || (k.kind == FindingKind::kLocation && report.location)) {
      out.push_back(t.tr(k.summary));
    }
  }
  return out;
}

const char* FindingKindKey(FindingKind kind) {
  for (const KindText& k : kKinds) {
    if (k.kind == kind) return k.key;
  }
  return "other";
}

nlohmann::json ReportJson(const PrivacyReport& report) {
  nlohmann::json out = {{"format", report.format},
                        {"width", report.width},
                        {"height", report.height},
                        {"orientation", report.orientation},
                        {"icc_profile", report.has_icc_profile},
                        {"clean", report.IsClean()}};
  if (report.location) {
    const GeoPoint& p = *report.location;
    out["location"] = {
        {"latitude", p.latitude}, {"longitude", p.longitude}, {"precision_m", p.precision_m}};
    if (p.altitude_m) out["location"]["altitude_m"] = *p.altitude_m;
  }
  out["findings"] = nlohmann::json::array();
  for (const Finding& f : report.findings) {
    out["findings"].push_back({{"kind", FindingKindKey(f.kind)},
                               {"field", f.field},
                               {"value", f.value},
                               {"where", f.where}});
  }
  if (report.faces) out["faces"] = *report.faces;
  return out;
}

}  // namespace rempart
