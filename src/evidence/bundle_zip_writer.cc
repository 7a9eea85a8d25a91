// Zip bundles through libzip, which streams each source file at zip_close time and switches to
// zip64 by itself when a file or offset passes 4 GiB.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "evidence/bundle_fs.h"
#include "evidence/bundle_writer_backend.h"
#include "evidence/zip_canonical.h"

namespace rempart {
namespace {

Status ZipFailure(std::string_view action, zip_error_t* error) {
  const bool system = zip_error_system_type(error) == ZIP_ET_SYS;
  return Status(system ? Code::kIo : Code::kFailed,
                "cannot " + std::string(action) + ": " + zip_error_strerror(error) +
                    (system ? ". Check the free space and permissions of the target disk."
                            : ". Try the export again; if it keeps failing, report a bug."));
}

// State of one AddStream entry. libzip pulls from it during zip_close, so the backend owns it
// and keeps the caller's Status, which libzip's error codes cannot carry.
struct PulledStream {
  std::string name;
  uint64_t size = 0;
  StreamSource source;
  uint64_t delivered = 0;
  bool opened = false;
  Status status;
  zip_error_t error;

  static zip_int64_t Callback(void* state, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    auto* self = static_cast<PulledStream*>(state);
    switch (cmd) {
      case ZIP_SOURCE_OPEN:
        // A stream cannot rewind; libzip does not reopen sources whose method is set explicitly.
        if (self->opened) return self->Fail(Status(Code::kFailed, "internal: stream reopened"));
        self->opened = true;
        return 0;
      case ZIP_SOURCE_READ:
        return self->Read(static_cast<uint8_t*>(data), len);
      case ZIP_SOURCE_CLOSE:
      case ZIP_SOURCE_FREE:
        return 0;
      case ZIP_SOURCE_STAT: {
        auto* st = static_cast<zip_stat_t*>(data);
        zip_stat_init(st);
        st->size = self->size;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(zip_stat_t);
      }
      case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&self->error, data, len);
      case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
      default:
        zip_error_set(&self->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
  }

  zip_int64_t Read(uint8_t* data, zip_uint64_t len) {
    const size_t want = static_cast<size_t>(std::min<zip_uint64_t>(len, 1 << 20));
    Result<size_t> n = source(std::span<uint8_t>(data, want));
    if (!n.ok()) return Fail(n.status());
    delivered += *n;
    if (*n > want || delivered > size || (*n == 0 && delivered != size)) {
      return Fail(StreamSizeMismatch(name, size));
    }
    return static_cast<zip_int64_t>(*n);
  }

  zip_int64_t Fail(Status failure) {
    if (status.ok()) status = std::move(failure);
    zip_error_set(&error, ZIP_ER_READ, 0);
    return -1;
  }
};

class ZipBackend final : public BundleWriter::Backend {
 public:
  ZipBackend(std::filesystem::path final_path, std::filesystem::path temp_path, zip_t* za)
      : final_(std::move(final_path)), temp_(std::move(temp_path)), za_(za) {}

  ~ZipBackend() override {
    if (za_ != nullptr) zip_discard(za_);
    if (!done_) unlink(temp_.c_str());
    for (auto& stream : streams_) zip_error_fini(&stream->error);
  }

  bool is_zip() const override { return true; }

  Status AddFile(const std::string& name, const std::filesystem::path& source,
                 Compression compression) override {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = zip_source_file_create(source.c_str(), 0, -1, &error);
    if (src == nullptr) {
      Status status = ZipFailure("read " + source.string(), &error);
      zip_error_fini(&error);
      return status;
    }
    zip_error_fini(&error);
    return Add(name, src, compression);
  }

  Status AddStream(const std::string& name, uint64_t size, StreamSource source,
                   Compression compression) override {
    auto stream = std::make_unique<PulledStream>();
    stream->name = name;
    stream->size = size;
    stream->source = std::move(source);
    zip_error_init(&stream->error);
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = zip_source_function_create(&PulledStream::Callback, stream.get(), &error);
    streams_.push_back(std::move(stream));
    if (src == nullptr) {
      Status status = ZipFailure("add " + name, &error);
      zip_error_fini(&error);
      return status;
    }
    zip_error_fini(&error);
    return Add(name, src, compression);
  }

  Status AddBytes(const std::string& name, std::span<const uint8_t> bytes,
                  Compression compression) override {
    // libzip reads the buffer at zip_close time, so it gets its own copy and frees it (an empty
    // buffer it neither needs nor frees).
    void* copy = nullptr;
    if (!bytes.empty()) {
      copy = malloc(bytes.size());
      if (copy == nullptr) return Status(Code::kFailed, "out of memory while writing the bundle.");
      std::memcpy(copy, bytes.data(), bytes.size());
    }
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = zip_source_buffer_create(copy, bytes.size(), copy != nullptr, &error);
    if (src == nullptr) {
      free(copy);
      Status status = ZipFailure("add " + name, &error);
      zip_error_fini(&error);
      return status;
    }
    zip_error_fini(&error);
    return Add(name, src, compression);
  }

  Status Finish() override {
    zip_t* za = za_;
    za_ = nullptr;
    if (zip_close(za) != 0) {
      Status status = ZipFailure("write " + final_.string(), zip_get_error(za));
      zip_discard(za);
      // A source's own failure (e.g. vault content that no longer matches its hash) says more.
      for (const auto& stream : streams_) {
        if (!stream->status.ok()) return stream->status;
      }
      return status;
    }
    UniqueFd fd(open(temp_.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return IoError("open", temp_, errno);
    REMPART_RETURN_IF_ERROR(SyncFd(fd.get(), temp_));
    REMPART_RETURN_IF_ERROR(RenameIntoPlace(temp_, final_, /*directory=*/false));
    done_ = true;
    return Status::Ok();
  }

 private:
  Status Add(const std::string& name, zip_source_t* src, Compression compression) {
    const zip_int64_t index = zip_file_add(za_, name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(src);
      return ZipFailure("add " + name, zip_get_error(za_));
    }
    const auto i = static_cast<zip_uint64_t>(index);
    const zip_int32_t method = compression == Compression::kStore ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
    // A plain private file for whoever unzips it, never a link or an executable.
    constexpr zip_uint32_t kAttributes = kCanonicalExternalAttributes;
    // Fixed times: the manifest holds the real ones, and verify holds every header field to
    // these values (zip_canonical.h), so a changed byte there is noticed too.
    if (zip_set_file_compression(za_, i, method, 0) != 0 ||
        zip_file_set_external_attributes(za_, i, 0, ZIP_OPSYS_UNIX, kAttributes) != 0 ||
        zip_file_set_dostime(za_, i, kCanonicalDosTime, kCanonicalDosDate, 0) != 0) {
      return ZipFailure("add " + name, zip_get_error(za_));
    }
    return Status::Ok();
  }

  std::filesystem::path final_;
  std::filesystem::path temp_;
  zip_t* za_;
  std::vector<std::unique_ptr<PulledStream>> streams_;
  bool done_ = false;
};

}  // namespace

Result<std::unique_ptr<BundleWriter::Backend>> CreateZipBackend(const std::filesystem::path& path) {
  std::string temp = path.string() + ".tmp-XXXXXX";
  UniqueFd fd(mkstemp(temp.data()));
  if (!fd.valid()) return IoError("create a file next to", path, errno);
  fd = UniqueFd();  // libzip reopens it by name; mkstemp only reserved the name
  int code = 0;
  zip_t* za = zip_open(temp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (za == nullptr) {
    unlink(temp.c_str());
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    Status status = ZipFailure("create " + path.string(), &error);
    zip_error_fini(&error);
    return status;
  }
  return std::unique_ptr<BundleWriter::Backend>(
      std::make_unique<ZipBackend>(path, std::move(temp), za));
}

}  // namespace rempart
