#include "media/iso_bmff_boxes.h"

#include <cstring>
#include <limits>

namespace rempart::bmff {

std::string TypeName(uint32_t type) {
  std::string name;
  bool printable = true;
  for (int shift = 24; shift >= 0; shift -= 8) {
    auto c = static_cast<uint8_t>(type >> shift);
    if (c == 0xA9) {
      name += "\xC2\xA9";  // © in UTF-8
    } else if (c >= 0x20 && c < 0x7F) {
      name += static_cast<char>(c);
    } else {
      printable = false;
    }
  }
  if (printable) return name;
  static constexpr char kHex[] = "0123456789abcdef";
  name = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) name += kHex[(type >> shift) & 0xF];
  return name;
}

bool IsPlausibleType(uint32_t type) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    auto c = static_cast<uint8_t>(type >> shift);
    if (!(c == ' ' || c == 0xA9 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z') || c == '_' || c == '-'))
      return false;
  }
  return true;
}

std::string ByteCount(uint64_t n) { return std::to_string(n) + " bytes"; }

Status Damaged() {
  return Error(Code::kInvalidInput,
               "the file is damaged (its structure does not add up); try another copy of it");
}

Status CannotCleanSafely() {
  return Error(Code::kInvalidInput,
               "this file stores its metadata in an unusual way that Rempart cannot remove "
               "without risk of damaging it; export a new copy from your phone or editor and try "
               "again");
}

Result<Box> ReadBox(const ByteSource& source, uint64_t offset, uint64_t limit) {
  if (limit > source.size() || offset > limit || limit - offset < 8) return Damaged();
  uint8_t head[16];
  REMPART_RETURN_IF_ERROR(source.ReadAt(offset, std::span<uint8_t>(head, 8)));
  Reader r(head);
  Box box;
  box.offset = offset;
  uint64_t size = r.U32();
  box.type = r.U32();
  if (size == 1) {
    if (limit - offset < 16) return Damaged();
    REMPART_RETURN_IF_ERROR(source.ReadAt(offset + 8, std::span<uint8_t>(head + 8, 8)));
    size = Reader(std::span<const uint8_t>(head + 8, 8)).U64();
    box.header_size = 16;
  } else if (size == 0) {
    size = limit - offset;
  }
  if (box.type == FourCC("uuid")) {
    if (size < box.header_size + 16u || limit - offset < box.header_size + 16u) return Damaged();
    REMPART_RETURN_IF_ERROR(source.ReadAt(offset + box.header_size, box.uuid));
    box.header_size += 16;
  }
  if (size < box.header_size || size > limit - offset) return Damaged();
  box.size = size;
  return box;
}

Status BoxBudget::Take() {
  if (remaining_ == 0) {
    return Error(Code::kInvalidInput,
                 "the file holds too many boxes to be a genuine photo or video; try another copy");
  }
  --remaining_;
  return Status::Ok();
}

Status ForEachBox(const ByteSource& source, uint64_t begin, uint64_t end, int depth,
                  BoxBudget& budget, const std::function<Status(const Box&)>& visit) {
  if (depth > BoxBudget::kMaxDepth) return Damaged();
  if (begin > end || end > source.size()) return Damaged();
  uint64_t at = begin;
  while (end - at >= 8) {
    REMPART_RETURN_IF_ERROR(budget.Take());
    REMPART_ASSIGN_OR_RETURN(Box box, ReadBox(source, at, end));
    REMPART_RETURN_IF_ERROR(visit(box));
    at = box.end();
  }
  return Status::Ok();
}

std::string_view Reader::CString() {
  if (remaining() == 0) return {};
  const uint8_t* start = data_.data() + pos_;
  const void* nul = std::memchr(start, 0, remaining());
  size_t length = nul ? static_cast<const uint8_t*>(nul) - start : remaining();
  pos_ += length + (nul ? 1 : 0);
  return std::string_view(reinterpret_cast<const char*>(start), length);
}

std::span<const uint8_t> Reader::Bytes(size_t n) {
  if (n > remaining()) {
    Fail();
    return {};
  }
  auto out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

void Reader::Skip(size_t n) {
  if (n > remaining()) return Fail();
  pos_ += n;
}

uint64_t Reader::Take(unsigned n) {
  if (n > 8 || n > remaining()) {
    Fail();
    return 0;
  }
  uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) v = v << 8 | data_[pos_ + i];
  pos_ += n;
  return v;
}

void PutUN(std::string& out, uint64_t v, unsigned bytes) {
  for (unsigned i = bytes; i > 0; --i) out += static_cast<char>((v >> (8 * (i - 1))) & 0xFF);
}
void PutU8(std::string& out, uint8_t v) { PutUN(out, v, 1); }
void PutU16(std::string& out, uint16_t v) { PutUN(out, v, 2); }
void PutU32(std::string& out, uint32_t v) { PutUN(out, v, 4); }

std::string BoxHeader(uint32_t type, uint64_t payload_size) {
  std::string out;
  if (payload_size <= std::numeric_limits<uint32_t>::max() - 8u) {
    PutU32(out, static_cast<uint32_t>(payload_size + 8));
    PutU32(out, type);
  } else {
    PutU32(out, 1);
    PutU32(out, type);
    PutUN(out, payload_size + 16, 8);
  }
  return out;
}

}  // namespace rempart::bmff
