// WholeFile: a new file that appears complete or not at all.
//
// Bytes go to an unnamed file in the target's folder (O_TMPFILE), which is given its name only
// once complete, so a crash, a full disk or a kill never leaves half a photo behind. Where the
// file system has no O_TMPFILE, a hidden temporary name is used and removed on failure.
// Replacing an existing file (--in-place) syncs first and renames over it, so the original is
// either intact or replaced, never lost.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <span>
#include <string>

#include "core/status.h"

namespace rempart::cli {

class WholeFile {
 public:
  // Prepares a file that will become `target`. `mode` is the permission bits it gets.
  static Result<WholeFile> Create(const std::filesystem::path& target, mode_t mode = 0644);
  WholeFile(WholeFile&& other) noexcept;
  WholeFile& operator=(WholeFile&&) = delete;
  ~WholeFile();  // discards the file unless Commit succeeded

  Status Write(std::span<const uint8_t> bytes);
  // A path that reads the bytes written so far, before Commit (to check them).
  std::string ReadablePath() const;
  // Gives the file its name. With replace = false an existing target is an error (kExists).
  Status Commit(bool replace);

 private:
  WholeFile(int fd, std::filesystem::path target, std::filesystem::path temp)
      : fd_(fd), target_(std::move(target)), temp_(std::move(temp)) {}
  Status Fail(const char* action, int err) const;

  int fd_ = -1;
  std::filesystem::path target_;
  std::filesystem::path temp_;  // empty when the file is unnamed (O_TMPFILE)
  bool committed_ = false;
};

}  // namespace rempart::cli
