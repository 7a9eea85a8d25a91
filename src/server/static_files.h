// StaticFiles: the stylesheet, script and icons of <web root>/static, read into memory at start.
//
// Serving from a fixed in-memory table rather than the file system is what makes path
// traversal impossible: a name either is one of the files found at start or gets 404.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rempart::server {

struct StaticFile {
  std::string content;
  std::string mime;  // from the extension of a file we ship, never from a request
};

class StaticFiles {
 public:
  // Reads the regular files directly in `dir` whose names are plain ([A-Za-z0-9][A-Za-z0-9._-]*)
  // and whose extension has a known type; others are ignored.
  static Result<StaticFiles> Load(const std::filesystem::path& dir);

  // The file named `name` exactly, or nullptr.
  const StaticFile* Find(std::string_view name) const;

 private:
  std::map<std::string, StaticFile, std::less<>> files_;
};

}  // namespace rempart::server
