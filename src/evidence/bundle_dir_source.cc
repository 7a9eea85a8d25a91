// A directory bundle, read only through descriptors opened with O_NOFOLLOW below the root, so
// that no symbolic link, even one created after Open, can lead the reader out of the bundle.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "evidence/bundle_fs.h"
#include "evidence/bundle_names.h"
#include "evidence/bundle_source.h"

namespace rempart {
namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
// O_NONBLOCK: a FIFO swapped in for a file must not hang the reader before fstat refuses it.
constexpr int kFileFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;

Status ReadError(std::string_view name, int err) {
  return Status(Code::kIo, "cannot read bundle file \"" + PrintableName(name) +
                               "\": " + std::strerror(err) + ". Check its permissions.");
}

Status OpenError(std::string_view name, int err) {
  if (err == ELOOP || err == ENOTDIR) return BadEntry(name, "is or lies under a symbolic link");
  return ReadError(name, err);
}

struct WalkState {
  const BundleLimits& limits;
  BundleNameSet names;
  SizeBudget budget;
  uint64_t count = 0;
  std::vector<BundleEntry> entries;
};

struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};

// Lists the directory `fd` (consumed), whose path inside the bundle is `prefix`.
Status Walk(UniqueFd fd, const std::string& prefix, uint32_t depth, WalkState& state) {
  std::unique_ptr<DIR, DirCloser> dir(fdopendir(fd.get()));
  if (!dir) return ReadError(prefix.empty() ? "." : prefix, errno);
  fd.release();
  while (true) {
    errno = 0;
    const dirent* de = readdir(dir.get());
    if (de == nullptr) {
      if (errno != 0) return ReadError(prefix.empty() ? "." : prefix, errno);
      return Status::Ok();
    }
    const std::string_view leaf = de->d_name;
    if (leaf == "." || leaf == "..") continue;
    if (++state.count > state.limits.max_entries) return TooManyEntries(state.limits.max_entries);
    const std::string name = prefix.empty() ? std::string(leaf) : prefix + "/" + std::string(leaf);
    REMPART_RETURN_IF_ERROR(CheckBundleName(name));
    struct stat st;
    if (fstatat(dirfd(dir.get()), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return ReadError(name, errno);
    }
    if (S_ISLNK(st.st_mode)) return BadEntry(name, "is a symbolic link");
    if (S_ISREG(st.st_mode)) {
      REMPART_RETURN_IF_ERROR(state.names.AddFile(name));
      REMPART_RETURN_IF_ERROR(state.budget.Add(name, static_cast<uint64_t>(st.st_size)));
      state.entries.push_back({name, static_cast<uint64_t>(st.st_size)});
      continue;
    }
    if (!S_ISDIR(st.st_mode)) return BadEntry(name, "is a special file (device, pipe or socket)");
    if (depth + 1 > state.limits.max_depth) return BadEntry(name, "is nested too deeply");
    REMPART_RETURN_IF_ERROR(state.names.AddDirectory(name));
    UniqueFd child(openat(dirfd(dir.get()), de->d_name, kDirFlags));
    if (!child.valid()) return OpenError(name, errno);
    REMPART_RETURN_IF_ERROR(Walk(std::move(child), name, depth + 1, state));
  }
}

class DirectorySource final : public BundleReader::Source {
 public:
  DirectorySource(UniqueFd root, std::vector<BundleEntry> entries)
      : root_(std::move(root)), entries_(std::move(entries)) {}

  bool is_zip() const override { return false; }

  Status Stream(size_t index, const ChunkSink& sink) override {
    const BundleEntry& entry = entries_[index];
    REMPART_ASSIGN_OR_RETURN(UniqueFd fd, OpenBeneathRoot(entry.name));
    struct stat st;
    if (fstat(fd.get(), &st) != 0) return ReadError(entry.name, errno);
    if (!S_ISREG(st.st_mode)) return BadEntry(entry.name, "is no longer a regular file");
    std::vector<uint8_t> buffer(kStreamChunkBytes);
    uint64_t total = 0;
    while (true) {
      const ssize_t n = read(fd.get(), buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return ReadError(entry.name, errno);
      if (n == 0) break;
      total += static_cast<uint64_t>(n);
      if (total > entry.size) return BadEntry(entry.name, "grew while it was being read");
      REMPART_RETURN_IF_ERROR(
          sink(std::span<const uint8_t>(buffer.data(), static_cast<size_t>(n))));
    }
    if (total != entry.size) return BadEntry(entry.name, "shrank while it was being read");
    return Status::Ok();
  }

 private:
  // Opens `name` one component at a time, never following a symbolic link.
  Result<UniqueFd> OpenBeneathRoot(const std::string& name) const {
    UniqueFd dir;
    int at = root_.get();
    size_t start = 0;
    for (size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', start)) {
      const std::string part = name.substr(start, slash - start);
      UniqueFd next(openat(at, part.c_str(), kDirFlags));
      if (!next.valid()) return OpenError(name, errno);
      dir = std::move(next);
      at = dir.get();
      start = slash + 1;
    }
    UniqueFd file(openat(at, name.c_str() + start, kFileFlags));
    if (!file.valid()) return OpenError(name, errno);
    return file;
  }

  UniqueFd root_;
  std::vector<BundleEntry> entries_;
};

}  // namespace

Result<OpenedSource> OpenDirectorySource(int fd, const BundleLimits& limits) {
  UniqueFd root(fd);
  // The walk consumes its descriptor; the root stays open for Stream.
  UniqueFd walk_fd(fcntl(root.get(), F_DUPFD_CLOEXEC, 0));
  if (!walk_fd.valid()) return ReadError(".", errno);
  WalkState state{limits, {}, SizeBudget(limits)};
  REMPART_RETURN_IF_ERROR(Walk(std::move(walk_fd), "", 0, state));
  std::sort(state.entries.begin(), state.entries.end(),
            [](const BundleEntry& a, const BundleEntry& b) { return a.name < b.name; });
  OpenedSource opened;
  opened.entries = state.entries;
  opened.source = std::make_unique<DirectorySource>(std::move(root), std::move(state.entries));
  return opened;
}

}  // namespace rempart
