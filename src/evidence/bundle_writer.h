// Writes an evidence bundle: a directory, or a zip file when the path ends in ".zip".
//
// Everything goes to a temporary sibling ("case.zip.tmp-XXXXXX", "case.tmp-XXXXXX") that Finish()
// syncs to disk and renames into place, so the final name only ever shows a complete bundle; a
// writer destroyed before Finish() removes its temporary. An existing non-empty target is refused
// (kExists). Names follow CheckBundleName and must be unique ignoring case, so the writer never
// produces what BundleReader refuses. Bundles are private: files 0600, directories 0700.
//
// AddFile and AddStream never hold a whole file in memory. A zip bundle reads their sources during
// Finish() (a directory bundle at once), so a source must stay valid and unchanged until Finish().
// Zip64 is used for files over 4 GiB.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "core/status.h"
#include "evidence/bundle_names.h"

namespace rempart {

// Evidence is mostly compressed media already (JPEG, MP4), so files are stored by default and
// only small text such as manifest.json is deflated. Directory bundles ignore this.
enum class Compression { kStore, kDeflate };

// Pulls the next bytes of an entry into a prefix of `out` and returns how many; 0 means the end.
// An error aborts the entry and is what AddStream or Finish returns.
using StreamSource = std::function<Result<size_t>(std::span<uint8_t> out)>;

class BundleWriter {
 public:
  static Result<BundleWriter> Create(const std::filesystem::path& path);

  BundleWriter(BundleWriter&&) noexcept;
  BundleWriter& operator=(BundleWriter&&) noexcept;
  ~BundleWriter();

  bool is_zip() const;

  // Adds the regular file at `source` under `name`. After a failed Add or Finish, abandon the
  // writer: its destructor removes the temporary.
  Status AddFile(std::string_view name, const std::filesystem::path& source,
                 Compression compression = Compression::kStore);
  // Adds the `size` bytes that `source` yields (e.g. decrypted vault content) under `name`; fewer
  // or more bytes than `size` is an error.
  Status AddStream(std::string_view name, uint64_t size, StreamSource source,
                   Compression compression = Compression::kStore);
  // Adds `bytes` (copied) under `name`.
  Status AddBytes(std::string_view name, std::span<const uint8_t> bytes,
                  Compression compression = Compression::kDeflate);
  Status AddBytes(std::string_view name, std::string_view text,
                  Compression compression = Compression::kDeflate);

  // Writes everything durably and renames the bundle into place. After it, nothing can be added.
  Status Finish();

  class Backend;  // a directory or a zip; defined in bundle_writer_backend.h

 private:
  explicit BundleWriter(std::unique_ptr<Backend> backend);
  Status CheckOpen() const;

  std::unique_ptr<Backend> backend_;
  BundleNameSet names_;
  bool zip_ = false;
  uint64_t count_ = 0;
  bool finished_ = false;
};

}  // namespace rempart
