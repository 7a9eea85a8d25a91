// PNG: an 8-byte signature, then chunks of (length, type, data, CRC-32) up to IEND.
//
// The picture lives in the critical chunks (IHDR, PLTE, IDAT, IEND) and in a few ancillary
// ones that change how pixels look (transparency, gamma, colour space, APNG animation). What
// can identify a person lives in the others: text chunks (tEXt, zTXt, iTXt, including XMP and
// ImageMagick's hex-encoded "Raw profile" copies of EXIF and IPTC), eXIf, tIME, and whatever
// private chunks tools invent. The scrubber keeps the first kind byte for byte and drops the
// rest, so decoded pixels cannot change.
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "media/media_format.h"
#include "media/metadata_blocks.h"
#include "media/metadata_internal.h"

namespace rempart {
namespace {

constexpr std::string_view kSignature{"\x89PNG\r\n\x1A\n", 8};
constexpr uint32_t kMaxChunkLength = 0x7FFFFFFF;  // the PNG specification's limit
constexpr uint64_t kMaxMetadataChunk = 16 << 20;  // larger metadata chunks are not read
constexpr size_t kMaxInflated = 8 << 20;          // one decompressed text (zip bombs)
constexpr size_t kInflateBudget = 64 << 20;       // all decompressed text of one file
constexpr size_t kMaxFindings = 10000;            // a file of a million tEXt chunks
constexpr size_t kMaxKeyword = 79;
constexpr std::string_view kXmpKeyword = "XML:com.adobe.xmp";
constexpr std::string_view kRawProfilePrefix = "Raw profile type ";
constexpr std::string_view kExifPrefix{"Exif\0\0", 6};
constexpr std::string_view kNeutralIccName = "ICC Profile";

// Chunks that carry the picture or change how it looks; everything else is metadata.
constexpr std::array<std::string_view, 17> kImageChunks = {
    "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "sBIT",
    "pHYs", "bKGD", "cICP", "mDCv", "cLLi", "acTL", "fcTL", "fdAT"};

// Usual names of an embedded colour profile; any other name is free text someone typed.
constexpr std::array<std::string_view, 27> kUsualIccNames = {"",
                                                             "icc",
                                                             "icc profile",
                                                             "icc_profile",
                                                             "icc-profile",
                                                             "iccprofile",
                                                             "photoshop icc profile",
                                                             "embedded profile",
                                                             "embedded icc profile",
                                                             "default",
                                                             "profile",
                                                             "srgb",
                                                             "srgb iec61966-2.1",
                                                             "srgb iec61966-2-1",
                                                             "srgb built-in",
                                                             "srgb profile",
                                                             "display p3",
                                                             "displayp3",
                                                             "p3",
                                                             "adobe rgb (1998)",
                                                             "adobergb",
                                                             "prophoto rgb",
                                                             "rec2020",
                                                             "rec. 2020",
                                                             "generic rgb profile",
                                                             "generic gray profile",
                                                             "gray"};

struct Chunk {
  uint64_t offset = 0;  // of the length field
  uint32_t length = 0;  // of the data
  std::string type;     // four ASCII letters
  bool crc_ok = true;
  uint64_t data_offset() const { return offset + 8; }
  uint64_t end() const { return offset + 12 + uint64_t{length}; }
  uint64_t size() const { return end() - offset; }
  // The case of the first letter says whether a decoder may skip the chunk.
  bool critical() const { return (type[0] & 0x20) == 0; }
  bool is_image() const {
    return std::find(kImageChunks.begin(), kImageChunks.end(), type) != kImageChunks.end();
  }
};

uint32_t Be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

std::string Be32String(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string_view AsText(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::span<const uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

bool IsAsciiLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = IsAsciiLetter(c) ? static_cast<char>(c | 0x20) : c;  // any locale
  return out;
}

// A complete chunk with its CRC, for the few bytes the scrubber writes itself.
std::string MakeChunk(std::string_view type, std::string_view data) {
  std::string body = std::string(type) + std::string(data);
  uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size());
  return Be32String(static_cast<uint32_t>(data.size())) + body + Be32String(crc);
}

Status Truncated() {
  return Error(Code::kInvalidInput, "the file ends too early: it is truncated or damaged");
}

Status Damaged() {
  return Error(Code::kInvalidInput,
               "the PNG image is damaged: save it again from an image editor and retry");
}

// ---- Walking the chunks ----

using ChunkVisitor = std::function<Status(const Chunk&)>;

// CRC-32 of [offset, offset + length) of the input, read in pieces so IDAT is never held whole.
Result<uint32_t> CrcOfRange(const ByteSource& input, uint64_t offset, uint64_t length, uint32_t crc,
                            std::vector<uint8_t>& buffer) {
  constexpr uint64_t kPiece = 64 * 1024;
  for (uint64_t done = 0; done < length;) {
    const uint64_t n = std::min(kPiece, length - done);
    buffer.resize(n);
    REMPART_RETURN_IF_ERROR(input.ReadAt(offset + done, buffer));
    crc = crc32(crc, buffer.data(), static_cast<uInt>(n));
    done += n;
  }
  return crc;
}

Result<Chunk> ReadChunkHeader(const ByteSource& input, uint64_t pos) {
  if (pos == input.size()) return Truncated();  // no IEND
  std::array<uint8_t, 8> head{};
  REMPART_RETURN_IF_ERROR(input.ReadAt(pos, head));
  Chunk chunk;
  chunk.offset = pos;
  chunk.length = Be32(head.data());
  chunk.type.assign(head.begin() + 4, head.end());
  if (!std::all_of(chunk.type.begin(), chunk.type.end(), IsAsciiLetter)) return Damaged();
  if (chunk.length > kMaxChunkLength) return Damaged();
  if (chunk.end() > input.size()) return Truncated();
  return chunk;
}

struct Layout {
  uint32_t width = 0;
  uint32_t height = 0;
  uint64_t end = 0;  // just past IEND
};

// The image header: 13 bytes, of which the size must be valid for any decoder to accept it.
Status ReadImageHeader(const ByteSource& input, const Chunk& chunk, Layout& layout) {
  if (chunk.type != "IHDR" || chunk.length != 13) return Damaged();
  std::array<uint8_t, 8> size{};
  REMPART_RETURN_IF_ERROR(input.ReadAt(chunk.data_offset(), size));
  layout.width = Be32(size.data());
  layout.height = Be32(size.data() + 4);
  if (layout.width == 0 || layout.height == 0 || layout.width > kMaxChunkLength ||
      layout.height > kMaxChunkLength) {
    return Damaged();
  }
  return Status::Ok();
}

// Calls `visit` for each chunk from IHDR to IEND.
Result<Layout> WalkChunks(const ByteSource& input, const ChunkVisitor& visit) {
  std::array<uint8_t, 8> signature{};
  if (input.size() < signature.size() || !input.ReadAt(0, signature).ok() ||
      AsText(signature) != kSignature) {
    return Error(Code::kInvalidInput, "this file is not a PNG image");
  }
  Layout layout;
  std::vector<uint8_t> buffer;
  for (uint64_t pos = signature.size();;) {
    REMPART_ASSIGN_OR_RETURN(Chunk chunk, ReadChunkHeader(input, pos));
    if (pos == signature.size()) REMPART_RETURN_IF_ERROR(ReadImageHeader(input, chunk, layout));
    REMPART_ASSIGN_OR_RETURN(uint32_t crc, CrcOfRange(input, chunk.offset + 4, chunk.length + 4ULL,
                                                      crc32(0, nullptr, 0), buffer));
    std::array<uint8_t, 4> stored{};
    REMPART_RETURN_IF_ERROR(input.ReadAt(chunk.end() - 4, stored));
    chunk.crc_ok = crc == Be32(stored.data());
    // A decoder refuses a critical chunk with a bad CRC; an ancillary one it merely skips.
    if (!chunk.crc_ok && chunk.critical()) {
      return Error(Code::kInvalidInput,
                   "the PNG image is damaged (bad checksum in its {} chunk): save it again from "
                   "an image editor and retry",
                   chunk.type);
    }
    REMPART_RETURN_IF_ERROR(visit(chunk));
    pos = chunk.end();
    if (chunk.type == "IEND") {
      layout.end = pos;
      return layout;
    }
  }
}

// ---- Text chunks ----

enum class TextState { kOk, kTooLarge, kDamaged };

struct PngText {
  std::string keyword;
  std::string text;  // decompressed; Latin-1 or UTF-8 as the writer chose
  TextState state = TextState::kOk;
};

// Inflates zlib data, stopping at `cap` output bytes so a small chunk cannot expand to
// gigabytes; the cap shrinks the caller's budget so many such chunks cannot either.
TextState Inflate(std::span<const uint8_t> in, size_t& budget, std::string& out) {
  const size_t cap = std::min(kMaxInflated, budget);
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return TextState::kDamaged;
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  TextState state = TextState::kOk;
  std::array<uint8_t, 16 * 1024> piece{};
  for (;;) {
    zs.next_out = piece.data();
    zs.avail_out = piece.size();
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.append(reinterpret_cast<const char*>(piece.data()), piece.size() - zs.avail_out);
    if (out.size() > cap) {
      out.resize(cap);
      state = TextState::kTooLarge;
      break;
    }
    if (rc == Z_STREAM_END) break;
    // Z_BUF_ERROR with no input left: the stream was cut short.
    if (rc != Z_OK) {
      state = TextState::kDamaged;
      break;
    }
  }
  inflateEnd(&zs);
  budget -= std::min(budget, out.size());
  return state;
}

// Splits "keyword\0rest"; nullopt when there is no valid keyword.
std::optional<std::pair<std::string, std::span<const uint8_t>>> SplitKeyword(
    std::span<const uint8_t> data) {
  const auto nul = std::find(data.begin(), data.end(), 0);
  const size_t length = static_cast<size_t>(nul - data.begin());
  if (nul == data.end() || length > kMaxKeyword) return std::nullopt;
  return std::pair{std::string(AsText(data.first(length))), data.subspan(length + 1)};
}

// Decodes tEXt, zTXt or iTXt data.
PngText ParseTextChunk(std::string_view type, std::span<const uint8_t> data, size_t& budget) {
  PngText out;
  auto split = SplitKeyword(data);
  if (!split) {
    out.state = TextState::kDamaged;
    return out;
  }
  out.keyword = split->first;
  std::span<const uint8_t> rest = split->second;
  if (type == "tEXt") {
    out.text = AsText(rest);
    return out;
  }
  bool compressed = true;
  if (type == "iTXt") {
    // flag, method, language tag\0, translated keyword\0, text
    if (rest.size() < 2) {
      out.state = TextState::kDamaged;
      return out;
    }
    compressed = rest[0] != 0;
    rest = rest.subspan(2);
    for (int field = 0; field < 2; ++field) {
      const auto nul = std::find(rest.begin(), rest.end(), 0);
      if (nul == rest.end()) {
        out.state = TextState::kDamaged;
        return out;
      }
      rest = rest.subspan(static_cast<size_t>(nul - rest.begin()) + 1);
    }
  } else {  // zTXt: method, compressed text
    if (rest.empty()) {
      out.state = TextState::kDamaged;
      return out;
    }
    rest = rest.subspan(1);
  }
  if (!compressed) {
    out.text = AsText(rest);
    return out;
  }
  out.state = Inflate(rest, budget, out.text);
  return out;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// What a keyword's value tells about a person (keywords of the PNG specification first, then
// the ones cameras, phones and ImageMagick write).
FindingKind KindOfKeyword(std::string_view keyword) {
  const std::string k = Lower(keyword);
  if (k == "author" || k == "artist" || k == "copyright" || k == "creator" || Contains(k, "owner"))
    return FindingKind::kPerson;
  if (k == "software" || k == "creator tool" || k == "creatortool") return FindingKind::kSoftware;
  if (Contains(k, "time") || Contains(k, "date")) return FindingKind::kDate;
  if (k == "make" || k == "model" || k == "source" || Contains(k, "lens"))
    return FindingKind::kDevice;
  if (Contains(k, "serial") || Contains(k, "unique")) return FindingKind::kSerialNumber;
  if (Contains(k, "gps") || Contains(k, "location") || Contains(k, "city") ||
      Contains(k, "country"))
    return FindingKind::kLocation;
  return FindingKind::kText;
}

// exiftool's tag name for a keyword: "Creation Time" is printed "CreationTime".
std::string FieldOfKeyword(std::string_view keyword) {
  std::string field = metadata::CleanText(keyword);
  std::erase(field, ' ');
  return field.empty() ? "Text" : field;
}

// ---- ImageMagick's "Raw profile type NAME": "\nname\n   length\nhexhexhex…" ----

int HexValue(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<uint8_t> DecodeRawProfile(std::string_view text) {
  size_t pos = text.find_first_not_of(" \t\r\n");
  pos = text.find_first_of(" \t\r\n", pos);  // past the profile name
  pos = text.find_first_not_of(" \t\r\n", pos);
  uint64_t length = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    length = std::min<uint64_t>(length * 10 + static_cast<uint64_t>(text[pos] - '0'), text.size());
    ++pos;
  }
  std::vector<uint8_t> out;
  out.reserve(std::min<uint64_t>(length, text.size() / 2));
  int high = -1;
  for (; pos < text.size() && out.size() < length; ++pos) {
    const int v = HexValue(static_cast<uint8_t>(text[pos]));
    if (v < 0) continue;  // line breaks between the hex lines
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

// ---- Inspection ----

void MergeFindings(PrivacyReport& from, PrivacyReport& into) {
  for (auto& finding : from.findings) into.findings.push_back(std::move(finding));
  if (!into.location) into.location = from.location;
}

bool IsUsualIccName(std::string_view name) {
  const std::string lower = Lower(name);
  return std::find(kUsualIccNames.begin(), kUsualIccNames.end(), lower) != kUsualIccNames.end();
}

class PngInspector {
 public:
  PngInspector(const ByteSource& input, PrivacyReport& report) : input_(input), report_(report) {}

  Status Visit(const Chunk& chunk) {
    if (chunk.is_image()) return Status::Ok();
    if (chunk.type == "iDOT") return Status::Ok();  // Apple's decoding hints: offsets only
    if (report_.findings.size() >= kMaxFindings) {
      ++unlisted_;
      return Status::Ok();
    }
    if (!chunk.crc_ok) {
      // Still read below: a bad checksum does not make its text any less revealing.
      report_.Add(FindingKind::kOther, chunk.type, "damaged, " + metadata::ByteCount(chunk.length),
                  "PNG");
    }
    if (chunk.type == "iCCP") return ReadIccName(chunk);
    if (chunk.length > kMaxMetadataChunk) {
      report_.Add(FindingKind::kOther, chunk.type, metadata::ByteCount(chunk.length), "PNG");
      return Status::Ok();
    }
    REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> data,
                             input_.Read(chunk.data_offset(), chunk.length, kMaxMetadataChunk));
    ReadMetadata(chunk, data);
    return Status::Ok();
  }

  void Finish(uint64_t image_end) {
    if (unlisted_ > 0) {
      report_.Add(FindingKind::kOther, "MoreChunks",
                  fmt::format("{} more metadata chunks not listed", unlisted_), "PNG");
    }
    if (image_end < input_.size()) {
      report_.Add(FindingKind::kAppendedData, "AppendedData",
                  metadata::ByteCount(input_.size() - image_end), "PNG");
    }
  }

 private:
  // The profile itself stays (it identifies nobody); only its free-text name is worth a look.
  Status ReadIccName(const Chunk& chunk) {
    REMPART_ASSIGN_OR_RETURN(
        std::vector<uint8_t> head,
        input_.Read(chunk.data_offset(), std::min<uint64_t>(chunk.length, kMaxKeyword + 1)));
    auto split = SplitKeyword(head);
    if (!split || !chunk.crc_ok) {
      report_.Add(FindingKind::kOther, "iCCP", "damaged, " + metadata::ByteCount(chunk.length),
                  "PNG");
      return Status::Ok();
    }
    report_.has_icc_profile = true;
    if (!IsUsualIccName(split->first)) {
      report_.Add(FindingKind::kText, "ProfileName", metadata::CleanText(split->first),
                  "ICC profile");
    }
    return Status::Ok();
  }

  void ReadMetadata(const Chunk& chunk, std::span<const uint8_t> data) {
    const std::string& type = chunk.type;
    if (type == "tEXt" || type == "zTXt" || type == "iTXt") {
      ReadText(ParseTextChunk(type, data, inflate_budget_));
    } else if (type == "eXIf" || type == "exIf") {
      ReadExifChunk(chunk, data);
    } else if (type == "tIME") {
      ReadTime(data);
    } else if (chunk.critical()) {
      report_.Add(FindingKind::kOther, type,
                  "unknown critical chunk, " + metadata::ByteCount(chunk.length), "PNG");
    } else {
      report_.Add(FindingKind::kOther, type, metadata::ByteCount(chunk.length), "PNG");
    }
  }

  void ReadText(const PngText& text) {
    const std::string field = FieldOfKeyword(text.keyword);
    if (text.state == TextState::kDamaged && text.text.empty()) {
      report_.Add(FindingKind::kOther, field, "damaged text", "PNG text");
      return;
    }
    if (text.state == TextState::kTooLarge) {
      report_.Add(FindingKind::kOther, field, "compressed text too large to read", "PNG text");
      return;
    }
    if (text.keyword == kXmpKeyword) {
      PrivacyReport scratch;
      ReadXmp(AsBytes(text.text), scratch);
      MergeFindings(scratch, report_);
    } else if (text.keyword.starts_with(kRawProfilePrefix)) {
      ReadRawProfile(Lower(text.keyword.substr(kRawProfilePrefix.size())), text.text);
    } else if (!text.text.empty()) {
      report_.Add(KindOfKeyword(text.keyword), field, metadata::CleanText(text.text), "PNG text");
    }
  }

  void ReadRawProfile(const std::string& name, std::string_view hex) {
    const std::vector<uint8_t> bytes = DecodeRawProfile(hex);
    std::span<const uint8_t> profile(bytes);
    PrivacyReport scratch;
    constexpr std::string_view kXmpApp1{"http://ns.adobe.com/xap/1.0/\0", 29};
    if ((name == "exif" || name == "app1") && AsText(profile).starts_with(kXmpApp1)) {
      ReadXmp(profile.subspan(kXmpApp1.size()), scratch);
    } else if (name == "exif" || name == "app1") {
      if (AsText(profile).starts_with(kExifPrefix)) profile = profile.subspan(kExifPrefix.size());
      ReadExif(profile, scratch);
    } else if (name == "xmp") {
      ReadXmp(profile, scratch);
    } else if ((name == "iptc" || name == "8bim") && AsText(profile).starts_with("8BIM")) {
      metadata::ReadPhotoshopResources(profile, scratch);
    } else if (name == "iptc" && !profile.empty() && profile[0] == 0x1C) {
      ReadIptc(profile, scratch);
    } else {
      report_.Add(FindingKind::kOther, FieldOfKeyword(std::string(kRawProfilePrefix) + name),
                  metadata::ByteCount(profile.size()), "PNG text");
    }
    MergeFindings(scratch, report_);
  }

  // PNG has no orientation of its own: viewers that rotate take it from the first eXIf.
  void ReadExifChunk(const Chunk& chunk, std::span<const uint8_t> data) {
    if (AsText(data).starts_with(kExifPrefix)) data = data.subspan(kExifPrefix.size());
    PrivacyReport scratch;
    ReadExif(data, scratch);
    if (chunk.type == "eXIf" && chunk.crc_ok && !seen_exif_)
      report_.orientation = scratch.orientation;
    if (chunk.type == "eXIf") seen_exif_ = true;
    MergeFindings(scratch, report_);
  }

  void ReadTime(std::span<const uint8_t> data) {
    if (data.size() != 7) {
      report_.Add(FindingKind::kOther, "tIME", "damaged date", "PNG");
      return;
    }
    report_.Add(FindingKind::kDate, "ModifyDate",
                fmt::format("{:04}:{:02}:{:02} {:02}:{:02}:{:02}", data[0] << 8 | data[1], data[2],
                            data[3], data[4], data[5], data[6]),
                "PNG");
  }

  const ByteSource& input_;
  PrivacyReport& report_;
  size_t inflate_budget_ = kInflateBudget;
  size_t unlisted_ = 0;
  bool seen_exif_ = false;
};

// ---- Scrubbing ----

void AppendPlan(const EditPlan& from, EditPlan& into) {
  for (const auto& piece : from.pieces()) {
    if (piece.literal.empty()) {
      into.Copy(piece.offset, piece.length);
    } else {
      into.Insert(piece.literal);
    }
  }
}

class PngScrubber {
 public:
  PngScrubber(const ByteSource& input, const ScrubOptions& options)
      : input_(input), options_(options) {
    head_.Copy(0, kSignature.size());
  }

  Status Visit(const Chunk& chunk) {
    if (chunk.type == "IHDR") {
      head_.Copy(chunk.offset, chunk.size());
    } else if (chunk.is_image()) {
      // A damaged ancillary chunk is one a decoder skips: keeping it could only hide data.
      if (chunk.crc_ok) body_.Copy(chunk.offset, chunk.size());
    } else if (chunk.critical()) {
      return Error(Code::kInvalidInput,
                   "this PNG has a part Rempart does not know ({} chunk), so it cannot be cleaned "
                   "safely: save it again from an image editor and retry",
                   chunk.type);
    } else if (chunk.type == "iCCP" && chunk.crc_ok && !options_.strip_icc) {
      return KeepIcc(chunk);
    } else if (chunk.type == "eXIf" && chunk.crc_ok && !seen_exif_) {
      return ReadOrientation(chunk);
    }
    return Status::Ok();
  }

  EditPlan Finish() {
    const uint64_t head_end = head_.output_size();
    EditPlan plan = std::move(head_);
    if (orientation_ != 1) {
      // Copied when the input already holds exactly this chunk there (a file cleaned before),
      // so that cleaning a clean file gives a plain copy.
      const std::string exif = MakeChunk("eXIf", BuildOrientationExif(orientation_));
      if (InputHas(head_end, exif)) {
        plan.Copy(head_end, exif.size());
      } else {
        plan.Insert(exif);
      }
    }
    AppendPlan(body_, plan);
    return plan;
  }

 private:
  // Keeps the profile bytes; a name someone typed is replaced by a neutral one, which means a
  // new CRC, computed over the kept bytes without holding them.
  Status KeepIcc(const Chunk& chunk) {
    REMPART_ASSIGN_OR_RETURN(
        std::vector<uint8_t> head,
        input_.Read(chunk.data_offset(), std::min<uint64_t>(chunk.length, kMaxKeyword + 1)));
    auto split = SplitKeyword(head);
    if (!split) return Status::Ok();  // damaged: decoders ignore it too
    if (IsUsualIccName(split->first)) {
      body_.Copy(chunk.offset, chunk.size());
      return Status::Ok();
    }
    const uint64_t profile_at = chunk.data_offset() + split->first.size() + 1;
    const uint64_t profile_length = chunk.end() - 4 - profile_at;
    const std::string prefix = "iCCP" + std::string(kNeutralIccName) + std::string(1, '\0');
    uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(prefix.data()), prefix.size());
    REMPART_ASSIGN_OR_RETURN(crc, CrcOfRange(input_, profile_at, profile_length, crc, buffer_));
    body_.Insert(Be32String(static_cast<uint32_t>(prefix.size() - 4 + profile_length)) + prefix);
    body_.Copy(profile_at, profile_length);
    body_.Insert(Be32String(crc));
    return Status::Ok();
  }

  Status ReadOrientation(const Chunk& chunk) {
    seen_exif_ = true;
    if (chunk.length > kMaxMetadataChunk) return Status::Ok();
    REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> data,
                             input_.Read(chunk.data_offset(), chunk.length, kMaxMetadataChunk));
    std::span<const uint8_t> tiff(data);
    if (AsText(tiff).starts_with(kExifPrefix)) tiff = tiff.subspan(kExifPrefix.size());
    PrivacyReport scratch;
    ReadExif(tiff, scratch);
    if (scratch.orientation >= 1 && scratch.orientation <= 8) orientation_ = scratch.orientation;
    return Status::Ok();
  }

  bool InputHas(uint64_t offset, std::string_view bytes) const {
    std::vector<uint8_t> here(bytes.size());
    return input_.ReadAt(offset, here).ok() && AsText(here) == bytes;
  }

  const ByteSource& input_;
  const ScrubOptions& options_;
  EditPlan head_;  // signature and IHDR: the orientation eXIf goes right after them
  EditPlan body_;
  std::vector<uint8_t> buffer_;
  int orientation_ = 1;
  bool seen_exif_ = false;
};

}  // namespace

Result<PrivacyReport> InspectPng(const ByteSource& input) {
  PrivacyReport report;
  report.format = "png";
  PngInspector inspector(input, report);
  REMPART_ASSIGN_OR_RETURN(
      Layout layout, WalkChunks(input, [&](const Chunk& chunk) { return inspector.Visit(chunk); }));
  report.width = static_cast<int>(layout.width);
  report.height = static_cast<int>(layout.height);
  inspector.Finish(layout.end);
  return report;
}

Result<EditPlan> PlanPngScrub(const ByteSource& input, const ScrubOptions& options) {
  PngScrubber scrubber(input, options);
  REMPART_RETURN_IF_ERROR(
      WalkChunks(input, [&](const Chunk& chunk) { return scrubber.Visit(chunk); }).status());
  return scrubber.Finish();
}

}  // namespace rempart
