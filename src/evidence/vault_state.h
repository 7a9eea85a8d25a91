// Private to the vault's .cc files: what an open vault holds, and the helpers they share.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "crypto/ed25519.h"
#include "crypto/minisign.h"
#include "crypto/secret_bytes.h"
#include "evidence/vault.h"
#include "media/content_type.h"
#include "store/sqlite_database.h"

namespace rempart {

struct Vault::State {
  std::string path;
  std::unique_ptr<SqliteDatabase> db;
  SecretBytes data_key;    // unwrapped by the passphrase
  SecretBytes record_key;  // derived from data_key: sealed rows
  SecretBytes blob_key;    // derived from data_key: file contents
  std::unique_ptr<SigningKey> signing_key;
  MinisignPublicKey public_key;
  std::function<TimePoint()> now;
  std::unique_ptr<ContentTypeDetector> detector;
  // Chunk buffers reused from one file to the next (a fresh zeroed 1 MiB per small file would
  // cost more than encrypting it).
  std::vector<uint8_t> chunk_a, chunk_b, sealed_chunk;
  // The log's perfect subtrees, left to right, so that an append costs O(log n) hashes. Valid
  // only while `log_size` and `log_last_leaf` match the database (another process may append,
  // a transaction may roll back); AppendToLog rebuilds it otherwise.
  struct Subtree {
    Sha256Digest root;
    uint64_t size;
  };
  std::vector<Subtree> log_frontier;
  uint64_t log_size = 0;
  Sha256Digest log_last_leaf{};

  std::string Now() const { return FormatRfc3339(now()); }
};

inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline Bytes ToBytes(std::span<const uint8_t> s) { return Bytes(s.begin(), s.end()); }

// Associated data that binds each sealed row to its table and row number.
inline std::string CaseAd(int64_t id) { return "case:" + std::to_string(id); }
inline std::string EntryAd(int64_t id) { return "entry:" + std::to_string(id); }
inline std::string BlobAd(int64_t id) { return "blob:" + std::to_string(id); }

// Size of the plaintext chunks that file contents are cut into.
constexpr size_t kBlobChunkBytes = 1 << 20;

// Adds what to do to a storage failure (disk full, permissions); other errors pass unchanged.
inline Status ExplainIo(const Status& status) {
  if (status.code() != Code::kIo) return status;
  return Error(Code::kIo,
               "{} — free some disk space (or check permissions) and try again; the vault is "
               "unchanged",
               status.message());
}

// Appends a leaf to the log and signs the new tree head; call inside a transaction.
Status AppendToLog(Vault::State& s, std::string_view leaf, uint64_t expected_index);

}  // namespace rempart
