// Cleaning a HEIF or AVIF 'meta' box: Exif, XMP and thumbnail items are taken out of the item
// tables (iinf, iloc, iref, ipma), their bytes are zeroed where they lie, and the shorter box
// is padded back to its old size so that no offset in the file moves. The coded pictures, their
// orientation (irot/imir) and, unless asked, their colour profile stay exactly as they were.
#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <unordered_map>

#include "media/iso_bmff_internal.h"

namespace rempart::bmff {
namespace {

using Bytes = std::span<const uint8_t>;
using ItemSet = std::set<uint32_t>;

Bytes Payload(Bytes bytes, const Box& box) {
  return bytes.subspan(box.payload_offset(), box.payload_size());
}
std::string Raw(Bytes bytes, const Box& box) {
  return std::string(reinterpret_cast<const char*>(bytes.data() + box.offset), box.size);
}
std::string FullBox(uint32_t type, uint8_t version, uint32_t flags, const std::string& body) {
  std::string header = BoxHeader(type, body.size() + 4);
  PutU8(header, version);
  PutUN(header, flags, 3);
  return header + body;
}

bool IsMetadataItem(const HeifItem& item) {
  return item.type == FourCC("Exif") || item.type == FourCC("mime") || item.type == FourCC("uri ");
}

// Exif/XMP items, thumbnails, and whatever only serves them (an alpha plane of a thumbnail,
// the tiles of a thumbnail grid). Real chains are two or three links long; a forged file's
// longer chains stop after a few rounds, which only means that some odd item is kept.
ItemSet ItemsToRemove(const HeifMeta& meta) {
  ItemSet removed;
  for (const HeifItem& item : meta.items)
    if (IsMetadataItem(item)) removed.insert(item.id);
  std::unordered_map<uint32_t, std::vector<const HeifReference*>> targeted_by;
  for (const HeifReference& ref : meta.references) {
    if (ref.type == FourCC("thmb")) removed.insert(ref.from);
    for (uint32_t id : ref.to) targeted_by[id].push_back(&ref);
  }
  auto is_removed = [&](uint32_t id) { return removed.count(id) > 0; };
  for (int round = 0; round < 16; ++round) {
    bool changed = false;
    for (const HeifReference& ref : meta.references) {
      bool describes =
          ref.type == FourCC("cdsc") || ref.type == FourCC("thmb") || ref.type == FourCC("auxl");
      if (describes && !ref.to.empty() && std::all_of(ref.to.begin(), ref.to.end(), is_removed))
        changed |= removed.insert(ref.from).second;
    }
    for (const auto& [id, refs] : targeted_by) {
      if (id == meta.primary_item || is_removed(id)) continue;
      bool only_tiles_of_removed = std::all_of(refs.begin(), refs.end(), [&](const auto* ref) {
        return ref->type == FourCC("dimg") && is_removed(ref->from);
      });
      if (only_tiles_of_removed) changed |= removed.insert(id).second;
    }
    if (!changed) break;
  }
  return removed;
}

// ipco indices (1-based) of properties to drop: descriptions and dates, and the ICC profile
// when asked.
std::set<uint16_t> PropertiesToDrop(Bytes bytes, const HeifMeta& meta,
                                    const ScrubOptions& options) {
  std::set<uint16_t> dropped;
  for (size_t i = 0; i < meta.properties.size() && i < 0x7FFF; ++i) {
    const Box& p = meta.properties[i];
    bool drop = p.type == FourCC("udes") || p.type == FourCC("crtt") || p.type == FourCC("mdft");
    if (options.strip_icc && p.type == FourCC("colr")) {
      uint32_t kind = Reader(Payload(bytes, p)).U32();
      drop = kind == FourCC("prof") || kind == FourCC("rICC");
    }
    if (drop) dropped.insert(static_cast<uint16_t>(i + 1));
  }
  return dropped;
}

std::string WriteIinf(Bytes bytes, const HeifMeta& meta, const ItemSet& removed) {
  std::string body;
  uint32_t count = 0;
  for (const HeifItem& item : meta.items) {
    if (removed.count(item.id)) continue;
    body += Raw(bytes, item.infe);
    ++count;
  }
  std::string head;
  if (meta.iinf_version == 0) {
    PutU16(head, static_cast<uint16_t>(count));
  } else {
    PutU32(head, count);
  }
  return FullBox(FourCC("iinf"), meta.iinf_version, meta.iinf_flags, head + body);
}

std::string WriteIloc(const HeifMeta& meta, const ItemSet& removed) {
  const uint8_t v = meta.iloc_version;
  std::string body;
  PutU8(body, static_cast<uint8_t>(meta.offset_size << 4 | meta.length_size));
  PutU8(body, static_cast<uint8_t>(meta.base_offset_size << 4 | meta.index_size));
  std::string entries;
  uint32_t count = 0;
  for (const HeifLocation& loc : meta.locations) {
    if (removed.count(loc.item_id)) continue;
    ++count;
    PutUN(entries, loc.item_id, v < 2 ? 2 : 4);
    if (v >= 1) PutU16(entries, loc.construction_method);
    PutU16(entries, loc.data_reference_index);
    PutUN(entries, loc.base_offset, meta.base_offset_size);
    PutU16(entries, static_cast<uint16_t>(loc.extents.size()));
    for (const HeifExtent& e : loc.extents) {
      PutUN(entries, e.index, meta.index_size);
      PutUN(entries, e.offset, meta.offset_size);
      PutUN(entries, e.length, meta.length_size);
    }
  }
  PutUN(body, count, v < 2 ? 2 : 4);
  return FullBox(FourCC("iloc"), v, meta.iloc_flags, body + entries);
}

// Empty when no reference is left.
std::string WriteIref(const HeifMeta& meta, const ItemSet& removed) {
  const unsigned id_size = meta.iref_version == 0 ? 2 : 4;
  std::string body;
  for (const HeifReference& ref : meta.references) {
    if (removed.count(ref.from)) continue;
    std::vector<uint32_t> to;
    for (uint32_t id : ref.to)
      if (!removed.count(id)) to.push_back(id);
    if (to.empty()) continue;
    std::string entry;
    PutUN(entry, ref.from, id_size);
    PutU16(entry, static_cast<uint16_t>(to.size()));
    for (uint32_t id : to) PutUN(entry, id, id_size);
    body += BoxHeader(ref.type, entry.size()) + entry;
  }
  if (body.empty()) return {};
  return FullBox(FourCC("iref"), meta.iref_version, meta.iref_flags, body);
}

std::string WriteIpma(const HeifIpma& ipma, const ItemSet& removed,
                      const std::set<uint16_t>& dropped) {
  const bool wide = ipma.flags & 1;
  std::string entries;
  uint32_t count = 0;
  for (const HeifItemProperties& entry : ipma.entries) {
    if (removed.count(entry.item_id)) continue;
    std::string list;
    uint8_t n = 0;
    for (const HeifAssociation& a : entry.associations) {
      if (dropped.count(a.index)) continue;
      // Properties after a dropped one move up by one place each.
      auto shift = std::distance(dropped.begin(), dropped.lower_bound(a.index));
      auto index = static_cast<uint16_t>(a.index - shift);
      if (wide) {
        PutU16(list, static_cast<uint16_t>((a.essential ? 0x8000 : 0) | index));
      } else {
        PutU8(list, static_cast<uint8_t>((a.essential ? 0x80 : 0) | index));
      }
      ++n;
    }
    PutUN(entries, entry.item_id, ipma.version < 1 ? 2 : 4);
    PutU8(entries, n);
    entries += list;
    ++count;
  }
  std::string body;
  PutU32(body, count);
  return FullBox(FourCC("ipma"), ipma.version, ipma.flags, body + entries);
}

std::string WriteIprp(Bytes bytes, const HeifMeta& meta, const ItemSet& removed,
                      const std::set<uint16_t>& dropped) {
  std::string body;
  size_t ipma_index = 0;
  for (const Box& child : meta.iprp_children) {
    if (child.type == FourCC("ipma")) {
      body += WriteIpma(meta.ipmas[ipma_index++], removed, dropped);
    } else if (child.type == FourCC("ipco") && !dropped.empty()) {
      std::string properties;
      for (size_t i = 0; i < meta.properties.size(); ++i)
        if (!dropped.count(static_cast<uint16_t>(i + 1)))
          properties += Raw(bytes, meta.properties[i]);
      body += BoxHeader(FourCC("ipco"), properties.size()) + properties;
    } else {
      body += Raw(bytes, child);
    }
  }
  return BoxHeader(FourCC("iprp"), body.size()) + body;
}

// Where an item's bytes lie: in the file (method 0) or in 'idat' (method 1), clamped to what
// exists. Items in other files or built from other items (method 2) have no bytes of their own.
struct ItemRanges {
  std::vector<ByteRange> file;
  std::vector<ByteRange> idat;  // offsets in the idat payload
};

Status AddRanges(const HeifLocation& loc, uint64_t file_size, uint64_t idat_size, ItemRanges& out) {
  if (loc.data_reference_index != 0 || loc.construction_method > 1) return Status::Ok();
  const uint64_t limit = loc.construction_method == 0 ? file_size : idat_size;
  for (const HeifExtent& e : loc.extents) {
    uint64_t start = loc.base_offset + e.offset;
    if (start < loc.base_offset) return Damaged();  // wrapped around
    if (start >= limit) continue;
    uint64_t length = e.length == 0 ? limit - start : std::min(e.length, limit - start);
    (loc.construction_method == 0 ? out.file : out.idat).push_back({start, length});
  }
  return Status::Ok();
}

bool AnyOverlap(const std::vector<ByteRange>& a, const std::vector<ByteRange>& b) {
  std::vector<ByteRange> sorted = Merged(b);
  for (const ByteRange& x : a) {
    // The first range of `b` that ends after x starts is the only one that can overlap it.
    auto it =
        std::upper_bound(sorted.begin(), sorted.end(), x.offset,
                         [](uint64_t offset, const ByteRange& r) { return offset < r.end(); });
    if (it != sorted.end() && x.Overlaps(*it)) return true;
  }
  return false;
}

struct Ranges {
  ItemRanges removed, kept;
};

Result<Ranges> CollectRanges(const HeifMeta& meta, const ItemSet& removed, uint64_t file_size) {
  Ranges r;
  const uint64_t idat_size = meta.has_idat ? meta.idat.payload_size() : 0;
  for (const HeifLocation& loc : meta.locations)
    REMPART_RETURN_IF_ERROR(
        AddRanges(loc, file_size, idat_size, removed.count(loc.item_id) ? r.removed : r.kept));
  // Zeroing bytes that a kept picture also uses would damage it.
  if (AnyOverlap(r.removed.file, r.kept.file) || AnyOverlap(r.removed.idat, r.kept.idat))
    return CannotCleanSafely();
  r.removed.file = Merged(std::move(r.removed.file));
  r.removed.idat = Merged(std::move(r.removed.idat));
  uint64_t total = 0;
  for (const auto* list : {&r.removed.file, &r.removed.idat})
    for (const auto& range : *list) total += range.length;
  if (total > kMaxZeroBytes) return CannotCleanSafely();
  return r;
}

std::string WriteIdat(Bytes bytes, const HeifMeta& meta, const std::vector<ByteRange>& zero) {
  std::string idat = Raw(bytes, meta.idat);
  for (const ByteRange& range : zero)
    std::fill_n(idat.begin() + meta.idat.header_size + range.offset, range.length, '\0');
  return idat;
}

bool DropChild(uint32_t type) {
  return type == FourCC("uuid") || type == FourCC("xml ") || type == FourCC("bxml") ||
         type == FourCC("udta");
}

// Grows the handler box by `extra` zero bytes after its name, where readers stop looking:
// the only way to fill a gap of 1 to 7 bytes, too small for a 'free' box.
std::string PaddedHandler(Bytes bytes, const Box& hdlr, uint64_t extra) {
  std::string payload(reinterpret_cast<const char*>(bytes.data() + hdlr.payload_offset()),
                      hdlr.payload_size());
  payload.append(extra, '\0');
  return BoxHeader(FourCC("hdlr"), payload.size()) + payload;
}

Result<std::string> WriteMeta(Bytes bytes, const Box& box, const HeifMeta& meta,
                              const ItemSet& removed, const std::set<uint16_t>& dropped,
                              const std::vector<ByteRange>& idat_zero) {
  std::vector<std::string> parts;
  std::optional<size_t> hdlr_part;
  for (const Box& child : meta.children) {
    if (DropChild(child.type)) continue;
    if (child.type == FourCC("hdlr") && !hdlr_part) hdlr_part = parts.size();
    if (child.type == FourCC("iinf")) {
      parts.push_back(WriteIinf(bytes, meta, removed));
    } else if (child.type == FourCC("iloc")) {
      parts.push_back(WriteIloc(meta, removed));
    } else if (child.type == FourCC("iref")) {
      parts.push_back(WriteIref(meta, removed));
    } else if (child.type == FourCC("iprp")) {
      parts.push_back(WriteIprp(bytes, meta, removed, dropped));
    } else if (child.type == FourCC("idat")) {
      parts.push_back(WriteIdat(bytes, meta, idat_zero));
    } else {
      parts.push_back(Raw(bytes, child));
    }
  }
  // Version and flags (absent in QuickTime-style boxes), as they were.
  const uint64_t children_start = meta.children.empty() ? box.end() : meta.children[0].offset;
  std::string head(reinterpret_cast<const char*>(bytes.data() + box.payload_offset()),
                   children_start - box.payload_offset());
  uint64_t body_size = head.size();
  for (const auto& p : parts) body_size += p.size();
  if (body_size + 8 > box.size) return CannotCleanSafely();  // cannot happen: we only remove
  uint64_t gap = box.size - 8 - body_size;
  if (gap > 0 && gap < 8) {
    if (!hdlr_part) return CannotCleanSafely();
    const Box* hdlr = nullptr;
    for (const Box& child : meta.children)
      if (child.type == FourCC("hdlr") && !hdlr) hdlr = &child;
    std::string& part = parts[*hdlr_part];
    uint64_t extra = gap + part.size() - (8 + hdlr->payload_size());
    part = PaddedHandler(bytes, *hdlr, extra);
    gap = 0;
  }
  std::string out = BoxHeader(FourCC("meta"), box.size - 8 - gap) + head;
  for (const auto& p : parts) out += p;
  if (gap >= 8) {
    out += BoxHeader(FourCC("free"), gap - 8);
    out.append(gap - 8, '\0');
  }
  if (out.size() != box.size) return CannotCleanSafely();
  return out;
}

}  // namespace

// Sorted, with touching or overlapping ranges joined.
std::vector<ByteRange> Merged(std::vector<ByteRange> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const ByteRange& a, const ByteRange& b) { return a.offset < b.offset; });
  std::vector<ByteRange> out;
  for (const ByteRange& r : ranges) {
    if (!out.empty() && r.offset <= out.back().end()) {
      out.back().length = std::max(out.back().end(), r.end()) - out.back().offset;
    } else {
      out.push_back(r);
    }
  }
  return out;
}

Result<HeifMetaScrub> ScrubHeifMeta(const ByteSource& source, const Box& box,
                                    const ScrubOptions& options) {
  if (box.size > kMaxMetaBox || box.size > std::numeric_limits<uint32_t>::max())
    return CannotCleanSafely();
  REMPART_ASSIGN_OR_RETURN(auto bytes, ReadWholeBox(source, box, kMaxMetaBox));
  // Offsets in the parsed tables are relative to the buffer: the box starts at 0 there.
  Box local = box;
  local.offset = 0;
  REMPART_ASSIGN_OR_RETURN(HeifMeta meta, ParseHeifMeta(bytes));
  ItemSet removed = ItemsToRemove(meta);
  if (removed.count(meta.primary_item)) return CannotCleanSafely();
  std::set<uint16_t> dropped = PropertiesToDrop(bytes, meta, options);
  REMPART_ASSIGN_OR_RETURN(Ranges ranges, CollectRanges(meta, removed, source.size()));
  HeifMetaScrub out;
  REMPART_ASSIGN_OR_RETURN(out.bytes,
                           WriteMeta(bytes, local, meta, removed, dropped, ranges.removed.idat));
  out.zero = std::move(ranges.removed.file);
  return out;
}

}  // namespace rempart::bmff
