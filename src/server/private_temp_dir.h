// PrivateTempDir: a fresh mode-0700 folder for decrypted files that must briefly touch disk
// (a bundle being exported), removed with everything in it when the object dies.
//
// It is made under $XDG_RUNTIME_DIR when set (a per-user tmpfs on most systems, so the bytes
// never reach the disk), else under the system temporary folder.
#pragma once

#include <filesystem>

#include "core/status.h"

namespace rempart::server {

class PrivateTempDir {
 public:
  static Result<PrivateTempDir> Create();
  PrivateTempDir(PrivateTempDir&& other) noexcept;
  PrivateTempDir& operator=(PrivateTempDir&&) = delete;
  ~PrivateTempDir();

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit PrivateTempDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace rempart::server
