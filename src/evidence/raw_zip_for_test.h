// Test-only: builds zip archives byte by byte, so tests and the fuzzer's seeds can say anything a
// hostile archive can say (lying sizes, links, overlapping entries) that libzip would never write.
#pragma once

#include <sys/stat.h>
#include <zip.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace rempart::testing {

inline uint32_t Crc32(const std::vector<uint8_t>& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint8_t byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

struct RawEntry {
  std::string name;
  std::vector<uint8_t> data;     // bytes as stored: compressed when method is 8
  uint16_t method = 0;           // 0 store, 8 deflate
  std::optional<uint64_t> size;  // declared uncompressed size; default: data.size()
  std::optional<uint32_t> crc;   // default: CRC of data (right for stored entries)
  uint16_t flags = 0;
  uint16_t made_by = (3 << 8) | 20;  // Unix
  uint32_t external_attributes = (S_IFREG | 0644u) << 16;
  // When set, no local header is written for this entry and the central record points here.
  std::optional<uint32_t> local_offset;
};

inline void Put(std::vector<uint8_t>& out, uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

inline std::vector<uint8_t> LocalHeader(const RawEntry& e) {
  std::vector<uint8_t> out;
  Put(out, 0x04034b50, 4);
  Put(out, 20, 2);
  Put(out, e.flags, 2);
  Put(out, e.method, 2);
  Put(out, 0, 4);  // time, date
  Put(out, e.crc.value_or(Crc32(e.data)), 4);
  Put(out, e.data.size(), 4);
  Put(out, e.size.value_or(e.data.size()), 4);
  Put(out, e.name.size(), 2);
  Put(out, 0, 2);
  out.insert(out.end(), e.name.begin(), e.name.end());
  return out;
}

// Classic (non-zip64) archive; `declared_count` overrides the entry count in the end record.
inline std::vector<uint8_t> BuildRawZip(const std::vector<RawEntry>& entries,
                                        std::optional<uint16_t> declared_count = std::nullopt) {
  std::vector<uint8_t> out;
  std::vector<uint32_t> offsets;
  for (const RawEntry& e : entries) {
    if (e.local_offset) {
      offsets.push_back(*e.local_offset);
      continue;
    }
    offsets.push_back(static_cast<uint32_t>(out.size()));
    std::vector<uint8_t> header = LocalHeader(e);
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), e.data.begin(), e.data.end());
  }
  const size_t cd_offset = out.size();
  for (size_t i = 0; i < entries.size(); ++i) {
    const RawEntry& e = entries[i];
    Put(out, 0x02014b50, 4);
    Put(out, e.made_by, 2);
    Put(out, 20, 2);
    Put(out, e.flags, 2);
    Put(out, e.method, 2);
    Put(out, 0, 4);
    Put(out, e.crc.value_or(Crc32(e.data)), 4);
    Put(out, e.data.size(), 4);
    Put(out, e.size.value_or(e.data.size()), 4);
    Put(out, e.name.size(), 2);
    Put(out, 0, 2);  // extra
    Put(out, 0, 2);  // comment
    Put(out, 0, 2);  // disk
    Put(out, 0, 2);  // internal attributes
    Put(out, e.external_attributes, 4);
    Put(out, offsets[i], 4);
    out.insert(out.end(), e.name.begin(), e.name.end());
  }
  const size_t cd_size = out.size() - cd_offset;
  const uint16_t count = declared_count.value_or(static_cast<uint16_t>(entries.size()));
  Put(out, 0x06054b50, 4);
  Put(out, 0, 2);
  Put(out, 0, 2);
  Put(out, count, 2);
  Put(out, count, 2);
  Put(out, cd_size, 4);
  Put(out, cd_offset, 4);
  Put(out, 0, 2);
  return out;
}

inline RawEntry Stored(std::string name, std::string text) {
  RawEntry e;
  e.name = std::move(name);
  e.data.assign(text.begin(), text.end());
  return e;
}

// Raw deflate stream of `data`, produced by libzip (through a scratch file at `scratch`) so that
// tests need no direct zlib dependency.
inline std::vector<uint8_t> Deflate(const std::vector<uint8_t>& data, const std::string& scratch) {
  std::vector<uint8_t> out;
  int err = 0;
  zip_t* za = zip_open(scratch.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (za == nullptr) return out;
  zip_source_t* src = zip_source_buffer(za, data.data(), data.size(), 0);
  const zip_int64_t index = zip_file_add(za, "x", src, 0);
  zip_set_file_compression(za, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9);
  if (zip_close(za) != 0) {
    zip_discard(za);
    return out;
  }
  za = zip_open(scratch.c_str(), ZIP_RDONLY, &err);
  if (za == nullptr) return out;
  zip_file_t* zf = zip_fopen_index(za, 0, ZIP_FL_COMPRESSED);
  uint8_t buffer[65536];
  zip_int64_t n;
  while (zf != nullptr && (n = zip_fread(zf, buffer, sizeof buffer)) > 0) {
    out.insert(out.end(), buffer, buffer + n);
  }
  if (zf != nullptr) zip_fclose(zf);
  zip_discard(za);
  std::remove(scratch.c_str());
  return out;
}

}  // namespace rempart::testing
