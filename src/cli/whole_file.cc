#include "cli/whole_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rempart::cli {

namespace fs = std::filesystem;

namespace {

fs::path Folder(const fs::path& target) {
  return target.has_parent_path() ? target.parent_path() : fs::path(".");
}

// A hidden name next to the target, unique to this process and moment.
fs::path TempName(const fs::path& target, int attempt) {
  return Folder(target) / ("." + target.filename().string() + ".rempart-" +
                           std::to_string(::getpid()) + "-" + std::to_string(attempt));
}

}  // namespace

Result<WholeFile> WholeFile::Create(const fs::path& target, mode_t mode) {
  int fd = ::open(Folder(target).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
  if (fd >= 0) return WholeFile(fd, target, {});  // the umask applies, as for any new file
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
    return Error(Code::kIo, "cannot write in {}: {}", Folder(target).string(),
                 std::strerror(errno));
  }
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path temp = TempName(target, attempt);
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd >= 0) return WholeFile(fd, target, std::move(temp));
    if (errno != EEXIST) break;
  }
  return Error(Code::kIo, "cannot write in {}: {}", Folder(target).string(), std::strerror(errno));
}

WholeFile::WholeFile(WholeFile&& other) noexcept
    : fd_(other.fd_),
      target_(std::move(other.target_)),
      temp_(std::move(other.temp_)),
      committed_(other.committed_) {
  other.fd_ = -1;
  other.temp_.clear();
}

WholeFile::~WholeFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

Status WholeFile::Fail(const char* action, int err) const {
  if (err == ENOSPC || err == EDQUOT) {
    return Error(Code::kIo, "the disk is full while writing {}; nothing was written",
                 target_.string());
  }
  return Error(Code::kIo, "cannot {} {}: {}", action, target_.string(), std::strerror(err));
}

Status WholeFile::Write(std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail("write", errno);
    bytes = bytes.subspan(static_cast<size_t>(n));
  }
  return Status::Ok();
}

std::string WholeFile::ReadablePath() const {
  return temp_.empty() ? "/proc/self/fd/" + std::to_string(fd_) : temp_.string();
}

Status WholeFile::Commit(bool replace) {
  // Replacing destroys the only other copy, so the new bytes must be on disk first.
  if (replace && ::fsync(fd_) != 0) return Fail("write", errno);
  if (temp_.empty()) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd_);
    if (!replace) {
      if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, target_.c_str(), AT_SYMLINK_FOLLOW) != 0) {
        if (errno == EEXIST) {
          return Error(Code::kExists, "{} already exists; use --force to replace it",
                       target_.string());
        }
        return Fail("write", errno);
      }
      committed_ = true;
      return Status::Ok();
    }
    // Name it next to the target first, then rename over: rename is the atomic step.
    for (int attempt = 0; attempt < 100 && temp_.empty(); ++attempt) {
      fs::path temp = TempName(target_, attempt);
      if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temp.c_str(), AT_SYMLINK_FOLLOW) == 0) {
        temp_ = std::move(temp);
      } else if (errno != EEXIST) {
        return Fail("write", errno);
      }
    }
    if (temp_.empty()) return Fail("write", EEXIST);
  }
  if (!replace) {
    // link() refuses to overwrite, unlike rename().
    if (::link(temp_.c_str(), target_.c_str()) != 0) {
      if (errno == EEXIST) {
        return Error(Code::kExists, "{} already exists; use --force to replace it",
                     target_.string());
      }
      return Fail("write", errno);
    }
    ::unlink(temp_.c_str());
  } else if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    return Fail("replace", errno);
  }
  committed_ = true;
  temp_.clear();
  return Status::Ok();
}

}  // namespace rempart::cli
