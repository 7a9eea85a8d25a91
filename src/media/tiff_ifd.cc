#include "media/tiff_ifd.h"

#include <algorithm>

namespace rempart::tiff {

namespace {

Status Damaged() {
  return Error(Code::kInvalidInput, "the TIFF or EXIF structure inside the file is damaged");
}

bool InRange(uint64_t offset, uint64_t length, uint64_t size) {
  return offset <= size && length <= size - offset;
}

bool IsIntegerType(uint16_t type) {
  return type == kByte || type == kShort || type == kLong || type == kSByte || type == kSShort ||
         type == kSLong || type == kIfdType || type == kUndefined;
}

}  // namespace

int TypeSize(uint16_t type) {
  switch (type) {
    case kByte:
    case kAscii:
    case kSByte:
    case kUndefined:
      return 1;
    case kShort:
    case kSShort:
      return 2;
    case kLong:
    case kSLong:
    case kFloat:
    case kIfdType:
      return 4;
    case kRational:
    case kSRational:
    case kDouble:
      return 8;
    default:
      return 0;
  }
}

const Entry* Ifd::Find(uint16_t tag) const {
  for (const Entry& e : entries)
    if (e.tag == tag) return &e;
  return nullptr;
}

Result<TiffReader> TiffReader::Open(const ByteSource& source, uint64_t base) {
  if (base > source.size() || source.size() - base < 8) return Damaged();
  uint8_t header[8];
  REMPART_RETURN_IF_ERROR(source.ReadAt(base, header));
  bool big_endian;
  if (header[0] == 'I' && header[1] == 'I') {
    big_endian = false;
  } else if (header[0] == 'M' && header[1] == 'M') {
    big_endian = true;
  } else {
    return Damaged();
  }
  TiffReader reader(source, base, source.size() - base, big_endian, 0);
  uint16_t version = reader.U16(header + 2);
  if (version == 43) {
    return Error(Code::kInvalidInput,
                 "BigTIFF files are not supported yet: save the image as a regular TIFF or PNG");
  }
  if (version != 42) return Damaged();
  reader.first_ifd_ = reader.U32(header + 4);
  return reader;
}

TiffReader TiffReader::Headerless(const ByteSource& source, uint64_t base, bool big_endian) {
  uint64_t size = base <= source.size() ? source.size() - base : 0;
  return TiffReader(source, base, size, big_endian, 0);
}

uint16_t TiffReader::U16(const uint8_t* p) const {
  return big_endian_ ? static_cast<uint16_t>(p[0] << 8 | p[1])
                     : static_cast<uint16_t>(p[1] << 8 | p[0]);
}

uint32_t TiffReader::U32(const uint8_t* p) const {
  return big_endian_ ? uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]
                     : uint32_t(p[3]) << 24 | uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | p[0];
}

Result<Ifd> TiffReader::ReadIfd(uint64_t offset) const {
  // An IFD needs at least its count and the next-IFD offset; offsets below 8 would overlap
  // the header and are a sign of a crafted loop.
  if (offset < 8 || !InRange(offset, 6, size_)) return Damaged();
  uint8_t count_bytes[2];
  REMPART_RETURN_IF_ERROR(source_->ReadAt(base_ + offset, count_bytes));
  uint32_t count = U16(count_bytes);
  if (count == 0 || count > kMaxEntriesPerIfd) return Damaged();
  uint64_t table_size = 2 + 12ull * count + 4;
  if (!InRange(offset, table_size, size_)) return Damaged();
  std::vector<uint8_t> table(table_size);
  REMPART_RETURN_IF_ERROR(source_->ReadAt(base_ + offset, table));

  Ifd ifd;
  ifd.offset = offset;
  ifd.entries.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* p = table.data() + 2 + 12 * i;
    Entry e;
    e.tag = U16(p);
    e.type = U16(p + 2);
    e.count = U32(p + 4);
    e.entry_offset = offset + 2 + 12ull * i;
    e.value_size = uint64_t(e.count) * TypeSize(e.type);
    e.value_offset = e.inline_value() ? e.entry_offset + 8 : U32(p + 8);
    e.usable = TypeSize(e.type) != 0 && InRange(e.value_offset, e.value_size, size_);
    ifd.entries.push_back(e);
  }
  ifd.next = U32(table.data() + 2 + 12 * count);
  return ifd;
}

Result<std::vector<uint8_t>> TiffReader::ReadRaw(const Entry& entry, uint64_t limit) const {
  if (!entry.usable) return Damaged();
  return source_->Read(base_ + entry.value_offset, entry.value_size, limit);
}

Result<uint64_t> TiffReader::ReadUint(const Entry& entry, uint32_t index) const {
  if (!entry.usable || !IsIntegerType(entry.type) || index >= entry.count) return Damaged();
  int size = TypeSize(entry.type);
  uint8_t bytes[4] = {};
  REMPART_RETURN_IF_ERROR(source_->ReadAt(base_ + entry.value_offset + uint64_t(index) * size,
                                          std::span<uint8_t>(bytes, size)));
  switch (size) {
    case 1:
      return uint64_t(bytes[0]);
    case 2:
      return uint64_t(U16(bytes));
    default:
      return uint64_t(U32(bytes));
  }
}

Result<std::vector<uint64_t>> TiffReader::ReadUints(const Entry& entry, uint32_t max_count) const {
  if (!entry.usable || !IsIntegerType(entry.type) || entry.count > max_count) return Damaged();
  REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> raw, ReadRaw(entry, uint64_t(max_count) * 4));
  int size = TypeSize(entry.type);
  std::vector<uint64_t> values(entry.count);
  for (uint32_t i = 0; i < entry.count; ++i) {
    const uint8_t* p = raw.data() + uint64_t(i) * size;
    values[i] = size == 1 ? p[0] : size == 2 ? U16(p) : U32(p);
  }
  return values;
}

Result<Rational> TiffReader::ReadRational(const Entry& entry, uint32_t index) const {
  if (!entry.usable || (entry.type != kRational && entry.type != kSRational) ||
      index >= entry.count) {
    return Damaged();
  }
  uint8_t bytes[8];
  REMPART_RETURN_IF_ERROR(source_->ReadAt(base_ + entry.value_offset + 8ull * index, bytes));
  return Rational{U32(bytes), U32(bytes + 4)};
}

}  // namespace rempart::tiff
