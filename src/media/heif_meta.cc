#include "media/heif_meta.h"

namespace rempart::bmff {
namespace {

using Bytes = std::span<const uint8_t>;

Bytes Payload(Bytes bytes, const Box& box) {
  return bytes.subspan(box.payload_offset(), box.payload_size());
}

bool ValidFieldSize(unsigned size) { return size == 0 || size == 4 || size == 8; }

Status ParseInfe(Bytes bytes, const Box& box, HeifItem& item) {
  Reader r(Payload(bytes, box));
  uint8_t version = r.U8();
  r.Skip(3);
  item.infe = box;
  if (version <= 1) {
    item.id = r.U16();
    r.Skip(2);
    r.CString();  // item_name
    item.content_type = std::string(r.CString());
    item.type = FourCC("mime");
  } else {
    item.id = version == 2 ? r.U16() : r.U32();
    r.Skip(2);
    item.type = r.U32();
    r.CString();
    if (item.type == FourCC("mime")) item.content_type = std::string(r.CString());
  }
  return r.ok() ? Status::Ok() : Damaged();
}

Status ParseIinf(Bytes bytes, const Box& box, HeifMeta& meta, BoxBudget& budget) {
  Reader r(Payload(bytes, box));
  meta.iinf_version = r.U8();
  meta.iinf_flags = r.U24();
  r.Skip(meta.iinf_version == 0 ? 2 : 4);  // entry_count: the boxes themselves are the truth
  if (!r.ok()) return Damaged();
  MemorySource source(bytes);
  return ForEachBox(source, box.payload_offset() + r.pos(), box.end(), 2, budget,
                    [&](const Box& child) {
                      if (child.type != FourCC("infe")) return Status::Ok();
                      if (meta.items.size() >= kMaxHeifItems) return Damaged();
                      HeifItem item;
                      REMPART_RETURN_IF_ERROR(ParseInfe(bytes, child, item));
                      meta.items.push_back(std::move(item));
                      return Status::Ok();
                    });
}

Status ParseIloc(Bytes bytes, const Box& box, HeifMeta& meta) {
  Reader r(Payload(bytes, box));
  meta.iloc_version = r.U8();
  meta.iloc_flags = r.U24();
  uint8_t sizes = r.U8();
  meta.offset_size = sizes >> 4;
  meta.length_size = sizes & 0xF;
  sizes = r.U8();
  meta.base_offset_size = sizes >> 4;
  const uint8_t v = meta.iloc_version;
  meta.index_size = (v == 1 || v == 2) ? (sizes & 0xF) : 0;
  if (v > 2 || !ValidFieldSize(meta.offset_size) || !ValidFieldSize(meta.length_size) ||
      !ValidFieldSize(meta.base_offset_size) || !ValidFieldSize(meta.index_size))
    return Damaged();
  uint32_t count = v < 2 ? r.U16() : r.U32();
  uint64_t extents = 0;
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    HeifLocation loc;
    loc.item_id = v < 2 ? r.U16() : r.U32();
    if (v >= 1) loc.construction_method = r.U16() & 0xF;
    loc.data_reference_index = r.U16();
    loc.base_offset = r.UN(meta.base_offset_size);
    uint16_t extent_count = r.U16();
    // iloc fields may be 0 bytes wide: a count alone could ask for billions of entries.
    extents += extent_count;
    if (extents > kMaxHeifEntries || meta.locations.size() >= kMaxHeifItems) return Damaged();
    for (uint16_t e = 0; e < extent_count && r.ok(); ++e) {
      HeifExtent extent;
      extent.index = r.UN(meta.index_size);
      extent.offset = r.UN(meta.offset_size);
      extent.length = r.UN(meta.length_size);
      loc.extents.push_back(extent);
    }
    meta.locations.push_back(std::move(loc));
  }
  return r.ok() ? Status::Ok() : Damaged();
}

Status ParseIref(Bytes bytes, const Box& box, HeifMeta& meta, BoxBudget& budget) {
  Reader head(Payload(bytes, box));
  meta.iref_version = head.U8();
  meta.iref_flags = head.U24();
  if (!head.ok()) return Damaged();
  MemorySource source(bytes);
  size_t entries = 0;
  return ForEachBox(source, box.payload_offset() + 4, box.end(), 2, budget, [&](const Box& child) {
    Reader r(Payload(bytes, child));
    HeifReference ref;
    ref.type = child.type;
    ref.from = meta.iref_version == 0 ? r.U16() : r.U32();
    uint16_t count = r.U16();
    entries += count + 1;
    if (entries > kMaxHeifEntries) return Damaged();
    for (uint16_t i = 0; i < count && r.ok(); ++i)
      ref.to.push_back(meta.iref_version == 0 ? r.U16() : r.U32());
    if (!r.ok()) return Damaged();
    meta.references.push_back(std::move(ref));
    return Status::Ok();
  });
}

Status ParseIpma(Bytes bytes, const Box& box, HeifMeta& meta, size_t& total) {
  Reader r(Payload(bytes, box));
  HeifIpma ipma;
  ipma.version = r.U8();
  ipma.flags = r.U24();
  uint32_t count = r.U32();
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    HeifItemProperties entry;
    entry.item_id = ipma.version < 1 ? r.U16() : r.U32();
    uint8_t n = r.U8();
    total += n + 1;
    if (total > kMaxHeifEntries) return Damaged();
    for (uint8_t k = 0; k < n && r.ok(); ++k) {
      uint16_t raw = (ipma.flags & 1) ? r.U16() : r.U8();
      bool wide = ipma.flags & 1;
      entry.associations.push_back({static_cast<uint16_t>(raw & (wide ? 0x7FFF : 0x7F)),
                                    (raw & (wide ? 0x8000 : 0x80)) != 0});
    }
    ipma.entries.push_back(std::move(entry));
  }
  if (!r.ok()) return Damaged();
  meta.ipmas.push_back(std::move(ipma));
  return Status::Ok();
}

Status ParseIprp(Bytes bytes, const Box& box, HeifMeta& meta, BoxBudget& budget) {
  MemorySource source(bytes);
  size_t associations = 0;
  return ForEachBox(source, box.payload_offset(), box.end(), 2, budget, [&](const Box& child) {
    meta.iprp_children.push_back(child);
    if (child.type == FourCC("ipma")) return ParseIpma(bytes, child, meta, associations);
    if (child.type != FourCC("ipco")) return Status::Ok();
    if (!meta.properties.empty()) return Damaged();  // one ipco, or indices are ambiguous
    return ForEachBox(source, child.payload_offset(), child.end(), 3, budget,
                      [&](const Box& property) {
                        if (meta.properties.size() >= kMaxHeifItems) return Damaged();
                        meta.properties.push_back(property);
                        return Status::Ok();
                      });
  });
}

size_t ChildrenStart(Bytes payload) {
  if (payload.size() >= 12 && Reader(payload, 4).U32() == FourCC("hdlr")) return 0;
  return 4;  // version and flags
}

Status ParseChild(Bytes bytes, const Box& box, HeifMeta& meta, BoxBudget& budget) {
  Bytes body = Payload(bytes, box);
  switch (box.type) {
    case FourCC("hdlr"):
      meta.handler = Reader(body, 8).U32();
      return Status::Ok();
    case FourCC("pitm"): {
      Reader r(body);
      uint8_t version = r.U8();
      r.Skip(3);
      meta.primary_item = version == 0 ? r.U16() : r.U32();
      return r.ok() ? Status::Ok() : Damaged();
    }
    case FourCC("iinf"):
      return ParseIinf(bytes, box, meta, budget);
    case FourCC("iloc"):
      return ParseIloc(bytes, box, meta);
    case FourCC("iref"):
      return ParseIref(bytes, box, meta, budget);
    case FourCC("iprp"):
      return ParseIprp(bytes, box, meta, budget);
    case FourCC("idat"):
      meta.has_idat = true;
      meta.idat = box;
      return Status::Ok();
    default:
      return Status::Ok();
  }
}

}  // namespace

const HeifItem* HeifMeta::FindItem(uint32_t id) const {
  auto it = item_index.find(id);
  return it == item_index.end() ? nullptr : &items[it->second];
}

const HeifLocation* HeifMeta::FindLocation(uint32_t id) const {
  auto it = location_index.find(id);
  return it == location_index.end() ? nullptr : &locations[it->second];
}

uint32_t MetaHandler(std::span<const uint8_t> bytes) {
  MemorySource source(bytes);
  auto meta = ReadBox(source, 0, bytes.size());
  if (!meta.ok()) return 0;
  Bytes payload = Payload(bytes, *meta);
  size_t at = meta->payload_offset() + ChildrenStart(payload);
  BoxBudget budget(64);
  uint32_t handler = 0;
  (void)ForEachBox(source, at, meta->end(), 1, budget, [&](const Box& child) {
    if (child.type == FourCC("hdlr") && !handler) handler = Reader(Payload(bytes, child), 8).U32();
    return Status::Ok();
  });
  return handler;
}

Result<HeifMeta> ParseHeifMeta(std::span<const uint8_t> bytes) {
  MemorySource source(bytes);
  REMPART_ASSIGN_OR_RETURN(Box box, ReadBox(source, 0, bytes.size()));
  if (box.type != FourCC("meta") || box.payload_size() < 4) return Damaged();
  HeifMeta meta;
  BoxBudget budget;
  uint64_t start = box.payload_offset() + ChildrenStart(Payload(bytes, box));
  int seen_iinf = 0, seen_iloc = 0, seen_iref = 0, seen_iprp = 0, seen_idat = 0;
  REMPART_RETURN_IF_ERROR(ForEachBox(source, start, box.end(), 1, budget, [&](const Box& child) {
    meta.children.push_back(child);
    seen_iinf += child.type == FourCC("iinf");
    seen_iloc += child.type == FourCC("iloc");
    seen_iref += child.type == FourCC("iref");
    seen_iprp += child.type == FourCC("iprp");
    seen_idat += child.type == FourCC("idat");
    // Two of these would leave us unsure which one a reader believes.
    if (seen_iinf > 1 || seen_iloc > 1 || seen_iref > 1 || seen_iprp > 1 || seen_idat > 1)
      return Damaged();
    return ParseChild(bytes, child, meta, budget);
  }));
  for (size_t i = 0; i < meta.items.size(); ++i) meta.item_index.emplace(meta.items[i].id, i);
  for (size_t i = 0; i < meta.locations.size(); ++i)
    meta.location_index.emplace(meta.locations[i].item_id, i);
  return meta;
}

}  // namespace rempart::bmff
