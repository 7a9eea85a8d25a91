// Adding and reading evidence entries (the Vault methods that touch entries and contents).
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <future>

#include "crypto/aead.h"
#include "crypto/encoding.h"
#include "crypto/secret_stream.h"
#include "evidence/vault_state.h"

namespace rempart {
namespace {

std::string RandomSalt() {
  std::array<uint8_t, 16> salt;
  randombytes_buf(salt.data(), salt.size());
  return HexEncode(salt);
}

// Reads a whole file descriptor's worth in chunks of up to `size` bytes.
class ChunkReader {
 public:
  explicit ChunkReader(int fd) : fd_(fd) {}
  // Fills `buf` as far as possible; returns bytes read (0 at the end) or -1 on error.
  ssize_t Read(std::vector<uint8_t>& buf) {
    size_t filled = 0;
    while (filled < buf.size()) {
      ssize_t n = ::read(fd_, buf.data() + filled, buf.size() - filled);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return -1;
      if (n == 0) break;
      filled += static_cast<size_t>(n);
    }
    return static_cast<ssize_t>(filled);
  }

 private:
  int fd_;
};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

// Inserts the entry row (sealed leaf) and logs it; the caller holds the transaction.
static Status InsertEntry(Vault::State& s, Entry& e) {
  REMPART_ASSIGN_OR_RETURN(auto rows, s.db->Query("SELECT count(*) FROM log_leaves"));
  e.leaf_index = static_cast<uint64_t>(rows[0].Int(0));
  e.leaf = EntryLeaf(e);
  Bytes sealed = AeadSeal(s.record_key, ToBytes(e.leaf), EntryAd(e.id));
  REMPART_RETURN_IF_ERROR(
      s.db->Exec("INSERT INTO entries (id, case_id, leaf_index, sealed) VALUES (?, ?, ?, ?)",
                 {e.id, e.case_id, static_cast<int64_t>(e.leaf_index), sealed}));
  return AppendToLog(s, e.leaf, e.leaf_index);
}

static Result<int64_t> NextEntryId(Vault::State& s, int64_t case_id) {
  REMPART_ASSIGN_OR_RETURN(auto found, s.db->Query("SELECT 1 FROM cases WHERE id = ?", {case_id}));
  if (found.empty()) {
    return Error(Code::kNotFound, "no case {}; `rempart case list` shows the cases", case_id);
  }
  REMPART_ASSIGN_OR_RETURN(auto rows, s.db->Query("SELECT coalesce(max(id), 0) + 1 FROM entries"));
  return rows[0].Int(0);
}

// Streams a file into an encrypted blob and logs `e` (already carrying its kind and fields).
static Result<Entry> AddStored(Vault::State& s, Entry e, const std::string& path) {
  Fd file;
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) {
    return Error(errno == ENOENT ? Code::kNotFound : Code::kInvalidInput, "cannot read {}: {}",
                 path, std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return Error(Code::kInvalidInput, "{} is not a regular file", path);
  }
  e.name = std::filesystem::path(path).filename().string();
  e.salt = RandomSalt();
  e.stored_content = true;
  e.file_modified_at = FormatRfc3339(std::chrono::system_clock::from_time_t(st.st_mtime));

  Status status = s.db->Transaction([&]() -> Status {
    REMPART_ASSIGN_OR_RETURN(e.id, NextEntryId(s, e.case_id));
    e.captured_at = s.Now();
    StreamEncryptor enc(s.blob_key);
    Sha256 hasher;
    ChunkReader reader(file.fd);
    std::vector<uint8_t>& current = s.chunk_a;
    std::vector<uint8_t>& next = s.chunk_b;
    std::vector<uint8_t>& sealed = s.sealed_chunk;
    current.resize(kBlobChunkBytes);
    next.resize(kBlobChunkBytes);
    ssize_t n = reader.Read(current);
    if (n < 0) return Error(Code::kInvalidInput, "cannot read {}: {}", path, std::strerror(errno));
    size_t current_size = static_cast<size_t>(n);
    e.mime = s.detector->Detect(
        std::span(current).first(std::min(current_size, ContentTypeDetector::kSniffBytes)));
    std::string ad = BlobAd(e.id);
    int64_t seq = 0;
    while (true) {
      std::span<const uint8_t> chunk(current.data(), current_size);
      // SHA-256 and encryption each take about as long as the other: hash on a second core
      // while this one reads ahead, encrypts and stores.
      auto hashed = std::async(std::launch::async, [&hasher, chunk] { hasher.Update(chunk); });
      // Read one chunk ahead, so that the last chunk can be marked as the end of the stream.
      ssize_t m = current_size < kBlobChunkBytes ? 0 : reader.Read(next);
      bool last = m <= 0;
      enc.Push(chunk, last, ad, sealed);
      Status stored =
          m < 0 ? Error(Code::kInvalidInput, "cannot read {}: {}", path, std::strerror(errno))
                : s.db->Exec(
                      "INSERT INTO blob_chunks (entry_id, seq, data) "
                      "VALUES (?, ?, ?)",
                      {e.id, seq++, BlobRef(sealed)});
      hashed.get();
      REMPART_RETURN_IF_ERROR(stored);
      e.size += current_size;
      if (last) break;
      std::swap(current, next);
      current_size = static_cast<size_t>(m);
    }
    e.sha256 = HexOf(hasher.Final());
    const auto& header = enc.header();
    REMPART_RETURN_IF_ERROR(
        s.db->Exec("INSERT INTO blobs (entry_id, header, chunk_count) VALUES (?, ?, ?)",
                   {e.id, Bytes(header.begin(), header.end()), seq}));
    return InsertEntry(s, e);
  });
  if (!status.ok()) return ExplainIo(status);
  return e;
}

Result<Entry> Vault::AddFile(int64_t case_id, const std::string& path) {
  Entry e;
  e.case_id = case_id;
  e.kind = EntryKind::kFile;
  return AddStored(*state_, std::move(e), path);
}

// Messages, notes and plain URLs: the content is the text itself, kept in the sealed leaf.
static Result<Entry> AddInline(Vault::State& s, Entry e) {
  std::string content = InlineContent(e);
  e.sha256 = HexOf(Sha256Of(ToBytes(content)));
  e.size = content.size();
  e.mime = "text/plain";
  e.salt = RandomSalt();
  Status status = s.db->Transaction([&]() -> Status {
    REMPART_ASSIGN_OR_RETURN(e.id, NextEntryId(s, e.case_id));
    e.captured_at = s.Now();
    return InsertEntry(s, e);
  });
  if (!status.ok()) return ExplainIo(status);
  return e;
}

Result<Entry> Vault::AddMessage(int64_t case_id, const MessageInput& message) {
  if (message.text.empty()) return Error(Code::kInvalidInput, "the message text is empty");
  Entry e;
  e.case_id = case_id;
  e.kind = EntryKind::kMessage;
  e.text = message.text;
  e.sender = message.sender;
  e.platform = message.platform;
  if (!message.received_at.empty()) {
    REMPART_ASSIGN_OR_RETURN(auto t, ParseRfc3339(message.received_at));
    e.received_at = FormatRfc3339(t);
  }
  return AddInline(*state_, std::move(e));
}

Result<Entry> Vault::AddNote(int64_t case_id, std::string_view text) {
  if (text.empty()) return Error(Code::kInvalidInput, "the note is empty");
  Entry e;
  e.case_id = case_id;
  e.kind = EntryKind::kNote;
  e.text = std::string(text);
  return AddInline(*state_, std::move(e));
}

Result<Entry> Vault::AddUrl(int64_t case_id, std::string_view url, std::string_view seen_at,
                            const std::optional<std::string>& saved_copy_path) {
  if (url.find("://") == std::string_view::npos || url.size() > 8192) {
    return Error(Code::kInvalidInput, "'{}' is not a web address; give it whole, like https://…",
                 url);
  }
  std::string seen;
  if (!seen_at.empty()) {
    REMPART_ASSIGN_OR_RETURN(auto t, ParseRfc3339(seen_at));
    seen = FormatRfc3339(t);
  }
  if (!saved_copy_path) {
    Entry e;
    e.case_id = case_id;
    e.kind = EntryKind::kUrl;
    e.url = std::string(url);
    e.seen_at = seen;
    return AddInline(*state_, std::move(e));
  }
  // A saved copy of the page is stored like a file, with the address in the same leaf.
  Entry e;
  e.case_id = case_id;
  e.kind = EntryKind::kUrl;
  e.url = std::string(url);
  e.seen_at = seen;
  return AddStored(*state_, std::move(e), *saved_copy_path);
}

EntryListing Vault::ListEntries(int64_t case_id) {
  EntryListing listing;
  Status status = state_->db->QueryEach(
      "SELECT id, case_id, leaf_index, sealed FROM entries WHERE case_id = ? ORDER BY id",
      {case_id}, [&](const Row& row) -> Status {
        int64_t id = row.Int(0);
        auto plain = AeadOpen(state_->record_key, row.BlobView(3), EntryAd(id));
        Result<Entry> e = plain.ok() ? EntryFromLeaf(plain->view()) : Result<Entry>(plain.status());
        if (e.ok() && (e->id != id || e->case_id != row.Int(1))) {
          e = Error(Code::kCorrupt, "record was moved from another place");
        }
        if (!e.ok()) {
          listing.damaged.push_back({fmt::format("entry {}", id), e.status().message()});
          return Status::Ok();
        }
        e->leaf_index = static_cast<uint64_t>(row.Int(2));
        listing.entries.push_back(std::move(e).value());
        return Status::Ok();
      });
  if (!status.ok()) listing.damaged.push_back({"entries", status.message()});
  return listing;
}

Result<Entry> Vault::GetEntry(int64_t entry_id) {
  REMPART_ASSIGN_OR_RETURN(
      auto rows, state_->db->Query("SELECT case_id FROM entries WHERE id = ?", {entry_id}));
  if (rows.empty()) return Error(Code::kNotFound, "no entry {}", entry_id);
  EntryListing listing = ListEntries(rows[0].Int(0));
  for (auto& e : listing.entries) {
    if (e.id == entry_id) return std::move(e);
  }
  return Error(Code::kCorrupt, "entry {} is damaged and cannot be read", entry_id);
}

Status Vault::ReadContent(const Entry& e,
                          const std::function<Status(std::span<const uint8_t>)>& sink) {
  REMPART_ASSIGN_OR_RETURN(auto reader, OpenContent(e));
  std::vector<uint8_t> buf(kBlobChunkBytes);
  while (true) {
    REMPART_ASSIGN_OR_RETURN(size_t n, reader->Read(buf));
    if (n == 0) return Status::Ok();
    REMPART_RETURN_IF_ERROR(sink(std::span(buf).first(n)));
  }
}

}  // namespace rempart

namespace rempart {
namespace {

// Serves inline text, or decrypts a stored blob one chunk at a time on demand.
class VaultContentReader final : public Vault::ContentReader {
 public:
  VaultContentReader(Vault::State& s, const Entry& e) : s_(s), entry_(e) {}

  Status Start() {
    if (!entry_.stored_content) {
      std::string text = InlineContent(entry_);
      buffer_.assign(text.begin(), text.end());
      done_ = true;
      return Status::Ok();
    }
    REMPART_ASSIGN_OR_RETURN(auto blob, s_.db->Query("SELECT header, chunk_count FROM blobs "
                                                     "WHERE entry_id = ?",
                                                     {entry_.id}));
    if (blob.empty()) {
      return Error(Code::kCorrupt, "the content of entry {} is missing", entry_.id);
    }
    chunk_count_ = blob[0].Int(1);
    REMPART_ASSIGN_OR_RETURN(auto dec, StreamDecryptor::Start(s_.blob_key, blob[0].BlobView(0)));
    decryptor_ = std::make_unique<StreamDecryptor>(std::move(dec));
    return Status::Ok();
  }

  Result<size_t> Read(std::span<uint8_t> out) override {
    while (offset_ == buffer_.size()) {
      if (done_) return size_t{0};
      REMPART_RETURN_IF_ERROR(NextChunk());
    }
    size_t n = std::min(out.size(), buffer_.size() - offset_);
    std::copy_n(buffer_.begin() + static_cast<ptrdiff_t>(offset_), n, out.begin());
    offset_ += n;
    return n;
  }

 private:
  Status NextChunk() {
    REMPART_ASSIGN_OR_RETURN(auto rows, s_.db->Query("SELECT data FROM blob_chunks WHERE "
                                                     "entry_id = ? AND seq = ?",
                                                     {entry_.id, seq_}));
    if (rows.empty()) {
      return Error(Code::kCorrupt, "the content of entry {} is cut short", entry_.id);
    }
    Status pulled = decryptor_->Pull(rows[0].BlobView(0), BlobAd(entry_.id), buffer_);
    if (!pulled.ok()) {
      return Error(Code::kCorrupt, "the content of entry {} is damaged ({})", entry_.id,
                   pulled.message());
    }
    offset_ = 0;
    ++seq_;
    done_ = decryptor_->finished();
    if (done_ != (seq_ == chunk_count_)) {
      return Error(Code::kCorrupt, "the content of entry {} is cut short", entry_.id);
    }
    return Status::Ok();
  }

  Vault::State& s_;
  Entry entry_;
  std::unique_ptr<StreamDecryptor> decryptor_;
  std::vector<uint8_t> buffer_;
  size_t offset_ = 0;
  int64_t seq_ = 0;
  int64_t chunk_count_ = 0;
  bool done_ = false;
};

}  // namespace

Result<std::unique_ptr<Vault::ContentReader>> Vault::OpenContent(const Entry& entry) {
  auto reader = std::make_unique<VaultContentReader>(*state_, entry);
  REMPART_RETURN_IF_ERROR(reader->Start());
  return std::unique_ptr<ContentReader>(std::move(reader));
}

}  // namespace rempart
