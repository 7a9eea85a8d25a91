// Vault: the worker's encrypted, tamper-evident evidence store (docs/en/vault-format.md).
//
// One SQLite file. A random data key, wrapped by an Argon2id key derived from the passphrase,
// encrypts every record (XChaCha20-Poly1305) and every stored file (secretstream chunks), so the
// file reveals no title, name, text or URL. Each entry is appended to an RFC 6962 Merkle log
// whose tree heads the vault signs with its own Ed25519 key; Check() finds any later change and
// names the entry. A passphrase change re-wraps one key; Wipe() destroys the key material.
// Each Add* commits in one transaction: a crash keeps either the whole entry or none of it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time_format.h"
#include "crypto/ed25519.h"
#include "crypto/minisign.h"
#include "crypto/password_kdf.h"
#include "crypto/secret_bytes.h"
#include "crypto/sha256.h"
#include "evidence/entry.h"

namespace rempart {

class Database;
class ContentTypeDetector;

struct CaseInfo {
  int64_t id = 0;
  std::string title;
  std::string created_at;
  int64_t entry_count = 0;
  bool damaged = false;  // its record did not open; the title says so
};

// The signed statement that the log had `tree_size` entries with this root at `timestamp`.
struct TreeHead {
  uint64_t tree_size = 0;
  Sha256Digest root{};
  std::string timestamp;
  Ed25519Signature signature{};  // over SignedTreeHeadMessage()
};
// The exact bytes a tree head signature covers.
std::string SignedTreeHeadMessage(uint64_t tree_size, const Sha256Digest& root,
                                  std::string_view timestamp);

struct MessageInput {
  std::string text, sender, platform, received_at;
};

// A record that could not be read back, named so the person knows what was lost.
struct DamagedRecord {
  std::string what;  // "entry 12", "case 3", "content of entry 12", "log"
  std::string reason;
};

struct EntryListing {
  std::vector<Entry> entries;
  std::vector<DamagedRecord> damaged;
};

struct CheckReport {
  uint64_t entries_checked = 0;
  uint64_t bytes_checked = 0;
  std::vector<DamagedRecord> problems;  // empty when everything is intact
  bool ok() const { return problems.empty(); }
};

struct VaultOptions {
  std::string sqlite_vfs;          // tests inject faults through a VFS
  std::function<TimePoint()> now;  // defaults to the system clock
};

class Vault {
 public:
  // Creates a new vault file; refuses to overwrite one (Code::kExists).
  static Status Create(const std::string& path, const SecretBytes& passphrase, const KdfParams& kdf,
                       const VaultOptions& options = {});
  // Opens with the passphrase: Code::kWrongPassphrase, kNoVault, kWiped or kCorrupt otherwise.
  static Result<std::unique_ptr<Vault>> Open(const std::string& path, const SecretBytes& passphrase,
                                             const VaultOptions& options = {});
  // Crypto-erase: overwrites the wrapped data key, signing key and salt, and flushes the file,
  // so that no passphrase can ever open it again. Needs no passphrase (panic button).
  static Status Wipe(const std::string& path);
  // The default location: $XDG_DATA_HOME/rempart/vault.db (or ~/.local/share/…).
  static std::string DefaultPath();

  ~Vault();

  // Makes every committed change durable on disk (a WAL checkpoint). Each Add* commits at once
  // but without an fsync of its own, so a batch costs one fsync, not one per entry.
  Status Flush();

  // Re-wraps the data key under a new passphrase; the records are not touched.
  Status ChangePassphrase(const SecretBytes& new_passphrase, const KdfParams& kdf);

  Result<CaseInfo> CreateCase(std::string_view title);
  Result<std::vector<CaseInfo>> ListCases();
  // A case by number ("3") or by exact title.
  Result<CaseInfo> FindCase(std::string_view number_or_title);

  // Adds a file; its content is streamed, encrypted in chunks, hashed and typed from its bytes.
  Result<Entry> AddFile(int64_t case_id, const std::string& path);
  Result<Entry> AddMessage(int64_t case_id, const MessageInput& message);
  // A link, when it was seen, and optionally a saved copy of the page.
  Result<Entry> AddUrl(int64_t case_id, std::string_view url, std::string_view seen_at,
                       const std::optional<std::string>& saved_copy_path);
  Result<Entry> AddNote(int64_t case_id, std::string_view text);

  EntryListing ListEntries(int64_t case_id);
  Result<Entry> GetEntry(int64_t entry_id);
  // Streams an entry's content bytes (decrypted blob, or the inline text) to `sink`.
  Status ReadContent(const Entry& entry,
                     const std::function<Status(std::span<const uint8_t>)>& sink);

  // Pull-style reading of one entry's content, for writers that ask for bytes when they need
  // them (a zip being written). Read() returns 0 at the end.
  class ContentReader {
   public:
    virtual ~ContentReader() = default;
    virtual Result<size_t> Read(std::span<uint8_t> out) = 0;
  };
  Result<std::unique_ptr<ContentReader>> OpenContent(const Entry& entry);

  // Runs `body` against one consistent state of the vault, even while another process adds
  // to it (reads only; an export uses it so its entries, log and tree head agree).
  Status Snapshot(const std::function<Status()>& body);

  // Re-reads every record and stored byte, recomputes the log and checks its signature.
  CheckReport Check();

  // Log access for exports: all leaf hashes in order, and the latest signed tree head.
  Result<std::vector<Sha256Digest>> LeafHashes();
  Result<TreeHead> LatestTreeHead();
  // The vault's signing identity, as minisign publishes it.
  const MinisignPublicKey& public_key() const;
  // Signs a message in minisign format with the vault's key.
  Result<std::string> MinisignSign(std::span<const uint8_t> message,
                                   std::string_view trusted_comment);

  struct State;  // implementation detail (vault.cc)

 private:
  explicit Vault(std::unique_ptr<State> state);
  CheckReport CheckSnapshot();
  std::unique_ptr<State> state_;
};

}  // namespace rempart
