// A zip bundle: ReadZipLayout vets the structure, libzip inflates, and every byte is counted.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "evidence/bundle_fs.h"
#include "evidence/bundle_names.h"
#include "evidence/bundle_source.h"
#include "evidence/zip_canonical.h"
#include "evidence/zip_layout.h"

namespace rempart {
namespace {

constexpr uint16_t kFlagEncrypted = 1 << 0;
constexpr uint16_t kFlagStrongEncryption = 1 << 6;
constexpr uint16_t kFlagMaskedHeaders = 1 << 13;
constexpr uint16_t kMethodAes = 99;
constexpr uint8_t kHostUnix = 3;

struct ZipCloser {
  void operator()(zip_t* za) const { zip_discard(za); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

struct ZipFileCloser {
  void operator()(zip_file_t* zf) const { zip_fclose(zf); }
};

struct Item {
  uint64_t index = 0;  // libzip index
  uint64_t size = 0;
  uint64_t compressed_size = 0;
  std::string name;
};

bool ExceedsRatio(uint64_t out, uint64_t in, uint64_t ratio) {
  if (ratio == 0 || in > std::numeric_limits<uint64_t>::max() / ratio) return false;
  return out > in * ratio;
}

std::string DescribeZipError(zip_error_t* error) { return zip_error_strerror(error); }

class ZipSource final : public BundleReader::Source {
 public:
  ZipSource(std::vector<uint8_t> bytes, ZipPtr za, std::vector<Item> items,
            const BundleLimits& limits)
      : bytes_(std::move(bytes)), za_(std::move(za)), items_(std::move(items)), limits_(limits) {}

  bool is_zip() const override { return true; }

  Status Stream(size_t index, const ChunkSink& sink) override {
    const Item& item = items_[index];
    const std::string& name = item.name;
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(za_.get(), item.index, 0));
    if (!file) {
      return BadEntry(name,
                      "cannot be opened (" + DescribeZipError(zip_get_error(za_.get())) + ")");
    }
    std::vector<uint8_t> buffer(kStreamChunkBytes);
    uint64_t total = 0;
    while (true) {
      const zip_int64_t n = zip_fread(file.get(), buffer.data(), buffer.size());
      if (n < 0) {
        zip_error_t* error = zip_file_get_error(file.get());
        if (zip_error_code_zip(error) == ZIP_ER_CRC) {
          return BadEntry(name, "fails its checksum (CRC): it is damaged or was altered");
        }
        return BadEntry(name, "cannot be read (" + DescribeZipError(error) + ")");
      }
      if (n == 0) break;
      total += static_cast<uint64_t>(n);
      // Checked before the sink sees the bytes: a lying header never gets more out than it
      // declared, whatever the compressed stream holds.
      if (total > item.size) {
        return BadEntry(name, "inflates to more than its declared " + std::to_string(item.size) +
                                  " bytes (a zip bomb trick)");
      }
      if (total > limits_.ratio_exempt_size &&
          ExceedsRatio(total, item.compressed_size, limits_.max_compression_ratio)) {
        return BadEntry(name, "inflates beyond the allowed compression ratio (a zip bomb)");
      }
      REMPART_RETURN_IF_ERROR(
          sink(std::span<const uint8_t>(buffer.data(), static_cast<size_t>(n))));
    }
    if (total != item.size) {
      return BadEntry(name, "is shorter than its declared size: it is truncated or damaged");
    }
    return Status::Ok();
  }

 private:
  std::vector<uint8_t> bytes_;  // the archive, when read from memory; outlives za_
  ZipPtr za_;
  std::vector<Item> items_;  // sorted like the entry list
  BundleLimits limits_;
};

// The file type a Unix host recorded in the upper half of the external attributes, or 0.
uint32_t UnixFileType(const ZipLayoutEntry& e) {
  if ((e.made_by >> 8) != kHostUnix) return 0;
  return (e.external_attributes >> 16) & S_IFMT;
}

// Applies the bundle rules to one entry, before libzip parses anything: a file is appended to
// `files`, a directory only recorded in `names`.
Status CheckEntry(const ZipLayoutEntry& e, uint64_t index, const BundleLimits& limits,
                  BundleNameSet& names, SizeBudget& budget, std::vector<Item>& files) {
  const bool dir = !e.name.empty() && e.name.back() == '/';
  const std::string_view name =
      dir ? std::string_view(e.name).substr(0, e.name.size() - 1) : std::string_view(e.name);
  REMPART_RETURN_IF_ERROR(CheckBundleName(name));
  if (static_cast<uint64_t>(std::count(name.begin(), name.end(), '/')) > limits.max_depth) {
    return BadEntry(name, "is nested too deeply");
  }
  if ((e.flags & (kFlagEncrypted | kFlagStrongEncryption | kFlagMaskedHeaders)) != 0 ||
      e.method == kMethodAes) {
    return BadEntry(name, "is encrypted; Rempart bundles are never encrypted inside the zip");
  }
  const uint32_t type = UnixFileType(e);
  if (type == S_IFLNK) return BadEntry(name, "is a symbolic link");
  if (type != 0 && type != S_IFREG && type != S_IFDIR) {
    return BadEntry(name, "is a special file (device, pipe or socket)");
  }
  if (dir || type == S_IFDIR) {
    if (!dir) return BadEntry(name, "is marked as a directory but named like a file");
    if (e.size != 0) return BadEntry(name, "is a directory that holds data");
    return names.AddDirectory(name);
  }
  if (e.method != ZIP_CM_STORE && e.method != ZIP_CM_DEFLATE) {
    return BadEntry(name, "uses compression method " + std::to_string(e.method) +
                              "; only stored and deflated files are supported");
  }
  if (e.method == ZIP_CM_STORE && e.size != e.compressed_size) {
    return BadEntry(name, "is stored uncompressed but declares two different sizes");
  }
  if (e.size > limits.ratio_exempt_size &&
      ExceedsRatio(e.size, e.compressed_size, limits.max_compression_ratio)) {
    return BadEntry(name, "declares a compression ratio above " +
                              std::to_string(limits.max_compression_ratio) +
                              ":1, which only a zip bomb reaches");
  }
  REMPART_RETURN_IF_ERROR(names.AddFile(name));
  REMPART_RETURN_IF_ERROR(budget.Add(name, e.size));
  files.push_back({index, e.size, e.compressed_size, e.name});
  return Status::Ok();
}

// libzip must see the archive exactly as ReadZipLayout did; a difference means the archive was
// crafted to show two faces.
Status CrossCheck(zip_t* za, const ZipLayoutEntry& e, uint64_t index) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(za, index, ZIP_FL_ENC_RAW, &st) != 0) {
    return BadZip(DescribeZipError(zip_get_error(za)));
  }
  if (st.name == nullptr || e.name != st.name || st.size != e.size ||
      st.comp_size != e.compressed_size || st.comp_method != e.method ||
      st.encryption_method != ZIP_EM_NONE) {
    return BadEntry(e.name, "is read differently by two zip readers (a sign of a crafted archive)");
  }
  return Status::Ok();
}

// Checks `layout`, then opens `source` (consumed) with libzip and cross-checks it. `bytes` backs
// `source` when the archive is in memory (moving a vector keeps its buffer in place).
Result<OpenedSource> OpenWithLibzip(zip_source_t* source, const ZipLayout& zip_layout,
                                    const BundleLimits& limits, std::vector<uint8_t> bytes) {
  const std::vector<ZipLayoutEntry>& layout = zip_layout.entries;
  BundleNameSet names;
  SizeBudget budget(limits);
  std::vector<Item> items;
  for (uint64_t i = 0; i < layout.size(); ++i) {
    const Status status = CheckEntry(layout[i], i, limits, names, budget, items);
    if (!status.ok()) {
      zip_source_free(source);
      return status;
    }
  }

  zip_error_t error;
  zip_error_init(&error);
  ZipPtr za(zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!za) {
    zip_source_free(source);
    Status status = BadZip(DescribeZipError(&error));
    zip_error_fini(&error);
    return status;
  }
  zip_error_fini(&error);
  if (zip_get_num_entries(za.get(), 0) != static_cast<zip_int64_t>(layout.size())) {
    return BadZip("two zip readers count a different number of entries");
  }
  for (uint64_t i = 0; i < layout.size(); ++i) {
    REMPART_RETURN_IF_ERROR(CrossCheck(za.get(), layout[i], i));
  }

  std::sort(items.begin(), items.end(),
            [](const Item& a, const Item& b) { return a.name < b.name; });
  OpenedSource opened;
  opened.entries.reserve(items.size());
  for (const Item& item : items) opened.entries.push_back({item.name, item.size});
  opened.form = CheckCanonicalZip(zip_layout);
  opened.source =
      std::make_unique<ZipSource>(std::move(bytes), std::move(za), std::move(items), limits);
  return opened;
}

ZipLayoutLimits LayoutLimits(const BundleLimits& limits) {
  ZipLayoutLimits layout;
  layout.max_entries = limits.max_entries;
  return layout;
}

}  // namespace

Result<OpenedSource> OpenZipFdSource(int fd, uint64_t size, const BundleLimits& limits) {
  UniqueFd owned(fd);
  REMPART_ASSIGN_OR_RETURN(ZipLayout layout,
                           ReadZipLayout(FdByteReader(fd, size), LayoutLimits(limits)));
  // libzip reads through its own FILE; the layout above already holds what we need from `fd`.
  FILE* file = fdopen(owned.get(), "rb");
  if (file == nullptr) return IoError("read", "the bundle", errno);
  owned.release();
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_filep_create(file, 0, -1, &error);
  if (source == nullptr) {
    fclose(file);
    Status status = BadZip(DescribeZipError(&error));
    zip_error_fini(&error);
    return status;
  }
  zip_error_fini(&error);
  return OpenWithLibzip(source, layout, limits, {});
}

Result<OpenedSource> OpenZipMemorySource(std::vector<uint8_t> zip, const BundleLimits& limits) {
  REMPART_ASSIGN_OR_RETURN(ZipLayout layout,
                           ReadZipLayout(MemoryByteReader(zip), LayoutLimits(limits)));
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(zip.data(), zip.size(), 0, &error);
  if (source == nullptr) {
    Status status = BadZip(DescribeZipError(&error));
    zip_error_fini(&error);
    return status;
  }
  zip_error_fini(&error);
  return OpenWithLibzip(source, layout, limits, std::move(zip));
}

}  // namespace rempart
