#include "cli/file_walk.h"

#include <algorithm>

namespace rempart::cli {

namespace fs = std::filesystem;

Result<std::vector<WalkedFile>> WalkFiles(const std::vector<std::string>& arguments,
                                          const std::function<bool(const fs::path&)>& skip) {
  std::vector<WalkedFile> files;
  for (const auto& argument : arguments) {
    std::error_code ec;
    const fs::path root(argument);
    if (fs::is_directory(root, ec)) {
      std::vector<WalkedFile> found;
      for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_symlink(ec) || !it->is_regular_file(ec)) continue;
        if (skip && skip(it->path())) continue;
        found.push_back({it->path(), it->path().lexically_relative(root), false});
      }
      if (ec) return Error(Code::kIo, "cannot read folder {}: {}", argument, ec.message());
      std::sort(found.begin(), found.end(),
                [](const WalkedFile& a, const WalkedFile& b) { return a.path < b.path; });
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(root, ec)) {
      files.push_back({root, root.filename(), true});
    } else {
      return Error(Code::kNotFound, "{} does not exist", argument);
    }
  }
  return files;
}

}  // namespace rempart::cli
