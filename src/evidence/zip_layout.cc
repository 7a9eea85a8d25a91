#include "evidence/zip_layout.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>
#include <optional>

namespace rempart {
namespace {

constexpr uint32_t kLocalMagic = 0x04034b50;
constexpr uint32_t kCentralMagic = 0x02014b50;
constexpr uint32_t kEocdMagic = 0x06054b50;
constexpr uint32_t kEocd64Magic = 0x06064b50;
constexpr uint32_t kEocd64LocatorMagic = 0x07064b50;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kEocdSize = 22;
constexpr size_t kEocd64Size = 56;
constexpr size_t kEocd64LocatorSize = 20;
constexpr uint16_t kZip64ExtraId = 0x0001;

// Little-endian cursor over a byte span; reads past the end yield zeros and set `overrun`.
class Cursor {
 public:
  explicit Cursor(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  uint64_t Read(size_t width) {
    if (width > bytes_.size() - pos_) {
      overrun_ = true;
      pos_ = bytes_.size();
      return 0;
    }
    uint64_t value = 0;
    for (size_t i = 0; i < width; ++i) value |= uint64_t{bytes_[pos_ + i]} << (8 * i);
    pos_ += width;
    return value;
  }
  uint16_t U16() { return static_cast<uint16_t>(Read(2)); }
  uint32_t U32() { return static_cast<uint32_t>(Read(4)); }
  uint64_t U64() { return Read(8); }
  std::span<const uint8_t> Take(size_t n) {
    if (n > bytes_.size() - pos_) {
      overrun_ = true;
      pos_ = bytes_.size();
      return {};
    }
    auto out = bytes_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  size_t pos() const { return pos_; }
  bool overrun() const { return overrun_; }

 private:
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  bool overrun_ = false;
};

struct Directory {
  uint64_t entries = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t end_limit = 0;  // the central directory must end at or before this offset
  std::optional<uint64_t> eocd64;
  std::vector<uint8_t> eocd64_bytes;  // record and locator
};

Result<std::vector<uint8_t>> ReadBlock(const ByteReader& in, uint64_t offset, uint64_t length) {
  if (offset > in.size() || length > in.size() - offset) {
    return BadZip("a record points past the end of the file");
  }
  std::vector<uint8_t> block(length);
  REMPART_RETURN_IF_ERROR(in.ReadAt(offset, block));
  return block;
}

// Finds the one end-of-central-directory record whose comment runs exactly to the end of the
// file. Two candidates would let two zip readers see two different archives, so that is refused.
Result<uint64_t> FindEocd(const ByteReader& in) {
  if (in.size() < kEocdSize) return BadZip("the file is too short to be a zip");
  const uint64_t tail_len = std::min<uint64_t>(in.size(), kEocdSize + 0xFFFF);
  const uint64_t tail_start = in.size() - tail_len;
  REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> tail, ReadBlock(in, tail_start, tail_len));
  std::optional<uint64_t> found;
  for (uint64_t i = tail_len - kEocdSize + 1; i-- > 0;) {
    Cursor c(std::span<const uint8_t>(tail).subspan(i));
    if (c.U32() != kEocdMagic) continue;
    c.Take(16);
    if (c.U16() != tail_len - i - kEocdSize) continue;
    if (found) return BadZip("it has two end-of-central-directory records");
    found = tail_start + i;
  }
  if (!found) {
    return BadZip(
        "no end-of-central-directory record was found; the file is truncated or not a zip");
  }
  return *found;
}

Result<Directory> ReadDirectoryRecord(const ByteReader& in, uint64_t eocd) {
  REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> record, ReadBlock(in, eocd, kEocdSize));
  Cursor c(record);
  c.U32();
  const uint16_t disk = c.U16();
  const uint16_t cd_disk = c.U16();
  const uint16_t disk_entries = c.U16();
  Directory dir;
  dir.entries = c.U16();
  dir.size = c.U32();
  dir.offset = c.U32();
  dir.end_limit = eocd;
  const bool several_disks = disk != 0 || cd_disk != 0 || disk_entries != dir.entries;

  bool has_locator = false;
  std::vector<uint8_t> locator;
  if (eocd >= kEocd64LocatorSize) {
    REMPART_ASSIGN_OR_RETURN(locator, ReadBlock(in, eocd - kEocd64LocatorSize, kEocd64LocatorSize));
    has_locator = Cursor(locator).U32() == kEocd64LocatorMagic;
  }
  if (!has_locator) {
    if (several_disks) return BadZip("it spans several disks");
    if (dir.entries == 0xFFFF || dir.size == 0xFFFFFFFF || dir.offset == 0xFFFFFFFF) {
      return BadZip("its zip64 end record is missing");
    }
    return dir;
  }

  Cursor loc(locator);
  loc.U32();
  const uint32_t eocd64_disk = loc.U32();
  const uint64_t eocd64 = loc.U64();
  const uint32_t disks = loc.U32();
  if (eocd64_disk != 0 || disks > 1) return BadZip("it spans several disks");
  if (eocd64 > eocd - kEocd64LocatorSize || eocd - kEocd64LocatorSize - eocd64 < kEocd64Size) {
    return BadZip("its zip64 end record is misplaced");
  }
  REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> record64, ReadBlock(in, eocd64, kEocd64Size));
  Cursor c64(record64);
  if (c64.U32() != kEocd64Magic) return BadZip("its zip64 end record is damaged");
  c64.U64();  // record size
  c64.U32();  // versions
  const uint32_t disk64 = c64.U32();
  const uint32_t cd_disk64 = c64.U32();
  const uint64_t disk_entries64 = c64.U64();
  const uint64_t entries64 = c64.U64();
  const uint64_t size64 = c64.U64();
  const uint64_t offset64 = c64.U64();
  if (disk64 != 0 || cd_disk64 != 0 || disk_entries64 != entries64) {
    return BadZip("it spans several disks");
  }
  // The 32-bit fields either say "see zip64" or agree with it; anything else is two archives in
  // one.
  if ((dir.entries != 0xFFFF && dir.entries != entries64) ||
      (dir.size != 0xFFFFFFFF && dir.size != size64) ||
      (dir.offset != 0xFFFFFFFF && dir.offset != offset64)) {
    return BadZip("its zip64 end record disagrees with the classic one");
  }
  dir.entries = entries64;
  dir.size = size64;
  dir.offset = offset64;
  dir.end_limit = eocd64;
  dir.eocd64 = eocd64;
  dir.eocd64_bytes = std::move(record64);
  dir.eocd64_bytes.insert(dir.eocd64_bytes.end(), locator.begin(), locator.end());
  return dir;
}

// Applies the zip64 extended information extra field: each field whose classic value is the
// all-ones marker is stored there, in this order.
Status ApplyZip64Extra(std::span<const uint8_t> extra, ZipLayoutEntry& e, uint16_t disk) {
  const bool need_size = e.size == 0xFFFFFFFF;
  const bool need_comp = e.compressed_size == 0xFFFFFFFF;
  const bool need_offset = e.local_header_offset == 0xFFFFFFFF;
  const bool need_disk = disk == 0xFFFF;
  if (!need_size && !need_comp && !need_offset && !need_disk) return Status::Ok();
  Cursor c(extra);
  while (!c.overrun() && c.pos() + 4 <= extra.size()) {
    const uint16_t id = c.U16();
    const uint16_t len = c.U16();
    std::span<const uint8_t> body = c.Take(len);
    if (c.overrun()) break;
    if (id != kZip64ExtraId) continue;
    Cursor z(body);
    if (need_size) e.size = z.U64();
    if (need_comp) e.compressed_size = z.U64();
    if (need_offset) e.local_header_offset = z.U64();
    if (need_disk && z.U32() != 0) return BadZip("it spans several disks");
    if (z.overrun()) break;
    return Status::Ok();
  }
  return BadZip("an entry's zip64 extra field is missing or damaged");
}

Result<std::vector<ZipLayoutEntry>> ReadCentralDirectory(const ByteReader& in,
                                                         const Directory& dir) {
  REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadBlock(in, dir.offset, dir.size));
  std::vector<ZipLayoutEntry> entries;
  entries.reserve(dir.entries);
  Cursor c(bytes);
  while (c.pos() < bytes.size()) {
    if (entries.size() == dir.entries) return BadZip("its central directory has trailing bytes");
    if (c.U32() != kCentralMagic) return BadZip("its central directory is damaged");
    ZipLayoutEntry e;
    e.made_by = c.U16();
    e.central.version_needed = c.U16();
    e.flags = e.central.flags = c.U16();
    e.method = c.U16();
    e.central.dos_time = c.U16();
    e.central.dos_date = c.U16();
    e.crc = e.central.crc = c.U32();
    e.compressed_size = e.central.compressed_size = c.U32();
    e.size = e.central.size = c.U32();
    const uint16_t name_len = c.U16();
    const uint16_t extra_len = c.U16();
    const uint16_t comment_len = c.U16();
    const uint16_t disk = c.U16();
    e.internal_attributes = c.U16();
    e.external_attributes = c.U32();
    e.local_header_offset = c.U32();
    std::span<const uint8_t> name = c.Take(name_len);
    std::span<const uint8_t> extra = c.Take(extra_len);
    c.Take(comment_len);
    if (c.overrun()) return BadZip("its central directory is cut short");
    e.name.assign(name.begin(), name.end());
    e.central.extra.assign(extra.begin(), extra.end());
    e.comment_length = comment_len;
    e.disk = disk;
    REMPART_RETURN_IF_ERROR(ApplyZip64Extra(extra, e, disk));
    if (disk != 0 && disk != 0xFFFF) return BadZip("it spans several disks");
    entries.push_back(std::move(e));
  }
  if (entries.size() != dir.entries) {
    return BadZip("its central directory holds fewer entries than its end record declares");
  }
  return entries;
}

// Locates each entry's data from its local header, which must agree with the central directory.
Status ReadLocalHeader(const ByteReader& in, uint64_t directory_offset, ZipLayoutEntry& e) {
  if (e.local_header_offset >= directory_offset ||
      directory_offset - e.local_header_offset < kLocalHeaderSize + e.name.size()) {
    return BadZip("an entry points outside the archive data");
  }
  REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> header,
                           ReadBlock(in, e.local_header_offset, kLocalHeaderSize + e.name.size()));
  Cursor c(header);
  if (c.U32() != kLocalMagic) return BadZip("an entry's local header is missing");
  e.local.version_needed = c.U16();
  const uint16_t flags = e.local.flags = c.U16();
  const uint16_t method = c.U16();
  // Time, date, CRC and sizes may be deferred to a data descriptor: kept, not checked here.
  e.local.dos_time = c.U16();
  e.local.dos_date = c.U16();
  e.local.crc = c.U32();
  e.local.compressed_size = c.U32();
  e.local.size = c.U32();
  const uint16_t name_len = c.U16();
  const uint16_t extra_len = c.U16();
  std::span<const uint8_t> name = c.Take(e.name.size());
  if (method != e.method || (flags & 1) != (e.flags & 1) || name_len != e.name.size() ||
      !std::equal(name.begin(), name.end(), e.name.begin(), e.name.end(),
                  [](uint8_t a, char b) { return a == static_cast<uint8_t>(b); })) {
    return BadZip("an entry's local header disagrees with the central directory");
  }
  const uint64_t data_start = e.local_header_offset + kLocalHeaderSize + name_len + extra_len;
  if (data_start > directory_offset || e.compressed_size > directory_offset - data_start) {
    return BadZip("an entry's data runs into the central directory");
  }
  REMPART_ASSIGN_OR_RETURN(
      e.local.extra, ReadBlock(in, e.local_header_offset + kLocalHeaderSize + name_len, extra_len));
  e.data_end = data_start + e.compressed_size;
  return Status::Ok();
}

}  // namespace

Status BadZip(std::string_view problem) {
  return Status(Code::kInvalidInput,
                "this bundle is not a usable zip archive: " + std::string(problem) +
                    ". If it was downloaded or copied, the copy may be incomplete or altered: "
                    "ask the sender for the bundle again.");
}

Status FdByteReader::ReadAt(uint64_t offset, std::span<uint8_t> out) const {
  if (offset > size_ || out.size() > size_ - offset) {
    return BadZip("a record points past the end of the file");
  }
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n =
        pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Status(Code::kIo, std::string("cannot read the bundle: ") + std::strerror(errno) +
                                   ". Check that the file is readable and the disk is healthy.");
    }
    if (n == 0) return BadZip("the file became shorter while it was being read");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status MemoryByteReader::ReadAt(uint64_t offset, std::span<uint8_t> out) const {
  if (offset > bytes_.size() || out.size() > bytes_.size() - offset) {
    return BadZip("a record points past the end of the file");
  }
  if (!out.empty()) std::memcpy(out.data(), bytes_.data() + offset, out.size());
  return Status::Ok();
}

Result<ZipLayout> ReadZipLayout(const ByteReader& in, const ZipLayoutLimits& limits) {
  REMPART_ASSIGN_OR_RETURN(const uint64_t eocd, FindEocd(in));
  REMPART_ASSIGN_OR_RETURN(const Directory dir, ReadDirectoryRecord(in, eocd));
  if (dir.entries > limits.max_entries) {
    return Status(Code::kInvalidInput,
                  "this bundle declares " + std::to_string(dir.entries) +
                      " entries, more than the " + std::to_string(limits.max_entries) +
                      " allowed; a real bundle has far fewer. Ask the sender to export the case "
                      "again, or split it.");
  }
  if (dir.offset > dir.end_limit || dir.size > dir.end_limit - dir.offset) {
    return BadZip("its central directory runs past its end record");
  }
  if (dir.size > limits.max_central_directory_bytes) {
    return BadZip("its central directory is larger than any bundle needs");
  }
  if (dir.entries > dir.size / kCentralHeaderSize) {
    return BadZip("its central directory is too small for the entries it declares");
  }
  REMPART_ASSIGN_OR_RETURN(std::vector<ZipLayoutEntry> entries, ReadCentralDirectory(in, dir));
  for (ZipLayoutEntry& e : entries) REMPART_RETURN_IF_ERROR(ReadLocalHeader(in, dir.offset, e));

  std::vector<size_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return entries[a].local_header_offset < entries[b].local_header_offset;
  });
  for (size_t i = 1; i < order.size(); ++i) {
    if (entries[order[i]].local_header_offset < entries[order[i - 1]].data_end) {
      return BadZip("two entries share the same bytes (overlapping entries are a zip bomb trick)");
    }
  }
  ZipLayout layout;
  layout.entries = std::move(entries);
  layout.directory_offset = dir.offset;
  layout.directory_size = dir.size;
  layout.eocd_offset = eocd;
  layout.eocd64_offset = dir.eocd64;
  layout.eocd64 = dir.eocd64_bytes;
  REMPART_ASSIGN_OR_RETURN(layout.eocd, ReadBlock(in, eocd, kEocdSize));
  layout.file_size = in.size();
  return layout;
}

}  // namespace rempart
