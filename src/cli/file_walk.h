// The files named on a command line, with folders walked recursively in a stable (sorted) order.
// Symbolic links inside folders are not followed (a link could lead anywhere on the disk);
// a link named on the command line is followed, since the person chose it.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"

namespace rempart::cli {

struct WalkedFile {
  std::filesystem::path path;      // as given or found
  std::filesystem::path relative;  // below the folder argument it came from (its name otherwise)
  bool named = false;              // named on the command line rather than found in a folder
};

// `skip` (optional) leaves out files found in folders, e.g. outputs of an earlier run.
Result<std::vector<WalkedFile>> WalkFiles(
    const std::vector<std::string>& arguments,
    const std::function<bool(const std::filesystem::path&)>& skip = nullptr);

}  // namespace rempart::cli
