// Reads an evidence bundle received from anyone: a directory or a .zip file.
//
// The bundle is hostile until verified. Open() checks every name and the declared sizes before
// anything is read, and refuses, with a message naming the entry: "..", absolute, backslash, colon
// or control-character names, invalid UTF-8, duplicate names (ignoring ASCII case), symbolic links
// and special files, encrypted zip entries, compression other than store/deflate, more entries or
// more bytes than BundleLimits allow, compression ratios only a zip bomb reaches, and zip entries
// that overlap. Stream() then counts the bytes that actually flow and stops as soon as they exceed
// what was declared, so a lying header cannot make it inflate more. Nothing is ever written to
// disk: verify by streaming (hashing) each file.
//
// A reader is not thread safe; use one per thread. A directory bundle is read through file
// descriptors that never follow a symbolic link, so a link swapped in later is refused too.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace rempart {

struct BundleLimits {
  uint64_t max_entries = 100'000;           // files and directories
  uint64_t max_total_size = 64ull << 30;    // sum of the uncompressed sizes
  uint64_t max_entry_size = 64ull << 30;    // one uncompressed file
  uint64_t max_compression_ratio = 1000;    // deflate cannot honestly exceed ~1032:1
  uint64_t ratio_exempt_size = 1ull << 20;  // files this small may exceed the ratio
  uint32_t max_depth = 32;                  // directory nesting
};

// Default cap for ReadAll: a manifest or a report fits well within it.
inline constexpr uint64_t kDefaultReadAllLimit = 64ull << 20;

struct BundleEntry {
  std::string name;   // checked relative path, '/'-separated, UTF-8
  uint64_t size = 0;  // uncompressed size in bytes, as declared (zip) or found (directory)
};

// Receives consecutive chunks of a file; a non-ok Status stops the stream and is returned.
using ChunkSink = std::function<Status(std::span<const uint8_t> chunk)>;

struct OpenedSource;

class BundleReader {
 public:
  // `path` is a directory (a directory bundle) or a regular file (read as a zip, whatever its
  // extension).
  static Result<BundleReader> Open(const std::filesystem::path& path,
                                   const BundleLimits& limits = {});
  // Reads a zip held in memory (taken over: std::move it in). Used by the fuzzer and by callers
  // that already hold the bytes.
  static Result<BundleReader> OpenZipBytes(std::vector<uint8_t> zip,
                                           const BundleLimits& limits = {});

  BundleReader(BundleReader&&) noexcept;
  BundleReader& operator=(BundleReader&&) noexcept;
  ~BundleReader();

  bool is_zip() const;
  // Regular files only (directories are implied by names), sorted by name.
  const std::vector<BundleEntry>& entries() const;
  // The entry called exactly `name`, or nullptr.
  const BundleEntry* Find(std::string_view name) const;

  // The whole file `name`; refused (kInvalidInput) when it is larger than `max_bytes`, and
  // kNotFound when there is no such file.
  Result<std::vector<uint8_t>> ReadAll(std::string_view name,
                                       uint64_t max_bytes = kDefaultReadAllLimit);
  // Feeds the file `name` to `sink` in chunks of at most 64 KiB, with bounded memory. The bytes of
  // a zip entry are checked against its CRC only at the end: act on them (e.g. trust a hash)
  // only if Stream returns ok.
  Status Stream(std::string_view name, const ChunkSink& sink);

  // Ok, or why a zip's headers (times, attributes, versions, layout) are not exactly those
  // Rempart writes: the content may still match, but the archive was altered or re-packed.
  const Status& form() const { return form_; }

  class Source;  // a directory or a zip; defined in bundle_source.h

 private:
  explicit BundleReader(OpenedSource opened);

  std::unique_ptr<Source> source_;
  std::vector<BundleEntry> entries_;
  Status form_;
};

}  // namespace rempart
