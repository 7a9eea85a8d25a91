// Directory bundles: files are created with O_EXCL | O_NOFOLLOW inside a private temporary
// directory, copied in chunks, synced, and the directory is renamed into place at the end.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <set>
#include <vector>

#include "evidence/bundle_fs.h"
#include "evidence/bundle_writer_backend.h"

namespace rempart {
namespace {

constexpr size_t kCopyChunkBytes = 1 << 20;

class DirectoryBackend final : public BundleWriter::Backend {
 public:
  DirectoryBackend(std::filesystem::path final_path, std::filesystem::path temp_path, UniqueFd root)
      : final_(std::move(final_path)), temp_(std::move(temp_path)), root_(std::move(root)) {}

  ~DirectoryBackend() override {
    if (done_) return;
    root_ = UniqueFd();
    std::error_code ignored;  // best effort: a destructor cannot report
    std::filesystem::remove_all(temp_, ignored);
  }

  bool is_zip() const override { return false; }

  Status AddFile(const std::string& name, const std::filesystem::path& source,
                 Compression) override {
    UniqueFd in(open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in.valid()) return IoError("read", source, errno);
    REMPART_ASSIGN_OR_RETURN(UniqueFd out, CreateFile(name));
    std::vector<uint8_t> buffer(kCopyChunkBytes);
    while (true) {
      const ssize_t n = read(in.get(), buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return IoError("read", source, errno);
      if (n == 0) break;
      REMPART_RETURN_IF_ERROR(
          WriteAll(out.get(), std::span<const uint8_t>(buffer.data(), static_cast<size_t>(n)),
                   temp_ / name));
    }
    return SyncFd(out.get(), temp_ / name);
  }

  Status AddStream(const std::string& name, uint64_t size, StreamSource source,
                   Compression) override {
    REMPART_ASSIGN_OR_RETURN(UniqueFd out, CreateFile(name));
    std::vector<uint8_t> buffer(kCopyChunkBytes);
    uint64_t total = 0;
    while (true) {
      REMPART_ASSIGN_OR_RETURN(const size_t n, source(buffer));
      if (n == 0) break;
      total += n;
      if (n > buffer.size() || total > size) return StreamSizeMismatch(name, size);
      REMPART_RETURN_IF_ERROR(
          WriteAll(out.get(), std::span<const uint8_t>(buffer.data(), n), temp_ / name));
    }
    if (total != size) return StreamSizeMismatch(name, size);
    return SyncFd(out.get(), temp_ / name);
  }

  Status AddBytes(const std::string& name, std::span<const uint8_t> bytes, Compression) override {
    REMPART_ASSIGN_OR_RETURN(UniqueFd out, CreateFile(name));
    REMPART_RETURN_IF_ERROR(WriteAll(out.get(), bytes, temp_ / name));
    return SyncFd(out.get(), temp_ / name);
  }

  Status Finish() override {
    // Deepest first, so each directory's entry is durable in its parent.
    for (auto it = directories_.rbegin(); it != directories_.rend(); ++it) {
      REMPART_RETURN_IF_ERROR(SyncDirectory(temp_ / *it));
    }
    REMPART_RETURN_IF_ERROR(SyncFd(root_.get(), temp_));
    root_ = UniqueFd();
    REMPART_RETURN_IF_ERROR(RenameIntoPlace(temp_, final_, /*directory=*/true));
    done_ = true;
    return Status::Ok();
  }

 private:
  // Creates the parents of `name` as needed, then `name` itself, refusing to reuse or follow
  // anything already there.
  Result<UniqueFd> CreateFile(const std::string& name) {
    UniqueFd parent;
    int at = root_.get();
    size_t start = 0;
    for (size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', start)) {
      const std::string part = name.substr(start, slash - start);
      if (mkdirat(at, part.c_str(), 0700) != 0 && errno != EEXIST) {
        return IoError("create the directory", temp_ / name.substr(0, slash), errno);
      }
      directories_.insert(name.substr(0, slash));
      UniqueFd next(openat(at, part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!next.valid()) return IoError("open the directory", temp_ / name.substr(0, slash), errno);
      parent = std::move(next);
      at = parent.get();
      start = slash + 1;
    }
    UniqueFd out(openat(at, name.c_str() + start,
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.valid()) return IoError("create", temp_ / name, errno);
    return out;
  }

  std::filesystem::path final_;
  std::filesystem::path temp_;
  UniqueFd root_;
  std::set<std::string> directories_;  // relative paths created inside temp_
  bool done_ = false;
};

}  // namespace

Result<std::unique_ptr<BundleWriter::Backend>> CreateDirectoryBackend(
    const std::filesystem::path& path) {
  std::string temp = path.string() + ".tmp-XXXXXX";
  if (mkdtemp(temp.data()) == nullptr) return IoError("create a directory next to", path, errno);
  UniqueFd root(open(temp.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root.valid()) {
    const int err = errno;
    rmdir(temp.c_str());
    return IoError("open", temp, err);
  }
  return std::unique_ptr<BundleWriter::Backend>(
      std::make_unique<DirectoryBackend>(path, std::move(temp), std::move(root)));
}

}  // namespace rempart
