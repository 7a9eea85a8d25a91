#include "evidence/bundle_fs.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace rempart {
namespace {

std::filesystem::path ParentOf(const std::filesystem::path& path) {
  std::filesystem::path parent = path.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

Status Occupied(const std::filesystem::path& path) {
  return Status(Code::kExists, path.string() +
                                   " already exists and is not empty; choose another name or "
                                   "remove it first. Rempart never overwrites a bundle.");
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) close(fd_);
}

int UniqueFd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

Status IoError(std::string_view action, const std::filesystem::path& path, int err) {
  std::string advice = ". Check the permissions and the free space of that disk.";
  return Status(Code::kIo, "cannot " + std::string(action) + " " + path.string() + ": " +
                               std::strerror(err) + advice);
}

Status WriteAll(int fd, std::span<const uint8_t> bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("write", path, errno);
    bytes = bytes.subspan(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SyncFd(int fd, const std::filesystem::path& path) {
  if (fsync(fd) != 0) return IoError("save (fsync)", path, errno);
  return Status::Ok();
}

Status SyncDirectory(const std::filesystem::path& dir) {
  UniqueFd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return IoError("open the directory", dir, errno);
  return SyncFd(fd.get(), dir);
}

Status CheckTargetFree(const std::filesystem::path& path, bool directory) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return IoError("inspect", path, errno);
  }
  if (directory && S_ISDIR(st.st_mode)) {
    std::error_code ec;
    const bool empty = std::filesystem::is_empty(path, ec);
    if (ec) return IoError("list", path, ec.value());
    return empty ? Status::Ok() : Occupied(path);
  }
  if (!directory && S_ISREG(st.st_mode) && st.st_size == 0) return Status::Ok();
  return Occupied(path);
}

Status RenameIntoPlace(const std::filesystem::path& from, const std::filesystem::path& to,
                       bool directory) {
  // Replacing is allowed only for an empty placeholder; otherwise the kernel refuses to overwrite.
  struct stat st;
  const bool exists = lstat(to.c_str(), &st) == 0;
  if (exists) {
    REMPART_RETURN_IF_ERROR(CheckTargetFree(to, directory));
    if (rename(from.c_str(), to.c_str()) != 0) {
      return errno == ENOTEMPTY || errno == EEXIST ? Occupied(to) : IoError("rename", from, errno);
    }
  } else if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
    if (errno == EEXIST) return Occupied(to);
    // Some file systems lack RENAME_NOREPLACE; the lstat above is then the only guard.
    if ((errno != EINVAL && errno != ENOSYS) || rename(from.c_str(), to.c_str()) != 0) {
      return IoError("rename", from, errno);
    }
  }
  return SyncDirectory(ParentOf(to));
}

}  // namespace rempart
