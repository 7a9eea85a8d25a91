// TIFF: inspect and scrub (media_format.h).
//
// Metadata in a TIFF file is not in separate blocks: Make, Artist or GPS are tags of the same
// directory (IFD) that describes the image, and the EXIF, GPS, XMP, IPTC and Photoshop blocks
// hang from it. So the scrubber does not cut pieces out; it writes a new, compact file:
//
//   header | for each kept page: a new IFD with only image-structure tags, and their values |
//   every strip or tile of those pages, copied verbatim from the input
//
// with the strip/tile offsets rewritten. Nothing of the input survives except the header's
// byte order, the kept tag values and the image data, so no orphaned metadata (unreferenced
// blocks left by earlier editors) can remain, and the pixels are byte-identical.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "media/media_format.h"
#include "media/metadata_internal.h"
#include "media/tiff_ifd.h"

namespace rempart {

namespace {

constexpr uint16_t kNewSubfileType = 254;
constexpr uint16_t kImageWidth = 256;
constexpr uint16_t kImageLength = 257;
constexpr uint16_t kCompression = 259;
constexpr uint16_t kPhotometric = 262;
constexpr uint16_t kStripOffsets = 273;
constexpr uint16_t kStripByteCounts = 279;
constexpr uint16_t kSubIfds = 330;
constexpr uint16_t kTileOffsets = 324;
constexpr uint16_t kTileByteCounts = 325;
constexpr uint16_t kIccProfile = 34675;
constexpr uint16_t kDngVersion = 50706;

constexpr int kMaxPages = 4096;
// Strips or tiles per page: 1 M covers a 65536-row image stored one row per strip.
constexpr uint32_t kMaxRanges = 1 << 20;
// TIFF offsets are 32-bit: the cleaned file must fit.
constexpr uint64_t kMaxOutput = 0xFFFFFFF0ull;

Status NotATiff() {
  return Error(Code::kInvalidInput, "this file is not a TIFF image, or it is badly damaged");
}

Status Damaged() {
  return Error(Code::kInvalidInput,
               "this TIFF image is damaged, so it cannot be cleaned safely: open it in an image "
               "editor, save a new copy, and clean that");
}

Status RawFile() {
  return Error(Code::kInvalidInput,
               "this is a camera raw file, which cannot be cleaned safely: export it as JPEG or "
               "TIFF first, then clean the export");
}

// Compression and photometric values used only by camera raw formats (NEF, ARW, PEF, SRW,
// DNG, …) that wear a TIFF header.
bool IsRawCompression(uint64_t c) {
  return c == 32767 || c == 32769 || c == 32770 || c == 34713 || c == 34892 || c == 65000 ||
         c == 65535;
}
bool IsRawPhotometric(uint64_t p) { return p == 32803 || p == 34892; }

std::optional<uint64_t> UintTag(const tiff::TiffReader& reader, const tiff::Ifd& ifd,
                                uint16_t tag) {
  const tiff::Entry* e = ifd.Find(tag);
  if (!e) return std::nullopt;
  auto v = reader.ReadUint(*e);
  if (!v.ok()) return std::nullopt;
  return *v;
}

bool IsRawIfd(const tiff::TiffReader& reader, const tiff::Ifd& ifd) {
  if (ifd.Find(kDngVersion)) return true;
  auto compression = UintTag(reader, ifd, kCompression);
  auto photometric = UintTag(reader, ifd, kPhotometric);
  return (compression && IsRawCompression(*compression)) ||
         (photometric && IsRawPhotometric(*photometric));
}

// The IFD0 chain, checked for loops and for camera raw data (including in SubIFDs, where
// NEF and DNG files keep their raw image).
Result<std::vector<tiff::Ifd>> ReadChain(const tiff::TiffReader& reader) {
  std::vector<tiff::Ifd> chain;
  std::set<uint64_t> seen;
  for (uint64_t offset = reader.first_ifd(); offset != 0;) {
    if (chain.size() >= kMaxPages || !seen.insert(offset).second) return Damaged();
    auto ifd = reader.ReadIfd(offset);
    if (!ifd.ok()) return Damaged();
    if (IsRawIfd(reader, *ifd)) return RawFile();
    if (const tiff::Entry* sub = ifd->Find(kSubIfds)) {
      auto offsets = reader.ReadUints(*sub, 64);
      if (offsets.ok()) {
        for (uint64_t o : *offsets) {
          auto sub_ifd = reader.ReadIfd(o);
          if (sub_ifd.ok() && IsRawIfd(reader, *sub_ifd)) return RawFile();
        }
      }
    }
    offset = ifd->next;
    chain.push_back(std::move(ifd).value());
  }
  if (chain.empty()) return NotATiff();
  return chain;
}

// A byte range of the input.
struct Range {
  uint64_t offset = 0, size = 0;
};

// Where the input's metadata lives: IFD tables and out-of-line values of every IFD of the
// chain and of the sub-IFDs hanging from it. Image data must not overlap any of it, or a
// crafted file could smuggle its metadata into the output as "pixels".
class MetadataMap {
 public:
  MetadataMap(const tiff::TiffReader& reader, const std::vector<tiff::Ifd>& chain) {
    ranges_.push_back({0, 8});  // the header
    for (const tiff::Ifd& ifd : chain) AddIfd(reader, ifd, 0);
    std::sort(ranges_.begin(), ranges_.end(),
              [](const Range& a, const Range& b) { return a.offset < b.offset; });
    // Merge, so that a binary search finds the only candidate.
    std::vector<Range> merged;
    for (const Range& r : ranges_) {
      if (!merged.empty() && r.offset <= merged.back().offset + merged.back().size) {
        uint64_t end = std::max(merged.back().offset + merged.back().size, r.offset + r.size);
        merged.back().size = end - merged.back().offset;
      } else {
        merged.push_back(r);
      }
    }
    ranges_ = std::move(merged);
  }

  bool Overlaps(uint64_t offset, uint64_t size) const {
    if (size == 0) return false;
    // The last range starting before the end of [offset, offset + size).
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), offset + size - 1,
                               [](uint64_t v, const Range& r) { return v < r.offset; });
    if (it == ranges_.begin()) return false;
    --it;
    return it->offset + it->size > offset;
  }

 private:
  static bool IsPointer(uint16_t tag) {
    return tag == 0x8769 || tag == 0x8825 || tag == 0xA005 || tag == kSubIfds;
  }

  void AddIfd(const tiff::TiffReader& reader, const tiff::Ifd& ifd, int depth) {
    ranges_.push_back({ifd.offset, ifd.table_size()});
    for (const tiff::Entry& e : ifd.entries) {
      if (e.usable && !e.inline_value()) ranges_.push_back({e.value_offset, e.value_size});
      if (!IsPointer(e.tag) || depth >= 2 || ++visited_ > 256) continue;
      auto offsets = reader.ReadUints(e, 64);
      if (!offsets.ok()) continue;
      for (uint64_t o : *offsets) {
        auto sub = reader.ReadIfd(o);
        if (sub.ok()) AddIfd(reader, *sub, depth + 1);
      }
    }
  }

  std::vector<Range> ranges_;
  int visited_ = 0;
};

bool IsReducedResolution(const tiff::TiffReader& reader, const tiff::Ifd& ifd) {
  auto type = UintTag(reader, ifd, kNewSubfileType);
  return type && (*type & 1) != 0;
}

// One page of the output: its kept entries and where its image data comes from.
struct Page {
  std::vector<tiff::Entry> entries;  // kept tags, ascending
  uint16_t offsets_tag = 0;          // StripOffsets or TileOffsets
  std::vector<Range> chunks;
};

class TiffWriter {
 public:
  TiffWriter(const ByteSource& in, const tiff::TiffReader& reader, const MetadataMap& metadata)
      : in_(in), reader_(reader), metadata_(metadata) {}

  Result<Page> MakePage(const tiff::Ifd& ifd, const ScrubOptions& options) {
    Page page;
    for (const tiff::Entry& e : ifd.entries) {
      if (!metadata::IsImageStructureTag(e.tag)) continue;
      if (e.tag == kIccProfile && options.strip_icc) continue;
      if (!e.usable) return Damaged();
      page.entries.push_back(e);
    }
    std::sort(page.entries.begin(), page.entries.end(),
              [](const tiff::Entry& a, const tiff::Entry& b) { return a.tag < b.tag; });
    for (size_t i = 1; i < page.entries.size(); ++i)
      if (page.entries[i].tag == page.entries[i - 1].tag) return Damaged();  // duplicate tag

    bool tiled = ifd.Find(kTileOffsets) != nullptr;
    page.offsets_tag = tiled ? kTileOffsets : kStripOffsets;
    const tiff::Entry* offsets = ifd.Find(page.offsets_tag);
    const tiff::Entry* counts = ifd.Find(tiled ? kTileByteCounts : kStripByteCounts);
    if (!offsets || !counts || offsets->count != counts->count || offsets->count == 0)
      return Damaged();
    auto starts = reader_.ReadUints(*offsets, kMaxRanges);
    auto sizes = reader_.ReadUints(*counts, kMaxRanges);
    if (!starts.ok() || !sizes.ok()) return Damaged();
    for (size_t i = 0; i < starts->size(); ++i) {
      uint64_t start = (*starts)[i], size = (*sizes)[i];
      if (start > in_.size() || size > in_.size() - start) return Damaged();
      if (metadata_.Overlaps(start, size)) return Damaged();
      page.chunks.push_back({start, size});
    }
    return page;
  }

  // Lays out every page and writes the plan.
  Result<EditPlan> Write(const std::vector<Page>& pages) {
    // Pass 1: where each IFD and its values go, then where the image data starts.
    uint64_t at = 8;
    std::vector<uint64_t> ifd_at;
    for (const Page& page : pages) {
      ifd_at.push_back(at);
      at += 2 + 12 * page.entries.size() + 4;
      for (const tiff::Entry& e : page.entries) at += Even(OutputValueSize(page, e));
    }
    // Image data, each distinct input range once, in the order the pages list it.
    std::map<std::pair<uint64_t, uint64_t>, uint64_t> placed;
    std::vector<Range> copies;
    std::vector<std::vector<uint32_t>> new_offsets(pages.size());
    for (size_t p = 0; p < pages.size(); ++p) {
      for (const Range& c : pages[p].chunks) {
        auto [it, inserted] = placed.try_emplace({c.offset, c.size}, at);
        if (inserted) {
          copies.push_back(c);
          at += c.size;
        }
        if (at > kMaxOutput) {
          return Error(Code::kInvalidInput,
                       "this TIFF image is too large to clean (more than 4 GB)");
        }
        new_offsets[p].push_back(static_cast<uint32_t>(it->second));
      }
    }
    // Pass 2: the bytes.
    std::string head = reader_.big_endian() ? "MM" : "II";
    head += U16(42) + U32(static_cast<uint32_t>(ifd_at.empty() ? 0 : ifd_at[0]));
    for (size_t p = 0; p < pages.size(); ++p) {
      uint32_t next = p + 1 < pages.size() ? static_cast<uint32_t>(ifd_at[p + 1]) : 0;
      REMPART_ASSIGN_OR_RETURN(std::string ifd,
                               WriteIfd(pages[p], ifd_at[p], new_offsets[p], next));
      head += ifd;
    }
    EditPlan plan;
    // A file this scrubber wrote already starts with exactly these bytes: copying them makes
    // the plan an identity, so cleaning a clean file rewrites nothing.
    if (SameAsInput(head)) {
      plan.Copy(0, head.size());
    } else {
      plan.Insert(std::move(head));
    }
    for (const Range& c : copies) plan.Copy(c.offset, c.size);
    return plan;
  }

 private:
  static uint64_t Even(uint64_t n) { return n + (n & 1); }

  bool SameAsInput(const std::string& bytes) const {
    if (bytes.size() > in_.size()) return false;
    auto found = in_.Read(0, bytes.size());
    return found.ok() && std::equal(found->begin(), found->end(), bytes.begin(),
                                    [](uint8_t a, char b) { return a == uint8_t(b); });
  }

  // The offsets tag is rewritten as LONGs (the new offsets may not fit a SHORT).
  static uint64_t OutputValueSize(const Page& page, const tiff::Entry& e) {
    uint64_t size = e.tag == page.offsets_tag ? 4ull * e.count : e.value_size;
    return size <= 4 ? 0 : size;
  }

  std::string U16(uint16_t v) const {
    return reader_.big_endian() ? std::string{char(v >> 8), char(v)}
                                : std::string{char(v), char(v >> 8)};
  }
  std::string U32(uint32_t v) const {
    return reader_.big_endian() ? std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)}
                                : std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
  }

  Result<std::string> WriteIfd(const Page& page, uint64_t at, const std::vector<uint32_t>& offsets,
                               uint32_t next) {
    std::string table = U16(static_cast<uint16_t>(page.entries.size()));
    std::string values;
    uint64_t values_at = at + 2 + 12 * page.entries.size() + 4;
    for (const tiff::Entry& e : page.entries) {
      std::string value;
      uint16_t type = e.type;
      if (e.tag == page.offsets_tag) {
        type = tiff::kLong;
        for (uint32_t o : offsets) value += U32(o);
      } else {
        // Values are copied as raw bytes: the output keeps the input's byte order.
        REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> raw, reader_.ReadRaw(e, 64 << 20));
        value.assign(raw.begin(), raw.end());
      }
      table += U16(e.tag) + U16(type) + U32(e.count);
      if (value.size() <= 4) {
        table += value + std::string(4 - value.size(), '\0');
      } else {
        table += U32(static_cast<uint32_t>(values_at + values.size()));
        values += value;
        if (values.size() & 1) values += '\0';
      }
    }
    table += U32(next);
    return table + values;
  }

  const ByteSource& in_;
  const tiff::TiffReader& reader_;
  const MetadataMap& metadata_;
};

// The reader's own BigTIFF message says what to do; any other failure means "not a TIFF".
Result<tiff::TiffReader> OpenTiff(const ByteSource& input) {
  auto reader = tiff::TiffReader::Open(input);
  if (reader.ok()) return reader;
  uint8_t version[2] = {};
  if (input.size() >= 4 && input.ReadAt(2, version).ok() && (version[0] == 43 || version[1] == 43))
    return reader.status();
  return NotATiff();
}

}  // namespace

Result<PrivacyReport> InspectTiff(const ByteSource& input) {
  REMPART_ASSIGN_OR_RETURN(tiff::TiffReader reader, OpenTiff(input));
  PrivacyReport report;
  report.format = "tiff";
  auto ifd0 = reader.ReadIfd(reader.first_ifd());
  if (!ifd0.ok()) return NotATiff();
  if (auto w = UintTag(reader, *ifd0, kImageWidth)) report.width = static_cast<int>(*w);
  if (auto h = UintTag(reader, *ifd0, kImageLength)) report.height = static_cast<int>(*h);
  metadata::TiffWalkResult walk =
      metadata::WalkTiff(reader, report, "EXIF", metadata::TiffRole::kTiffFile);
  if (walk.damaged) {
    report.Add(FindingKind::kOther, "TIFF", "damaged", "TIFF");
  } else if (walk.other_tags > 0) {
    report.Add(FindingKind::kOther, "OtherTags", fmt::format("{} tags", walk.other_tags), "TIFF");
  }
  return report;
}

Result<EditPlan> PlanTiffScrub(const ByteSource& input, const ScrubOptions& options) {
  REMPART_ASSIGN_OR_RETURN(tiff::TiffReader reader, OpenTiff(input));
  REMPART_ASSIGN_OR_RETURN(std::vector<tiff::Ifd> chain, ReadChain(reader));
  MetadataMap metadata(reader, chain);
  TiffWriter writer(input, reader, metadata);
  std::vector<Page> pages;
  for (size_t i = 0; i < chain.size(); ++i) {
    // Reduced-resolution copies (thumbnails, previews) may show what a crop removed.
    if (i > 0 && IsReducedResolution(reader, chain[i])) continue;
    auto compression = UintTag(reader, chain[i], kCompression);
    if (compression == 6u) {
      return Error(Code::kInvalidInput,
                   "this TIFF uses an old form of JPEG compression that cannot be cleaned "
                   "safely: save it again as a new TIFF or PNG, then clean that");
    }
    REMPART_ASSIGN_OR_RETURN(Page page, writer.MakePage(chain[i], options));
    pages.push_back(std::move(page));
  }
  return writer.Write(pages);
}

}  // namespace rempart
