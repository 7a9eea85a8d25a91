#include "server/static_files.h"

#include <fstream>
#include <sstream>

namespace rempart::server {
namespace {

constexpr size_t kMaxStaticFile = 4 * 1024 * 1024;

std::string MimeOfExtension(const std::string& extension) {
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".js") return "text/javascript; charset=utf-8";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".ico") return "image/x-icon";
  if (extension == ".woff2") return "font/woff2";
  if (extension == ".txt") return "text/plain; charset=utf-8";
  return "";
}

bool IsPlainName(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.front() == '-' || name.front() == '_') {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<StaticFiles> StaticFiles::Load(const std::filesystem::path& dir) {
  StaticFiles files;
  std::error_code ec;
  for (const auto& item : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = item.path().filename().string();
    std::string mime = MimeOfExtension(item.path().extension().string());
    if (!item.is_regular_file() || !IsPlainName(name) || mime.empty()) continue;
    if (item.file_size() > kMaxStaticFile) continue;
    std::ifstream in(item.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    if (!in) return Error(Code::kIo, "cannot read {}", item.path().string());
    files.files_[name] = StaticFile{content.str(), mime};
  }
  if (ec) return Error(Code::kNotFound, "cannot read the folder {}", dir.string());
  return files;
}

const StaticFile* StaticFiles::Find(std::string_view name) const {
  auto it = files_.find(name);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace rempart::server
