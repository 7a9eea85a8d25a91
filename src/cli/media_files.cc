#include "cli/media_files.h"

#include <array>
#include <fstream>

#include "media/media_format.h"

namespace rempart::cli {

namespace fs = std::filesystem;

namespace {

bool IsEarlierOutput(const fs::path& path) {
  const std::string stem = path.stem().string();
  const std::string name = path.filename().string();
  if (!name.empty() && name[0] == '.') return true;  // hidden, or our own temporary files
  for (const char* suffix : {".clean", ".redacted", ".preview"}) {
    const std::string s(suffix);
    if (stem.size() >= s.size() && stem.compare(stem.size() - s.size(), s.size(), s) == 0) {
      return true;
    }
  }
  return false;
}

bool LooksLikeMedia(const fs::path& path) {
  std::array<char, 64> head{};
  std::ifstream in(path, std::ios::binary);
  in.read(head.data(), head.size());
  const auto n = static_cast<size_t>(in.gcount());
  return SniffMediaFormat(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(head.data()),
                                                   n)) != MediaFormat::kUnknown;
}

}  // namespace

Result<std::vector<WalkedFile>> WalkMediaFiles(const std::vector<std::string>& arguments) {
  return WalkFiles(arguments,
                   [](const fs::path& p) { return IsEarlierOutput(p) || !LooksLikeMedia(p); });
}

fs::path OutputPath(const WalkedFile& file, const std::optional<std::string>& out_dir,
                    bool in_place, const std::string& suffix) {
  if (in_place) return file.path;
  if (out_dir) return fs::path(*out_dir) / file.relative;
  fs::path out = file.path;
  out.replace_filename(file.path.stem().string() + "." + suffix + file.path.extension().string());
  return out;
}

}  // namespace rempart::cli
