// The XMP reader (metadata_blocks.h). XMP is RDF in XML; no XML library is needed to find what
// identifies a person: a tolerant scan of tags, attributes and text, with the properties of the
// common namespaces (exif, tiff, dc, photoshop, Iptc4xmpCore, xmpMM, …) in attribute form,
// element form and rdf:Seq/Alt/Bag lists.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "media/metadata_blocks.h"
#include "media/metadata_internal.h"

namespace rempart {

namespace metadata {

namespace {

// ---------------------------------------------------------------------------------------------
// XMP

// What an XMP property means to a person; `field` is exiftool's name for it.
struct XmpProperty {
  const char* qname;
  const char* field;
  FindingKind kind;
};

constexpr XmpProperty kXmpProperties[] = {
    {"tiff:Make", "Make", FindingKind::kDevice},
    {"tiff:Model", "Model", FindingKind::kDevice},
    {"aux:Lens", "Lens", FindingKind::kDevice},
    {"exifEX:LensMake", "LensMake", FindingKind::kDevice},
    {"exifEX:LensModel", "LensModel", FindingKind::kDevice},
    {"aux:SerialNumber", "SerialNumber", FindingKind::kSerialNumber},
    {"aux:LensSerialNumber", "LensSerialNumber", FindingKind::kSerialNumber},
    {"exifEX:BodySerialNumber", "SerialNumber", FindingKind::kSerialNumber},
    {"exifEX:LensSerialNumber", "LensSerialNumber", FindingKind::kSerialNumber},
    {"exif:ImageUniqueID", "ImageUniqueID", FindingKind::kSerialNumber},
    {"exifEX:ImageUniqueID", "ImageUniqueID", FindingKind::kSerialNumber},
    {"xmpMM:DocumentID", "DocumentID", FindingKind::kSerialNumber},
    {"xmpMM:OriginalDocumentID", "OriginalDocumentID", FindingKind::kSerialNumber},
    {"xmpMM:InstanceID", "InstanceID", FindingKind::kSerialNumber},
    {"tiff:Artist", "Artist", FindingKind::kPerson},
    {"tiff:Copyright", "Copyright", FindingKind::kPerson},
    {"dc:creator", "Creator", FindingKind::kPerson},
    {"dc:rights", "Rights", FindingKind::kPerson},
    {"dc:publisher", "Publisher", FindingKind::kPerson},
    {"dc:contributor", "Contributor", FindingKind::kPerson},
    {"xmpRights:Owner", "Owner", FindingKind::kPerson},
    {"xmpRights:WebStatement", "WebStatement", FindingKind::kPerson},
    {"aux:OwnerName", "OwnerName", FindingKind::kPerson},
    {"exifEX:CameraOwnerName", "OwnerName", FindingKind::kPerson},
    {"photoshop:AuthorsPosition", "AuthorsPosition", FindingKind::kPerson},
    {"photoshop:CaptionWriter", "CaptionWriter", FindingKind::kPerson},
    {"photoshop:Credit", "Credit", FindingKind::kPerson},
    {"Iptc4xmpCore:CiEmailWork", "CreatorWorkEmail", FindingKind::kPerson},
    {"Iptc4xmpCore:CiTelWork", "CreatorWorkTelephone", FindingKind::kPerson},
    {"Iptc4xmpCore:CiUrlWork", "CreatorWorkURL", FindingKind::kPerson},
    {"Iptc4xmpCore:CiAdrExtadr", "CreatorAddress", FindingKind::kPerson},
    {"Iptc4xmpCore:CiAdrCity", "CreatorCity", FindingKind::kPerson},
    {"Iptc4xmpCore:CiAdrPcode", "CreatorPostalCode", FindingKind::kPerson},
    {"Iptc4xmpCore:CiAdrRegion", "CreatorRegion", FindingKind::kPerson},
    {"Iptc4xmpCore:CiAdrCtry", "CreatorCountry", FindingKind::kPerson},
    {"Iptc4xmpExt:PersonInImage", "PersonInImage", FindingKind::kPerson},
    {"mwg-rs:Name", "RegionName", FindingKind::kPerson},
    {"MPRI:PersonDisplayName", "RegionPersonDisplayName", FindingKind::kPerson},
    {"xmp:CreatorTool", "CreatorTool", FindingKind::kSoftware},
    {"tiff:Software", "Software", FindingKind::kSoftware},
    {"stEvt:softwareAgent", "HistorySoftwareAgent", FindingKind::kSoftware},
    {"xmp:CreateDate", "CreateDate", FindingKind::kDate},
    {"xmp:ModifyDate", "ModifyDate", FindingKind::kDate},
    {"xmp:MetadataDate", "MetadataDate", FindingKind::kDate},
    {"tiff:DateTime", "ModifyDate", FindingKind::kDate},
    {"exif:DateTimeOriginal", "DateTimeOriginal", FindingKind::kDate},
    {"exif:DateTimeDigitized", "DateTimeDigitized", FindingKind::kDate},
    {"exif:GPSTimeStamp", "GPSDateTime", FindingKind::kDate},
    {"photoshop:DateCreated", "DateCreated", FindingKind::kDate},
    {"MicrosoftPhoto:DateAcquired", "DateAcquired", FindingKind::kDate},
    {"photoshop:City", "City", FindingKind::kLocation},
    {"photoshop:State", "State", FindingKind::kLocation},
    {"photoshop:Country", "Country", FindingKind::kLocation},
    {"Iptc4xmpCore:Location", "Location", FindingKind::kLocation},
    {"Iptc4xmpCore:CountryCode", "CountryCode", FindingKind::kLocation},
    {"Iptc4xmpExt:City", "City", FindingKind::kLocation},
    {"Iptc4xmpExt:CountryName", "Country", FindingKind::kLocation},
    {"Iptc4xmpExt:ProvinceState", "ProvinceState", FindingKind::kLocation},
    {"Iptc4xmpExt:Sublocation", "Sublocation", FindingKind::kLocation},
    {"Iptc4xmpExt:LocationName", "LocationName", FindingKind::kLocation},
    {"exif:GPSAltitude", "GPSAltitude", FindingKind::kLocation},
    {"exif:GPSAreaInformation", "GPSAreaInformation", FindingKind::kLocation},
    {"dc:description", "Description", FindingKind::kText},
    {"dc:title", "Title", FindingKind::kText},
    {"dc:subject", "Subject", FindingKind::kText},
    {"tiff:ImageDescription", "ImageDescription", FindingKind::kText},
    {"exif:UserComment", "UserComment", FindingKind::kText},
    {"photoshop:Headline", "Headline", FindingKind::kText},
    {"photoshop:Instructions", "Instructions", FindingKind::kText},
    {"photoshop:Source", "Source", FindingKind::kText},
    {"xmpRights:UsageTerms", "UsageTerms", FindingKind::kText},
    {"lr:hierarchicalSubject", "HierarchicalSubject", FindingKind::kText},
    {"MicrosoftPhoto:LastKeywordXMP", "LastKeywordXMP", FindingKind::kText},
    // Handled apart: the edit history is counted, coordinates are parsed.
    {"xmpMM:History", "History", FindingKind::kSoftware},
    {"exif:GPSLatitude", "GPSLatitude", FindingKind::kLocation},
    {"exif:GPSLongitude", "GPSLongitude", FindingKind::kLocation},
};

const XmpProperty* FindXmpProperty(std::string_view qname) {
  for (const XmpProperty& p : kXmpProperties)
    if (qname == p.qname) return &p;
  return nullptr;
}

// Replaces the five XML entities and numeric character references.
std::string DecodeEntities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '&') {
      out += s[i++];
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
      out += s[i++];
      continue;
    }
    std::string_view name = s.substr(i + 1, semi - i - 1);
    static constexpr std::pair<std::string_view, char> kNamed[] = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    bool done = false;
    for (const auto& [n, c] : kNamed) {
      if (name == n) {
        out += c;
        done = true;
      }
    }
    if (!done && name.size() >= 2 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::string_view digits = name.substr(hex ? 2 : 1);
      uint32_t cp = 0;
      bool valid = !digits.empty();
      for (char c : digits) {
        int d = c >= '0' && c <= '9'          ? c - '0'
                : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                              : -1;
        if (d < 0 || cp > 0x10FFFF) {
          valid = false;
          break;
        }
        cp = cp * (hex ? 16 : 10) + d;
      }
      if (valid && cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        AppendUtf8(out, cp);
        done = true;
      }
    }
    if (!done) {
      out += s[i++];
      continue;
    }
    i = semi + 1;
  }
  return out;
}

// A tolerant scan of XML: start tags with their attributes, end tags and text. Comments,
// processing instructions and DOCTYPE are skipped (entities are never defined or expanded, so
// there is no entity-expansion attack); CDATA is text.
class XmlScanner {
 public:
  struct Attribute {
    std::string_view name;
    std::string_view value;  // still encoded
  };
  enum class Kind { kStart, kEnd, kText, kDone };
  struct Token {
    Kind kind = Kind::kDone;
    std::string_view name;
    std::vector<Attribute> attributes;
    bool self_closing = false;
    std::string text;  // decoded, for kText
  };

  explicit XmlScanner(std::string_view xml) : xml_(xml) {}

  Token Next() {
    while (pos_ < xml_.size()) {
      if (xml_[pos_] != '<') return Text();
      if (Skip("<!--", "-->") || Skip("<?", "?>")) continue;
      if (xml_.substr(pos_).starts_with("<![CDATA[")) return CData();
      if (xml_.substr(pos_).starts_with("<!")) {
        if (!SkipPast(">")) break;
        continue;
      }
      return Tag();
    }
    return {};
  }

 private:
  bool Skip(std::string_view open, std::string_view close) {
    if (!xml_.substr(pos_).starts_with(open)) return false;
    size_t end = xml_.find(close, pos_ + open.size());
    pos_ = end == std::string_view::npos ? xml_.size() : end + close.size();
    return true;
  }
  bool SkipPast(std::string_view close) {
    size_t end = xml_.find(close, pos_);
    pos_ = end == std::string_view::npos ? xml_.size() : end + close.size();
    return end != std::string_view::npos;
  }

  Token Text() {
    size_t end = xml_.find('<', pos_);
    if (end == std::string_view::npos) end = xml_.size();
    Token t{Kind::kText, {}, {}, false, DecodeEntities(xml_.substr(pos_, end - pos_))};
    pos_ = end;
    return t;
  }

  Token CData() {
    size_t start = pos_ + 9;
    size_t end = xml_.find("]]>", start);
    if (end == std::string_view::npos) end = xml_.size();
    Token t{Kind::kText, {}, {}, false, std::string(xml_.substr(start, end - start))};
    pos_ = std::min(xml_.size(), end + 3);
    return t;
  }

  static bool IsNameChar(char c) {
    return c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '/' && c != '>' && c != '=' &&
           c != '<' && c != '"' && c != '\'';
  }
  void SkipSpace() {
    while (pos_ < xml_.size() &&
           (xml_[pos_] == ' ' || xml_[pos_] == '\t' || xml_[pos_] == '\r' || xml_[pos_] == '\n'))
      ++pos_;
  }
  std::string_view Name() {
    size_t start = pos_;
    while (pos_ < xml_.size() && IsNameChar(xml_[pos_])) ++pos_;
    return xml_.substr(start, pos_ - start);
  }

  Token Tag() {
    Token t;
    ++pos_;  // '<'
    bool end_tag = pos_ < xml_.size() && xml_[pos_] == '/';
    if (end_tag) ++pos_;
    t.kind = end_tag ? Kind::kEnd : Kind::kStart;
    t.name = Name();
    while (pos_ < xml_.size()) {
      SkipSpace();
      if (pos_ >= xml_.size()) break;
      char c = xml_[pos_];
      if (c == '>') {
        ++pos_;
        return t;
      }
      if (c == '/') {
        t.self_closing = true;
        ++pos_;
        continue;
      }
      std::string_view name = Name();
      if (name.empty()) {
        ++pos_;  // a stray character: skip it rather than stall
        continue;
      }
      SkipSpace();
      if (pos_ < xml_.size() && xml_[pos_] == '=') {
        ++pos_;
        SkipSpace();
        if (pos_ < xml_.size() && (xml_[pos_] == '"' || xml_[pos_] == '\'')) {
          char quote = xml_[pos_++];
          size_t end = xml_.find(quote, pos_);
          if (end == std::string_view::npos) end = xml_.size();
          t.attributes.push_back({name, xml_.substr(pos_, end - pos_)});
          pos_ = std::min(xml_.size(), end + 1);
        }
      }
    }
    return t;  // unterminated tag at the end of the packet
  }

  std::string_view xml_;
  size_t pos_ = 0;
};

// Parses "48,51.396N" or "48,51,23.76N" (XMP GPS coordinates) into degrees and precision.
std::optional<std::pair<double, double>> ParseXmpCoordinate(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.size() < 2) return std::nullopt;
  char ref = s.back();
  s.remove_suffix(1);
  double parts[3] = {0, 0, 0};
  int decimals[3] = {0, 0, 0};
  int n = 0;
  for (size_t start = 0; n < 3;) {
    size_t comma = s.find(',', start);
    std::string_view part =
        s.substr(start, comma == std::string_view::npos ? s.npos : comma - start);
    if (part.empty() || part.size() > 20) return std::nullopt;
    double value = 0;
    int frac = -1;
    for (char c : part) {
      if (c == '.' && frac < 0) {
        frac = 0;
      } else if (c >= '0' && c <= '9') {
        if (frac >= 0) {
          ++frac;
          value += (c - '0') * std::pow(10.0, -frac);
        } else {
          value = value * 10 + (c - '0');
        }
      } else {
        return std::nullopt;
      }
    }
    parts[n] = value;
    decimals[n] = std::max(frac, 0);
    ++n;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (n < 2) return std::nullopt;
  static constexpr double kMetresPerUnit[] = {111320.0, 1852.0, 30.87};
  double degrees = parts[0] + parts[1] / 60 + parts[2] / 3600;
  double precision = kMetresPerUnit[n - 1] / std::pow(10.0, decimals[n - 1]);
  if (ref == 'S' || ref == 'W')
    degrees = -degrees;
  else if (ref != 'N' && ref != 'E')
    return std::nullopt;
  return std::make_pair(degrees, precision);
}

class XmpReader {
 public:
  explicit XmpReader(PrivacyReport& report) : report_(report) {}

  void Read(std::string_view xml) {
    XmlScanner scanner(xml);
    for (int tokens = 0; tokens < 1'000'000; ++tokens) {
      XmlScanner::Token t = scanner.Next();
      if (t.kind == XmlScanner::Kind::kDone) break;
      if (t.kind == XmlScanner::Kind::kStart) Start(t);
      if (t.kind == XmlScanner::Kind::kEnd) End(t.name);
      if (t.kind == XmlScanner::Kind::kText) Text(t.text);
    }
    while (!open_.empty()) Close();
    Flush();
  }

 private:
  struct Open {
    std::string_view name;
    const XmpProperty* property;  // null for plain structure (rdf:Seq, rdf:li, …)
  };

  void Start(const XmlScanner::Token& t) {
    // Attribute form: <rdf:Description tiff:Make="Canon"> or <rdf:li stEvt:softwareAgent=…>.
    for (const auto& a : t.attributes) {
      if (const XmpProperty* p = FindXmpProperty(a.name)) Value(*p, DecodeEntities(a.value));
    }
    if (t.name == "rdf:li" && Innermost() &&
        std::string_view(Innermost()->qname) == "xmpMM:History")
      ++history_entries_;
    if (t.self_closing) return;
    if (open_.size() >= 256) return;  // absurd nesting: ignore deeper elements
    const XmpProperty* p = FindXmpProperty(t.name);
    if (p) texts_[p].clear();
    open_.push_back({t.name, p});
  }

  void End(std::string_view name) {
    // Tolerate mismatched tags: close up to the matching one if it is open.
    auto it =
        std::find_if(open_.rbegin(), open_.rend(), [&](const Open& o) { return o.name == name; });
    if (it == open_.rend()) return;
    size_t keep = open_.size() - 1 - static_cast<size_t>(it - open_.rbegin());
    while (open_.size() > keep) Close();
  }

  void Close() {
    const XmpProperty* p = open_.back().property;
    open_.pop_back();
    if (!p) return;
    if (std::string_view(p->qname) == "xmpMM:History") {
      if (history_entries_ > 0) pending_history_ += history_entries_;
      history_entries_ = 0;
      return;
    }
    for (std::string& text : texts_[p]) Value(*p, std::move(text));
    texts_[p].clear();
  }

  const XmpProperty* Innermost() const {
    for (auto it = open_.rbegin(); it != open_.rend(); ++it)
      if (it->property) return it->property;
    return nullptr;
  }

  void Text(const std::string& text) {
    const XmpProperty* p = Innermost();
    if (!p || std::string_view(p->qname) == "xmpMM:History") return;
    if (texts_[p].size() < 100) texts_[p].push_back(text);
  }

  void Value(const XmpProperty& p, std::string raw) {
    std::string text = CleanText(raw);
    if (text.empty()) return;
    std::string_view q = p.qname;
    if (q == "exif:GPSLatitude" || q == "exif:GPSLongitude") {
      (q == "exif:GPSLatitude" ? latitude_ : longitude_) = ParseXmpCoordinate(text);
      return;
    }
    if (q == "exif:GPSAltitude") text = RationalText(text) + " m";
    std::vector<std::string>& values = values_[p.field];
    if (kinds_.emplace(p.field, p.kind).second) order_.push_back(p.field);
    if (std::find(values.begin(), values.end(), text) == values.end() && values.size() < 50)
      values.push_back(text);
  }

  static std::string RationalText(const std::string& s) {
    auto slash = s.find('/');
    if (slash == std::string::npos) return s;
    double n = std::atof(s.substr(0, slash).c_str());
    double d = std::atof(s.substr(slash + 1).c_str());
    return d != 0 ? FormatNumber(std::round(n / d * 10) / 10) : s;
  }

  void Flush() {
    if (latitude_ && longitude_) {
      GeoPoint point;
      point.latitude = latitude_->first;
      point.longitude = longitude_->first;
      point.precision_m = std::max(latitude_->second, longitude_->second);
      if (std::abs(point.latitude) <= 90 && std::abs(point.longitude) <= 180) {
        report_.Add(FindingKind::kLocation, "GPSPosition",
                    fmt::format("{:.6f}, {:.6f}", point.latitude, point.longitude), "XMP");
        if (!report_.location) report_.location = point;
      }
    }
    for (const std::string& field : order_) {
      std::string joined;
      for (const std::string& v : values_[field]) joined += (joined.empty() ? "" : ", ") + v;
      report_.Add(kinds_[field], field, CleanText(joined, 300), "XMP");
    }
    if (pending_history_ > 0) {
      report_.Add(FindingKind::kSoftware, "History",
                  fmt::format("{} {}", pending_history_, pending_history_ == 1 ? "edit" : "edits"),
                  "XMP");
    }
  }

  PrivacyReport& report_;
  std::vector<Open> open_;
  std::map<const XmpProperty*, std::vector<std::string>> texts_;
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, FindingKind> kinds_;
  std::vector<std::string> order_;
  std::optional<std::pair<double, double>> latitude_, longitude_;
  int history_entries_ = 0;
  int pending_history_ = 0;
};

}  // namespace

}  // namespace metadata

void ReadXmp(std::span<const uint8_t> xml, PrivacyReport& report) {
  report.Add(FindingKind::kOther, "XMP", metadata::ByteCount(xml.size()), "XMP");
  std::string_view text = metadata::AsText(xml);
  // Some writers pad packets with NULs; the scan stops at the first one.
  text = text.substr(0, text.find('\0'));
  metadata::XmpReader(report).Read(text);
}

}  // namespace rempart
