#include "media/quicktime_metadata.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "media/metadata_blocks.h"
#include "media/metadata_internal.h"

namespace rempart::bmff {
namespace {

constexpr uint64_t kMaxMetadataBox = 16 * 1024 * 1024;  // udta/meta larger than this: not read
constexpr char kUserData[] = "QuickTime UserData";
constexpr char kKeys[] = "QuickTime Keys";
constexpr char kItemList[] = "QuickTime ItemList";

using Bytes = std::span<const uint8_t>;

struct Tag {
  uint32_t type;
  FindingKind kind;
  const char* field;
};

// udta and ilst entries, named as exiftool names them.
constexpr Tag kTags[] = {
    {Copyright("mak"), FindingKind::kDevice, "Make"},
    {Copyright("mod"), FindingKind::kDevice, "Model"},
    {Copyright("swr"), FindingKind::kSoftware, "SoftwareVersion"},
    {Copyright("too"), FindingKind::kSoftware, "Encoder"},
    {Copyright("day"), FindingKind::kDate, "ContentCreateDate"},
    {Copyright("ART"), FindingKind::kPerson, "Artist"},
    {Copyright("aut"), FindingKind::kPerson, "Author"},
    {Copyright("cpy"), FindingKind::kPerson, "Copyright"},
    {Copyright("own"), FindingKind::kPerson, "Owner"},
    {Copyright("prd"), FindingKind::kPerson, "Producer"},
    {Copyright("dir"), FindingKind::kPerson, "Director"},
    {Copyright("wrt"), FindingKind::kPerson, "Composer"},
    {FourCC("aART"), FindingKind::kPerson, "AlbumArtist"},
    {Copyright("nam"), FindingKind::kText, "Title"},
    {Copyright("cmt"), FindingKind::kText, "Comment"},
    {Copyright("des"), FindingKind::kText, "Description"},
    {Copyright("inf"), FindingKind::kText, "Information"},
    {Copyright("key"), FindingKind::kText, "Keywords"},
    {Copyright("alb"), FindingKind::kText, "Album"},
    {FourCC("desc"), FindingKind::kText, "Description"},
    {FourCC("ldes"), FindingKind::kText, "LongDescription"},
    {FourCC("name"), FindingKind::kText, "Name"},
    // 3GPP user data (a full box, a language, a string).
    {FourCC("cprt"), FindingKind::kPerson, "Copyright"},
    {FourCC("auth"), FindingKind::kPerson, "Author"},
    {FourCC("perf"), FindingKind::kPerson, "Performer"},
    {FourCC("titl"), FindingKind::kText, "Title"},
    {FourCC("dscp"), FindingKind::kText, "Description"},
    {FourCC("kywd"), FindingKind::kText, "Keywords"},
    // Camera vendors' boxes (GoPro and others) that identify the device or the recording.
    {FourCC("FIRM"), FindingKind::kSoftware, "FirmwareVersion"},
    {FourCC("LENS"), FindingKind::kSerialNumber, "LensSerialNumber"},
    {FourCC("CAME"), FindingKind::kSerialNumber, "SerialNumberHash"},
    {FourCC("MUID"), FindingKind::kSerialNumber, "MediaUniqueID"},
    {FourCC("GUMI"), FindingKind::kSerialNumber, "GlobalUniqueMediaID"},
    {FourCC("CNMN"), FindingKind::kDevice, "Model"},  // Canon
    {FourCC("CNTH"), FindingKind::kPreview, "ThumbnailImage"},
    {FourCC("PICT"), FindingKind::kPreview, "PreviewImage"},
    {FourCC("thmb"), FindingKind::kPreview, "ThumbnailImage"},
};

const Tag* FindTag(uint32_t type) {
  for (const Tag& tag : kTags)
    if (tag.type == type) return &tag;
  return nullptr;
}

std::string Text(std::string_view text) { return metadata::CleanText(text); }
std::string Text(Bytes bytes) {
  return Text(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

// UTF-16BE (ilst data type 2) to UTF-8; characters outside the BMP become '?'.
std::string Utf16(Bytes bytes) {
  std::string out;
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    unsigned c = bytes[i] << 8 | bytes[i + 1];
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | c >> 6);
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c >= 0xD800 && c < 0xE000) {
      out += '?';
    } else {
      out += static_cast<char>(0xE0 | c >> 12);
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return Text(out);
}

// Text when the bytes read as text, otherwise their size: vendor boxes hold either.
std::string TextOrSize(Bytes bytes) {
  for (uint8_t c : bytes)
    if (c < 0x20 && c != 0 && c != '\t' && c != '\n' && c != '\r') return ByteCount(bytes.size());
  std::string text = Text(bytes);
  return text.empty() ? ByteCount(bytes.size()) : text;
}

void AddLocation(PrivacyReport& report, std::string field, std::string_view text,
                 std::string where) {
  auto point = ParseIso6709(text);
  if (point && !report.location) report.location = point;
  report.Add(FindingKind::kLocation, std::move(field), Text(text), std::move(where));
}

// An ilst 'data' box payload: type indicator, locale, value.
struct DataValue {
  uint32_t type = 0;
  Bytes value;
};

std::optional<DataValue> FirstDataBox(Bytes payload) {
  MemorySource source(payload);
  BoxBudget budget(64);
  std::optional<DataValue> found;
  (void)ForEachBox(source, 0, payload.size(), 0, budget, [&](const Box& box) {
    if (box.type != FourCC("data") || found || box.payload_size() < 8) return Status::Ok();
    Reader r(payload, box.payload_offset());
    DataValue v;
    v.type = r.U32() & 0xFFFFFF;
    r.Skip(4);
    v.value = r.Bytes(box.payload_size() - 8);
    if (r.ok()) found = v;
    return Status::Ok();
  });
  return found;
}

std::string DataText(const DataValue& data) {
  if (data.type == 1) return Text(data.value);
  if (data.type == 2) return Utf16(data.value);
  return TextOrSize(data.value);
}

// QuickTime's international text list: (16-bit length, 16-bit language, text)*; the first.
std::string QuickTimeText(Bytes payload) {
  Reader r(payload);
  uint16_t length = r.U16();
  r.Skip(2);
  if (!r.ok()) return TextOrSize(payload);
  return Text(r.Bytes(std::min<size_t>(length, r.remaining())));
}

// 3GPP strings: version/flags, packed language, NUL-terminated text.
std::string ThreeGppText(Bytes payload) {
  Reader r(payload);
  r.Skip(6);
  std::string_view s = r.CString();
  if (s.size() >= 2 && static_cast<uint8_t>(s[0]) == 0xFE && static_cast<uint8_t>(s[1]) == 0xFF)
    return Utf16(Bytes(reinterpret_cast<const uint8_t*>(s.data()) + 2, s.size() - 2));
  return Text(s);
}

bool IsThreeGpp(uint32_t type) {
  for (uint32_t t : {FourCC("cprt"), FourCC("auth"), FourCC("perf"), FourCC("titl"), FourCC("dscp"),
                     FourCC("kywd")})
    if (t == type) return true;
  return false;
}

// 3GPP 'loci': names, role, then 16.16 fixed longitude, latitude, altitude.
void ReadLoci(Bytes payload, PrivacyReport& report) {
  Reader r(payload);
  r.Skip(6);
  std::string_view name = r.CString();
  r.Skip(1);
  auto longitude = static_cast<int32_t>(r.U32()) / 65536.0;
  auto latitude = static_cast<int32_t>(r.U32()) / 65536.0;
  auto altitude = static_cast<int32_t>(r.U32()) / 65536.0;
  if (!r.ok()) {
    report.Add(FindingKind::kLocation, "LocationInformation", ByteCount(payload.size()), kUserData);
    return;
  }
  char text[96];
  std::snprintf(text, sizeof text, "%.5f, %.5f", latitude, longitude);
  if (!report.location && std::fabs(latitude) <= 90 && std::fabs(longitude) <= 180)
    report.location = GeoPoint{latitude, longitude, altitude, 1.0 / 65536 * 111320};
  std::string value = text;
  if (!name.empty()) value += " (" + Text(name) + ")";
  report.Add(FindingKind::kLocation, "LocationInformation", value, kUserData);
}

// ---- Apple 'keys' + 'ilst', iTunes 'ilst' ----

struct KeyTag {
  const char* suffix;  // after "com.apple.quicktime."
  FindingKind kind;
  const char* field;
};

constexpr KeyTag kKeyTags[] = {
    {"location.ISO6709", FindingKind::kLocation, "GPSCoordinates"},
    {"location.name", FindingKind::kLocation, "LocationName"},
    {"make", FindingKind::kDevice, "Make"},
    {"model", FindingKind::kDevice, "Model"},
    {"software", FindingKind::kSoftware, "Software"},
    {"creationdate", FindingKind::kDate, "CreationDate"},
    {"author", FindingKind::kPerson, "Author"},
    {"artist", FindingKind::kPerson, "Artist"},
    {"copyright", FindingKind::kPerson, "Copyright"},
    {"publisher", FindingKind::kPerson, "Publisher"},
    {"producer", FindingKind::kPerson, "Producer"},
    {"director", FindingKind::kPerson, "Director"},
    {"description", FindingKind::kText, "Description"},
    {"comment", FindingKind::kText, "Comment"},
    {"title", FindingKind::kText, "Title"},
    {"displayname", FindingKind::kText, "DisplayName"},
    {"keywords", FindingKind::kText, "Keywords"},
    {"information", FindingKind::kText, "Information"},
    {"content.identifier", FindingKind::kSerialNumber, "ContentIdentifier"},
};

Tag KeyInfo(std::string_view key, std::string& field) {
  constexpr std::string_view kApple = "com.apple.quicktime.";
  field = std::string(key);
  if (key.starts_with(kApple)) {
    std::string_view suffix = key.substr(kApple.size());
    for (const KeyTag& tag : kKeyTags)
      if (suffix == tag.suffix) return {0, tag.kind, tag.field};
    if (suffix.starts_with("location.")) return {0, FindingKind::kLocation, nullptr};
    if (suffix.starts_with("camera.")) return {0, FindingKind::kDevice, nullptr};
  }
  if (key == "com.android.version") return {0, FindingKind::kSoftware, "AndroidVersion"};
  return {0, FindingKind::kOther, nullptr};
}

void ReportKeyItem(std::string_view key, const DataValue& data, PrivacyReport& report) {
  std::string field;
  Tag tag = KeyInfo(key, field);
  if (tag.field) field = tag.field;
  std::string value = DataText(data);
  if (field == "GPSCoordinates") {
    std::string_view raw(reinterpret_cast<const char*>(data.value.data()), data.value.size());
    AddLocation(report, field, raw, kKeys);
    return;
  }
  report.Add(tag.kind, std::move(field), std::move(value), kKeys);
}

std::vector<std::string> ReadKeys(Bytes payload) {
  Reader r(payload);
  r.Skip(4);
  uint32_t count = r.U32();
  std::vector<std::string> keys;
  for (uint32_t i = 0; i < count && r.ok() && r.remaining() >= 8; ++i) {
    uint32_t size = r.U32();
    r.Skip(4);  // namespace, 'mdta'
    if (size < 8) break;
    auto key = r.Bytes(size - 8);
    keys.emplace_back(reinterpret_cast<const char*>(key.data()), key.size());
  }
  return keys;
}

void ReportIlstItem(const Box& item, Bytes payload, const std::vector<std::string>* keys,
                    PrivacyReport& report) {
  auto data = FirstDataBox(payload);
  if (keys) {
    uint32_t index = item.type;
    std::string key = index >= 1 && index <= keys->size() ? (*keys)[index - 1] : "unknown key";
    if (data) return ReportKeyItem(key, *data, report);
    report.Add(FindingKind::kOther, key, ByteCount(payload.size()), kKeys);
    return;
  }
  if (item.type == FourCC("covr")) {
    report.Add(FindingKind::kPreview, "CoverArt", ByteCount(payload.size()), kItemList);
    return;
  }
  const Tag* tag = FindTag(item.type);
  std::string value = data ? DataText(*data) : ByteCount(payload.size());
  if (tag) return report.Add(tag->kind, tag->field, std::move(value), kItemList);
  report.Add(FindingKind::kOther, TypeName(item.type), std::move(value), kItemList);
}

Result<std::vector<uint8_t>> ReadPayload(const ByteSource& source, const Box& box) {
  return source.Read(box.payload_offset(), box.payload_size(), kMaxMetadataBox);
}

// Children of a meta payload; QuickTime's 'meta' has no version/flags, ISO's does.
size_t MetaChildrenStart(Bytes payload) {
  if (payload.size() >= 12 &&
      std::string_view(reinterpret_cast<const char*>(&payload[4]), 4) == std::string_view("hdlr"))
    return 0;
  return payload.size() >= 4 ? 4 : 0;
}

Status WalkMeta(Bytes payload, PrivacyReport& report) {
  MemorySource source(payload);
  BoxBudget budget(100000);
  uint32_t handler = 0;
  std::vector<std::string> keys;
  bool have_keys = false;
  return ForEachBox(
      source, MetaChildrenStart(payload), payload.size(), 1, budget, [&](const Box& box) {
        Bytes body = payload.subspan(box.payload_offset(), box.payload_size());
        if (box.type == FourCC("hdlr")) {
          handler = Reader(body, 8).U32();
        } else if (box.type == FourCC("keys")) {
          keys = ReadKeys(body);
          have_keys = true;
        } else if (box.type == FourCC("ilst")) {
          const auto* key_list = have_keys || handler == FourCC("mdta") ? &keys : nullptr;
          return ForEachBox(
              source, box.payload_offset(), box.end(), 2, budget, [&](const Box& item) {
                ReportIlstItem(item, payload.subspan(item.payload_offset(), item.payload_size()),
                               key_list, report);
                return Status::Ok();
              });
        } else if (box.type == FourCC("XMP_")) {
          ReadXmp(body, report);
        } else if (box.type != FourCC("free") && box.type != FourCC("skip")) {
          report.Add(FindingKind::kOther, "meta " + TypeName(box.type), ByteCount(box.size),
                     "QuickTime");
        }
        return Status::Ok();
      });
}

void ReadUserDataChild(Bytes payload, const Box& box, PrivacyReport& report) {
  Bytes body = payload.subspan(box.payload_offset(), box.payload_size());
  if (box.type == Copyright("xyz")) {
    std::string text = QuickTimeText(body);
    return AddLocation(report, "GPSCoordinates", text, kUserData);
  }
  if (box.type == FourCC("loci")) return ReadLoci(body, report);
  if (box.type == FourCC("XMP_")) return ReadXmp(body, report);
  if (box.type == FourCC("meta")) {
    if (!WalkMeta(body, report).ok())
      report.Add(FindingKind::kOther, "meta", ByteCount(box.size), kUserData);
    return;
  }
  const Tag* tag = FindTag(box.type);
  std::string value;
  if (body.size() >= 8 && std::string_view(reinterpret_cast<const char*>(&body[4]), 4) == "data") {
    auto data = FirstDataBox(body);
    value = data ? DataText(*data) : ByteCount(body.size());
  } else if (IsThreeGpp(box.type)) {
    value = ThreeGppText(body);
  } else if (box.type >> 24 == 0xA9) {
    value = QuickTimeText(body);
  } else {
    value = TextOrSize(body);
  }
  if (tag) return report.Add(tag->kind, tag->field, std::move(value), kUserData);
  // Vendors (Xtra, MVTG, …) keep serial numbers and settings in boxes of their own.
  report.Add(FindingKind::kOther, TypeName(box.type), ByteCount(box.size), kUserData);
}

// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

// Reads a signed decimal of ISO 6709: sign, integer digits, optional fraction.
struct Number {
  bool ok = false;
  double value = 0;
  int int_digits = 0;
  int frac_digits = 0;
};

Number ParseSigned(std::string_view text, size_t& pos) {
  Number n;
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return n;
  bool negative = text[pos++] == '-';
  double value = 0;
  for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++n.int_digits)
    value = value * 10 + (text[pos] - '0');
  if (pos < text.size() && text[pos] == '.') {
    double scale = 0.1;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      value += (text[pos] - '0') * scale;
      scale /= 10;
      ++n.frac_digits;
    }
  }
  n.ok = n.int_digits > 0 && n.int_digits <= 7 && n.frac_digits <= 12;
  n.value = negative ? -value : value;
  return n;
}

// ±DD[MM[SS]] (latitude, 2 degree digits) or ±DDD[MM[SS]] (longitude) to degrees, and the
// size in degrees of one unit of the last digit written.
std::optional<std::pair<double, double>> ToDegrees(const Number& n, int degree_digits) {
  double magnitude = std::fabs(n.value);
  double unit = std::pow(10.0, -n.frac_digits);
  double degrees = 0;
  if (n.int_digits == degree_digits) {
    degrees = magnitude;
  } else if (n.int_digits == degree_digits + 2) {
    double d = std::floor(magnitude / 100);
    degrees = d + (magnitude - d * 100) / 60;
    unit /= 60;
  } else if (n.int_digits == degree_digits + 4) {
    double d = std::floor(magnitude / 10000);
    double m = std::floor((magnitude - d * 10000) / 100);
    degrees = d + m / 60 + (magnitude - d * 10000 - m * 100) / 3600;
    unit /= 3600;
  } else {
    return std::nullopt;
  }
  return std::make_pair(n.value < 0 ? -degrees : degrees, unit);
}

}  // namespace

std::string Mac1904ToString(uint64_t seconds) {
  constexpr int64_t kDays1904To1970 = 24107;
  int64_t days = static_cast<int64_t>(seconds / 86400) - kDays1904To1970;
  uint64_t rest = seconds % 86400;
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(days, y, m, d);
  if (y > 9999) return std::to_string(seconds) + " seconds after 1904";
  char text[32];
  std::snprintf(text, sizeof text, "%04lld:%02u:%02u %02u:%02u:%02u", static_cast<long long>(y), m,
                d, static_cast<unsigned>(rest / 3600), static_cast<unsigned>(rest / 60 % 60),
                static_cast<unsigned>(rest % 60));
  return text;
}

std::optional<GeoPoint> ParseIso6709(std::string_view text) {
  size_t pos = 0;
  Number lat = ParseSigned(text, pos);
  Number lon = ParseSigned(text, pos);
  if (!lat.ok || !lon.ok) return std::nullopt;
  auto latitude = ToDegrees(lat, 2);
  auto longitude = ToDegrees(lon, 3);
  if (!latitude || !longitude) return std::nullopt;
  if (std::fabs(latitude->first) > 90 || std::fabs(longitude->first) > 180) return std::nullopt;
  GeoPoint point;
  point.latitude = latitude->first;
  point.longitude = longitude->first;
  constexpr double kMetresPerDegree = 111320;
  point.precision_m = std::max(latitude->second, longitude->second) * kMetresPerDegree;
  Number alt = ParseSigned(text, pos);
  if (alt.ok) point.altitude_m = alt.value;
  return point;
}

void ReadHeaderDates(const ByteSource& source, const Box& box, std::string_view prefix,
                     PrivacyReport& report) {
  uint8_t head[20] = {};
  uint64_t n = std::min<uint64_t>(sizeof head, box.payload_size());
  if (!source.ReadAt(box.payload_offset(), std::span<uint8_t>(head, n)).ok()) return;
  Reader r(std::span<const uint8_t>(head, n));
  bool wide = r.U8() == 1;
  r.Skip(3);
  uint64_t created = wide ? r.U64() : r.U32();
  uint64_t modified = wide ? r.U64() : r.U32();
  if (!r.ok()) return;
  std::string base(prefix);
  if (created)
    report.Add(FindingKind::kDate, base + "CreateDate", Mac1904ToString(created), "QuickTime");
  if (modified)
    report.Add(FindingKind::kDate, base + "ModifyDate", Mac1904ToString(modified), "QuickTime");
}

void ReadUserData(const ByteSource& source, const Box& udta, PrivacyReport& report) {
  auto payload = ReadPayload(source, udta);
  if (!payload.ok()) {
    report.Add(FindingKind::kOther, "UserData", ByteCount(udta.size), kUserData);
    return;
  }
  Bytes bytes(*payload);
  MemorySource inner(bytes);
  BoxBudget budget(100000);
  Status st = ForEachBox(inner, 0, bytes.size(), 1, budget, [&](const Box& box) {
    ReadUserDataChild(bytes, box, report);
    return Status::Ok();
  });
  if (!st.ok()) report.Add(FindingKind::kOther, "UserData", ByteCount(udta.size), kUserData);
}

void ReadMovieMeta(const ByteSource& source, const Box& meta, PrivacyReport& report) {
  auto payload = ReadPayload(source, meta);
  if (!payload.ok() || !WalkMeta(*payload, report).ok())
    report.Add(FindingKind::kOther, "meta", ByteCount(meta.size), "QuickTime");
}

}  // namespace rempart::bmff
