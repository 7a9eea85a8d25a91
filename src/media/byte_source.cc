#include "media/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rempart {

namespace {
Status Truncated() {
  return Error(Code::kInvalidInput, "the file ends too early: it is truncated or damaged");
}
bool InRange(uint64_t offset, uint64_t length, uint64_t size) {
  return offset <= size && length <= size - offset;
}
}  // namespace

Result<std::vector<uint8_t>> ByteSource::Read(uint64_t offset, uint64_t length,
                                              uint64_t limit) const {
  if (!InRange(offset, length, size())) return Truncated();
  if (length > limit) {
    return Error(Code::kInvalidInput, "a block of {} bytes inside the file is too large to read",
                 length);
  }
  std::vector<uint8_t> out(length);
  REMPART_RETURN_IF_ERROR(ReadAt(offset, out));
  return out;
}

Status MemorySource::ReadAt(uint64_t offset, std::span<uint8_t> out) const {
  if (!InRange(offset, out.size(), bytes_.size())) return Truncated();
  if (!out.empty()) std::memcpy(out.data(), bytes_.data() + offset, out.size());
  return Status::Ok();
}

Result<FileSource> FileSource::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error(Code::kNotFound, "no such file: {}", path);
    return Error(Code::kIo, "cannot read {}: {}", path, std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error(Code::kInvalidInput, "{} is not a regular file", path);
  }
  return FileSource(fd, static_cast<uint64_t>(st.st_size), path);
}

FileSource::FileSource(FileSource&& other) noexcept
    : fd_(other.fd_), size_(other.size_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

Status FileSource::ReadAt(uint64_t offset, std::span<uint8_t> out) const {
  if (!InRange(offset, out.size(), size_)) return Truncated();
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error(Code::kIo, "cannot read {}: {}", path_, std::strerror(errno));
    if (n == 0) return Truncated();  // the file shrank while we read it
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace rempart
