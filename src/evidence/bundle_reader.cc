#include "evidence/bundle_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "evidence/bundle_names.h"
#include "evidence/bundle_source.h"

namespace rempart {
namespace {

std::string Bytes(uint64_t n) { return std::to_string(n) + " bytes"; }

}  // namespace

Status SizeBudget::Add(std::string_view name, uint64_t size) {
  if (size > limits_.max_entry_size) {
    return BadEntry(name, "is " + Bytes(size) + ", larger than the " +
                              Bytes(limits_.max_entry_size) + " allowed for one file");
  }
  if (size > limits_.max_total_size - std::min(total_, limits_.max_total_size)) {
    return BadEntry(
        name, "brings the bundle over the " + Bytes(limits_.max_total_size) + " allowed in total");
  }
  total_ += size;
  return Status::Ok();
}

Status TooManyEntries(uint64_t limit) {
  return Status(Code::kInvalidInput,
                "this bundle holds more than " + std::to_string(limit) +
                    " entries; a real bundle has far fewer. Ask the sender to export the case "
                    "again, or split it.");
}

Result<BundleReader> BundleReader::Open(const std::filesystem::path& path,
                                        const BundleLimits& limits) {
  // O_NONBLOCK: opening a FIFO planted at `path` must not hang.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return Status(Code::kNotFound,
                    "there is no bundle at " + path.string() + "; check the path.");
    }
    return Status(Code::kIo, "cannot open the bundle " + path.string() + ": " + std::strerror(err) +
                                 ". Check its permissions.");
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    return Status(Code::kIo,
                  "cannot inspect the bundle " + path.string() + ": " + std::strerror(err) + ".");
  }
  if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
    close(fd);
    return Status(Code::kInvalidInput, path.string() +
                                           " is neither a directory nor a zip file; give the "
                                           "path of a bundle exported by Rempart.");
  }
  REMPART_ASSIGN_OR_RETURN(OpenedSource opened,
                           S_ISDIR(st.st_mode)
                               ? OpenDirectorySource(fd, limits)
                               : OpenZipFdSource(fd, static_cast<uint64_t>(st.st_size), limits));
  return BundleReader(std::move(opened));
}

Result<BundleReader> BundleReader::OpenZipBytes(std::vector<uint8_t> zip,
                                                const BundleLimits& limits) {
  REMPART_ASSIGN_OR_RETURN(OpenedSource opened, OpenZipMemorySource(std::move(zip), limits));
  return BundleReader(std::move(opened));
}

BundleReader::BundleReader(OpenedSource opened)
    : source_(std::move(opened.source)),
      entries_(std::move(opened.entries)),
      form_(std::move(opened.form)) {}
BundleReader::BundleReader(BundleReader&&) noexcept = default;
BundleReader& BundleReader::operator=(BundleReader&&) noexcept = default;
BundleReader::~BundleReader() = default;

bool BundleReader::is_zip() const { return source_->is_zip(); }

const std::vector<BundleEntry>& BundleReader::entries() const { return entries_; }

const BundleEntry* BundleReader::Find(std::string_view name) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                             [](const BundleEntry& e, std::string_view n) { return e.name < n; });
  return it != entries_.end() && it->name == name ? &*it : nullptr;
}

Result<std::vector<uint8_t>> BundleReader::ReadAll(std::string_view name, uint64_t max_bytes) {
  const BundleEntry* entry = Find(name);
  if (entry == nullptr) {
    return Status(Code::kNotFound, "the bundle has no file \"" + PrintableName(name) +
                                       "\"; it is incomplete: ask the sender to export it again.");
  }
  if (entry->size > max_bytes) {
    return BadEntry(name, "is " + Bytes(entry->size) + ", more than the " + Bytes(max_bytes) +
                              " this file may hold");
  }
  std::vector<uint8_t> bytes;
  bytes.reserve(entry->size);
  REMPART_RETURN_IF_ERROR(Stream(name, [&](std::span<const uint8_t> chunk) {
    bytes.insert(bytes.end(), chunk.begin(), chunk.end());
    return Status::Ok();
  }));
  return bytes;
}

Status BundleReader::Stream(std::string_view name, const ChunkSink& sink) {
  const BundleEntry* entry = Find(name);
  if (entry == nullptr) {
    return Status(Code::kNotFound, "the bundle has no file \"" + PrintableName(name) +
                                       "\"; it is incomplete: ask the sender to export it again.");
  }
  return source_->Stream(static_cast<size_t>(entry - entries_.data()), sink);
}

}  // namespace rempart
