// File-system helpers for bundles: an owned descriptor, errno reporting, and the fsync + rename
// steps that make a finished bundle appear atomically and survive a crash. Internal to
// src/evidence.
#pragma once

#include <filesystem>
#include <span>
#include <string_view>

#include "core/status.h"

namespace rempart {

// Owns a file descriptor and closes it.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release();

 private:
  int fd_ = -1;
};

// The kIo Status for a failed system call on `path`, with errno `err`.
Status IoError(std::string_view action, const std::filesystem::path& path, int err);

// Writes all of `bytes` to `fd`, retrying short writes.
Status WriteAll(int fd, std::span<const uint8_t> bytes, const std::filesystem::path& path);

// fsync on an open descriptor / on the directory at `dir`, so a rename into it is durable.
Status SyncFd(int fd, const std::filesystem::path& path);
Status SyncDirectory(const std::filesystem::path& dir);

// Whether `path` is free for a new bundle: absent, an empty directory (`directory`), or an empty
// regular file (!`directory`). Anything else is kExists.
Status CheckTargetFree(const std::filesystem::path& path, bool directory);

// Renames the finished `from` to `to` without overwriting anything that appeared since
// CheckTargetFree (an empty placeholder may be replaced), then syncs the parent directory.
Status RenameIntoPlace(const std::filesystem::path& from, const std::filesystem::path& to,
                       bool directory);

}  // namespace rempart
