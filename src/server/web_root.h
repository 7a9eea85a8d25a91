// Where the web files (templates/ and static/) are.
//
// In order: the folder given with --web-dir; share/rempart/web next to the running binary (a
// relocated install); the source tree's web/ this binary was built from (REMPART_WEB_DIR);
// the install prefix's share/rempart/web. The first that has templates/layout.html wins.
#pragma once

#include <filesystem>
#include <string>

#include "core/status.h"

namespace rempart::server {

Result<std::filesystem::path> FindWebRoot(const std::string& configured);

}  // namespace rempart::server
