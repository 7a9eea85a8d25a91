#include "server/private_temp_dir.h"

#include <stdlib.h>

#include <cstdlib>
#include <string>

namespace rempart::server {

Result<PrivateTempDir> PrivateTempDir::Create() {
  std::error_code ec;
  std::filesystem::path base;
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR");
      runtime && *runtime && std::filesystem::is_directory(runtime, ec)) {
    base = runtime;
  } else {
    base = std::filesystem::temp_directory_path(ec);
    if (ec) base = "/tmp";
  }
  std::string pattern = (base / "rempart-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {  // mkdtemp makes it 0700
    return Error(Code::kIo, "cannot create a temporary folder in {}", base.string());
  }
  return PrivateTempDir(pattern);
}

PrivateTempDir::PrivateTempDir(PrivateTempDir&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

PrivateTempDir::~PrivateTempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace rempart::server
