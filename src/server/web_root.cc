#include "server/web_root.h"

#include <vector>

namespace rempart::server {
namespace {

bool HasTemplates(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir / "templates" / "layout.html", ec);
}

}  // namespace

Result<std::filesystem::path> FindWebRoot(const std::string& configured) {
  if (!configured.empty()) {
    if (HasTemplates(configured)) return std::filesystem::path(configured);
    return Error(Code::kNotFound, "{} holds no Rempart web files (templates/layout.html)",
                 configured);
  }
  std::vector<std::filesystem::path> candidates;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "rempart" / "web");
  candidates.emplace_back(REMPART_WEB_DIR);
  candidates.emplace_back(REMPART_INSTALL_WEB_DIR);
  for (const auto& dir : candidates) {
    if (HasTemplates(dir)) return dir;
  }
  return Error(Code::kNotFound,
               "cannot find Rempart's web files; reinstall Rempart or name their folder with "
               "--web-dir");
}

}  // namespace rempart::server
