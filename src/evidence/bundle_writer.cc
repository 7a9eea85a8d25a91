#include "evidence/bundle_writer.h"

#include <sys/stat.h>

#include <cerrno>

#include "evidence/bundle_fs.h"
#include "evidence/bundle_writer_backend.h"

namespace rempart {
namespace {

bool EndsWithZip(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return ext == ".zip";
}

}  // namespace

Status StreamSizeMismatch(const std::string& name, uint64_t size) {
  return Status(Code::kFailed, "the content of " + name + " did not have the expected " +
                                   std::to_string(size) +
                                   " bytes; it changed during the export. Export again.");
}

Result<BundleWriter> BundleWriter::Create(const std::filesystem::path& requested) {
  // "out/" names the directory "out".
  const std::filesystem::path path = requested.has_filename() ? requested : requested.parent_path();
  if (path.empty()) return Status(Code::kUsage, "give a path for the bundle.");
  const bool zip = EndsWithZip(path);
  REMPART_RETURN_IF_ERROR(CheckTargetFree(path, !zip));
  REMPART_ASSIGN_OR_RETURN(std::unique_ptr<Backend> backend,
                           zip ? CreateZipBackend(path) : CreateDirectoryBackend(path));
  return BundleWriter(std::move(backend));
}

BundleWriter::BundleWriter(std::unique_ptr<Backend> backend)
    : backend_(std::move(backend)), zip_(backend_->is_zip()) {}
BundleWriter::BundleWriter(BundleWriter&&) noexcept = default;
BundleWriter& BundleWriter::operator=(BundleWriter&&) noexcept = default;
BundleWriter::~BundleWriter() = default;

bool BundleWriter::is_zip() const { return zip_; }

Status BundleWriter::CheckOpen() const {
  if (finished_ || !backend_) {
    return Status(Code::kFailed, "this bundle is already finished; start a new export.");
  }
  return Status::Ok();
}

Status BundleWriter::AddFile(std::string_view name, const std::filesystem::path& source,
                             Compression compression) {
  REMPART_RETURN_IF_ERROR(CheckOpen());
  REMPART_RETURN_IF_ERROR(CheckBundleName(name));
  struct stat st;
  if (stat(source.c_str(), &st) != 0) return IoError("read", source, errno);
  if (!S_ISREG(st.st_mode)) {
    return Status(Code::kInvalidInput,
                  source.string() + " is not a regular file; only files can go in a bundle.");
  }
  REMPART_RETURN_IF_ERROR(names_.AddFile(name));
  ++count_;
  return backend_->AddFile(std::string(name), source, compression);
}

Status BundleWriter::AddStream(std::string_view name, uint64_t size, StreamSource source,
                               Compression compression) {
  REMPART_RETURN_IF_ERROR(CheckOpen());
  REMPART_RETURN_IF_ERROR(CheckBundleName(name));
  REMPART_RETURN_IF_ERROR(names_.AddFile(name));
  ++count_;
  return backend_->AddStream(std::string(name), size, std::move(source), compression);
}

Status BundleWriter::AddBytes(std::string_view name, std::span<const uint8_t> bytes,
                              Compression compression) {
  REMPART_RETURN_IF_ERROR(CheckOpen());
  REMPART_RETURN_IF_ERROR(CheckBundleName(name));
  REMPART_RETURN_IF_ERROR(names_.AddFile(name));
  ++count_;
  return backend_->AddBytes(std::string(name), bytes, compression);
}

Status BundleWriter::AddBytes(std::string_view name, std::string_view text,
                              Compression compression) {
  return AddBytes(
      name, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
      compression);
}

Status BundleWriter::Finish() {
  REMPART_RETURN_IF_ERROR(CheckOpen());
  if (count_ == 0) {
    return Status(Code::kInvalidInput, "a bundle needs at least one file; nothing was added.");
  }
  finished_ = true;
  Status status = backend_->Finish();
  // Whether it succeeded or not, the backend's destructor now removes any leftover temporary.
  backend_.reset();
  return status;
}

}  // namespace rempart
