#include "evidence/vault.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "crypto/aead.h"
#include "crypto/sodium_init.h"
#include "evidence/merkle.h"
#include "evidence/vault_schema.h"
#include "evidence/vault_state.h"

namespace rempart {
namespace {

constexpr std::string_view kFormat = "rempart-vault-1";
constexpr std::string_view kWrappedKeyAd = "rempart-vault-data-key";
constexpr std::string_view kSigningKeyAd = "rempart-vault-signing-key";
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "rmpvault";
constexpr uint64_t kRecordSubkey = 1;
constexpr uint64_t kBlobSubkey = 2;

SecretBytes Subkey(const SecretBytes& data_key, uint64_t id) {
  SecretBytes key(kAeadKeyBytes);
  crypto_kdf_derive_from_key(key.data(), key.size(), id, kKdfContext, data_key.data());
  return key;
}

// Commits are not fsynced one by one (adding a thousand screenshots would wait on a thousand
// fsyncs); the file stays consistent whatever happens, and Vault::Flush, called when a command
// or request is done and by the destructor, makes everything durable.
Result<std::unique_ptr<SqliteDatabase>> OpenDatabase(const std::string& path, bool create,
                                                     const std::string& vfs) {
  SqliteOptions options;
  options.create = create;
  options.sync_every_commit = false;
  options.vfs = vfs;
  // Contents are stored as 1 MiB chunks: 64 KiB pages write them in 16 times fewer calls.
  options.page_size = 65536;
  REMPART_ASSIGN_OR_RETURN(auto db, SqliteDatabase::Open(path, options));
  // Checkpoints (each with two fsyncs) every 256 MiB of changes rather than every 4 MiB.
  REMPART_RETURN_IF_ERROR(db->Exec("PRAGMA wal_autocheckpoint=4096"));
  // Reuse the WAL file as it is after a checkpoint: truncating and regrowing it costs more
  // than it saves, and closing the last connection deletes it anyway.
  REMPART_RETURN_IF_ERROR(db->Exec("PRAGMA journal_size_limit=-1"));
  return db;
}

// Meta values by key, read in one go.
Result<std::map<std::string, Bytes>> ReadMeta(Database& db) {
  std::map<std::string, Bytes> meta;
  REMPART_RETURN_IF_ERROR(db.QueryEach("SELECT key, value FROM meta", {}, [&](const Row& row) {
    meta[row.Text(0)] = row.Blob(1);
    return Status::Ok();
  }));
  return meta;
}

std::string MetaText(const std::map<std::string, Bytes>& meta, const std::string& key) {
  auto it = meta.find(key);
  return it == meta.end() ? "" : std::string(it->second.begin(), it->second.end());
}

Status PutMeta(Database& db, std::string_view key, const Bytes& value) {
  return db.Exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      {std::string(key), value});
}

// Opens the file of an existing vault and checks that it is one, without the passphrase.
Result<std::unique_ptr<SqliteDatabase>> OpenExisting(const std::string& path,
                                                     const std::string& vfs,
                                                     std::map<std::string, Bytes>& meta) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Error(Code::kNoVault,
                 "no vault at {}: create one with `rempart init`, or name another "
                 "with --vault",
                 path);
  }
  auto db = OpenDatabase(path, false, vfs);
  if (!db.ok()) return db.status();
  auto m = ReadMeta(**db);
  if (!m.ok() || MetaText(*m, "format") != kFormat) {
    return Error(Code::kCorrupt, "{} is not a Rempart vault, or its header is damaged", path);
  }
  meta = std::move(m).value();
  if (meta.count("wiped_at")) {
    return Error(Code::kWiped,
                 "this vault was wiped on {}; its contents can never be opened "
                 "again. Create a new one with `rempart init`.",
                 MetaText(meta, "wiped_at"));
  }
  return db;
}

Bytes SealDataKeyUnder(const SecretBytes& passphrase, const KdfParams& kdf,
                       const SecretBytes& data_key, Status& status) {
  auto kek = DeriveKey(passphrase, kdf, kAeadKeyBytes);
  if (!kek.ok()) {
    status = kek.status();
    return {};
  }
  return AeadSeal(*kek, data_key.span(), kWrappedKeyAd);
}

Status WriteKdfAndWrappedKey(Database& db, const KdfParams& kdf, const Bytes& wrapped) {
  REMPART_RETURN_IF_ERROR(PutMeta(db, "kdf_opslimit", ToBytes(std::to_string(kdf.opslimit))));
  REMPART_RETURN_IF_ERROR(PutMeta(db, "kdf_memlimit", ToBytes(std::to_string(kdf.memlimit))));
  REMPART_RETURN_IF_ERROR(PutMeta(db, "kdf_salt", ToBytes(kdf.salt)));
  return PutMeta(db, "wrapped_key", wrapped);
}

}  // namespace

std::string SignedTreeHeadMessage(uint64_t tree_size, const Sha256Digest& root,
                                  std::string_view timestamp) {
  return fmt::format("rempart tree head v1\n{}\n{}\n{}\n", tree_size, HexOf(root), timestamp);
}

std::string Vault::DefaultPath() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  std::filesystem::path base;
  if (xdg && *xdg) {
    base = xdg;
  } else {
    const char* home = std::getenv("HOME");
    base = std::filesystem::path(home ? home : ".") / ".local" / "share";
  }
  return (base / "rempart" / "vault.db").string();
}

Vault::Vault(std::unique_ptr<State> state) : state_(std::move(state)) {}
// Closing the last connection checkpoints by itself; another process still open (the web app)
// flushes when it is done.
Vault::~Vault() = default;

Status Vault::Flush() { return ExplainIo(state_->db->Checkpoint(/*truncate=*/false)); }

const MinisignPublicKey& Vault::public_key() const { return state_->public_key; }

Status Vault::Create(const std::string& path, const SecretBytes& passphrase, const KdfParams& kdf,
                     const VaultOptions& options) {
  REMPART_RETURN_IF_ERROR(EnsureSodium());
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return Error(Code::kExists,
                 "a vault already exists at {}; open it, or choose another path "
                 "with --vault",
                 path);
  }
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Error(Code::kIo, "cannot create folder {}: {}", parent.string(), ec.message());
    }
  }
  // Build the vault under a temporary name, then rename: a crash never leaves half a vault.
  std::string tmp = path + ".creating";
  std::filesystem::remove(tmp, ec);
  Status status = [&]() -> Status {
    REMPART_ASSIGN_OR_RETURN(auto db, OpenDatabase(tmp, true, options.sqlite_vfs));
    ::chmod(tmp.c_str(), 0600);
    REMPART_RETURN_IF_ERROR(Migrate(*db, VaultMigrations()));
    SecretBytes data_key = SecretBytes::Random(kAeadKeyBytes);
    Status kdf_status;
    Bytes wrapped = SealDataKeyUnder(passphrase, kdf, data_key, kdf_status);
    REMPART_RETURN_IF_ERROR(kdf_status);
    SigningKey signing = SigningKey::Generate();
    MinisignPublicKey pub = MinisignPublicKey::ForKey(signing);
    pub.key_id = NewMinisignKeyId();
    SecretBytes record_key = Subkey(data_key, kRecordSubkey);
    Bytes sealed_sk = AeadSeal(record_key, signing.secret_key().span(), kSigningKeyAd);
    auto now = options.now ? options.now() : std::chrono::system_clock::now();
    REMPART_RETURN_IF_ERROR(db->Transaction([&]() -> Status {
      REMPART_RETURN_IF_ERROR(PutMeta(*db, "format", ToBytes(kFormat)));
      REMPART_RETURN_IF_ERROR(PutMeta(*db, "created_at", ToBytes(FormatRfc3339(now))));
      REMPART_RETURN_IF_ERROR(WriteKdfAndWrappedKey(*db, kdf, wrapped));
      REMPART_RETURN_IF_ERROR(PutMeta(*db, "sign_public_key", ToBytes(pub.public_key)));
      REMPART_RETURN_IF_ERROR(PutMeta(*db, "sign_key_id", ToBytes(pub.key_id)));
      return PutMeta(*db, "sign_secret_key", sealed_sk);
    }));
    return db->Checkpoint();
  }();
  if (status.ok()) {
    std::filesystem::rename(tmp, path, ec);
    if (ec) status = Error(Code::kIo, "cannot create {}: {}", path, ec.message());
  }
  if (!status.ok()) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(tmp + suffix, ec);
    return ExplainIo(status);
  }
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(tmp + suffix, ec);
  return Status::Ok();
}

Result<std::unique_ptr<Vault>> Vault::Open(const std::string& path, const SecretBytes& passphrase,
                                           const VaultOptions& options) {
  REMPART_RETURN_IF_ERROR(EnsureSodium());
  std::map<std::string, Bytes> meta;
  REMPART_ASSIGN_OR_RETURN(auto db, OpenExisting(path, options.sqlite_vfs, meta));
  REMPART_RETURN_IF_ERROR(Migrate(*db, VaultMigrations()));

  KdfParams kdf;
  kdf.opslimit = std::strtoull(MetaText(meta, "kdf_opslimit").c_str(), nullptr, 10);
  kdf.memlimit = std::strtoull(MetaText(meta, "kdf_memlimit").c_str(), nullptr, 10);
  const Bytes& salt = meta["kdf_salt"];
  if (salt.size() != kdf.salt.size() || kdf.opslimit == 0 || kdf.memlimit == 0) {
    return Error(Code::kCorrupt, "the vault's key record is damaged; it cannot be opened");
  }
  std::copy(salt.begin(), salt.end(), kdf.salt.begin());
  REMPART_ASSIGN_OR_RETURN(SecretBytes kek, DeriveKey(passphrase, kdf, kAeadKeyBytes));
  auto data_key = AeadOpen(kek, meta["wrapped_key"], kWrappedKeyAd);
  if (!data_key.ok()) {
    return Error(Code::kWrongPassphrase,
                 "wrong passphrase: the vault did not open. Nothing was changed; try again "
                 "(check the keyboard layout and Caps Lock).");
  }

  auto state = std::make_unique<State>();
  state->path = path;
  state->db = std::move(db);
  state->data_key = std::move(data_key).value();
  state->record_key = Subkey(state->data_key, kRecordSubkey);
  state->blob_key = Subkey(state->data_key, kBlobSubkey);
  state->now = options.now ? options.now : [] { return std::chrono::system_clock::now(); };
  auto sk = AeadOpen(state->record_key, meta["sign_secret_key"], kSigningKeyAd);
  if (!sk.ok()) return Error(Code::kCorrupt, "the vault's signing key is damaged");
  REMPART_ASSIGN_OR_RETURN(auto signing, SigningKey::FromSecretKey(std::move(sk).value()));
  state->signing_key = std::make_unique<SigningKey>(std::move(signing));
  state->public_key = MinisignPublicKey::ForKey(*state->signing_key);
  const Bytes& key_id = meta["sign_key_id"];
  if (key_id.size() != state->public_key.key_id.size()) {
    return Error(Code::kCorrupt, "the vault's key id is damaged");
  }
  std::copy(key_id.begin(), key_id.end(), state->public_key.key_id.begin());
  REMPART_ASSIGN_OR_RETURN(auto detector, ContentTypeDetector::Create());
  state->detector = std::make_unique<ContentTypeDetector>(std::move(detector));
  return std::unique_ptr<Vault>(new Vault(std::move(state)));
}

Status Vault::Wipe(const std::string& path) {
  REMPART_RETURN_IF_ERROR(EnsureSodium());
  std::map<std::string, Bytes> meta;
  REMPART_ASSIGN_OR_RETURN(auto db, OpenExisting(path, "", meta));
  REMPART_RETURN_IF_ERROR(db->Transaction([&]() -> Status {
    for (const char* key : {"wrapped_key", "kdf_salt", "sign_secret_key"}) {
      Bytes noise(meta[key].size());
      randombytes_buf(noise.data(), noise.size());
      REMPART_RETURN_IF_ERROR(PutMeta(*db, key, noise));
    }
    return PutMeta(*db, "wiped_at", ToBytes(FormatRfc3339(std::chrono::system_clock::now())));
  }));
  // Push the overwrite into the main file and empty the WAL, so no old copy of the wrapped key
  // stays in the vault's files.
  REMPART_RETURN_IF_ERROR(db->Checkpoint());
  db.reset();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  return Status::Ok();
}

Status Vault::ChangePassphrase(const SecretBytes& new_passphrase, const KdfParams& kdf) {
  Status kdf_status;
  Bytes wrapped = SealDataKeyUnder(new_passphrase, kdf, state_->data_key, kdf_status);
  REMPART_RETURN_IF_ERROR(kdf_status);
  Status status = state_->db->Transaction(
      [&]() -> Status { return WriteKdfAndWrappedKey(*state_->db, kdf, wrapped); });
  if (!status.ok()) return ExplainIo(status);
  return state_->db->Checkpoint();
}

Status Vault::Snapshot(const std::function<Status()>& body) { return state_->db->Snapshot(body); }

Result<CaseInfo> Vault::CreateCase(std::string_view title) {
  if (title.empty() || title.size() > 1000) {
    return Error(Code::kInvalidInput, "a case needs a title of 1 to 1000 characters");
  }
  CaseInfo info;
  info.title = std::string(title);
  info.created_at = state_->Now();
  std::string plain = nlohmann::json{{"title", info.title}, {"created_at", info.created_at}}.dump();
  Status status = state_->db->Transaction([&]() -> Status {
    REMPART_ASSIGN_OR_RETURN(auto rows,
                             state_->db->Query("SELECT coalesce(max(id), 0) + 1 FROM cases"));
    info.id = rows[0].Int(0);
    Bytes sealed = AeadSeal(state_->record_key, ToBytes(std::string_view(plain)), CaseAd(info.id));
    return state_->db->Exec("INSERT INTO cases (id, sealed) VALUES (?, ?)", {info.id, sealed});
  });
  if (!status.ok()) return ExplainIo(status);
  return info;
}

Result<std::vector<CaseInfo>> Vault::ListCases() {
  std::vector<CaseInfo> cases;
  REMPART_RETURN_IF_ERROR(state_->db->QueryEach(
      "SELECT c.id, c.sealed, (SELECT count(*) FROM entries e WHERE e.case_id = c.id) "
      "FROM cases c ORDER BY c.id",
      {}, [&](const Row& row) -> Status {
        CaseInfo info;
        info.id = row.Int(0);
        info.entry_count = row.Int(2);
        auto plain = AeadOpen(state_->record_key, row.BlobView(1), CaseAd(info.id));
        auto j =
            plain.ok() ? nlohmann::json::parse(plain->view(), nullptr, false) : nlohmann::json();
        if (j.is_object() && j["title"].is_string() && j["created_at"].is_string()) {
          info.title = j["title"];
          info.created_at = j["created_at"];
        } else {
          info.damaged = true;
          info.title = fmt::format("(case {} is damaged and cannot be read)", info.id);
        }
        cases.push_back(std::move(info));
        return Status::Ok();
      }));
  return cases;
}

Result<CaseInfo> Vault::FindCase(std::string_view number_or_title) {
  REMPART_ASSIGN_OR_RETURN(auto cases, ListCases());
  // A number names that case even when another case is titled with the same digits.
  for (const auto& c : cases) {
    if (std::to_string(c.id) == number_or_title) return c;
  }
  for (const auto& c : cases) {
    if (c.title == number_or_title) return c;
  }
  return Error(Code::kNotFound, "no case '{}'; `rempart case list` shows the cases",
               number_or_title);
}

Result<std::vector<Sha256Digest>> Vault::LeafHashes() {
  std::vector<Sha256Digest> hashes;
  REMPART_RETURN_IF_ERROR(state_->db->QueryEach(
      "SELECT leaf_index, leaf_hash FROM log_leaves ORDER BY leaf_index", {},
      [&](const Row& row) -> Status {
        auto view = row.BlobView(1);
        if (static_cast<uint64_t>(row.Int(0)) != hashes.size() || view.size() != 32) {
          return Error(Code::kCorrupt, "the evidence log is damaged at position {}", hashes.size());
        }
        Sha256Digest d;
        std::copy(view.begin(), view.end(), d.begin());
        hashes.push_back(d);
        return Status::Ok();
      }));
  return hashes;
}

Result<TreeHead> Vault::LatestTreeHead() {
  REMPART_ASSIGN_OR_RETURN(
      auto rows, state_->db->Query("SELECT tree_size, root, timestamp, signature FROM tree_heads "
                                   "ORDER BY tree_size DESC LIMIT 1"));
  TreeHead head;
  if (rows.empty()) {
    head.root = RootHash({});
    head.timestamp = state_->Now();
    head.signature = state_->signing_key->Sign(SignedTreeHeadMessage(0, head.root, head.timestamp));
    return head;
  }
  head.tree_size = rows[0].Int(0);
  auto root = rows[0].BlobView(1);
  if (root.size() != head.root.size())
    return Error(Code::kCorrupt, "the log's tree head is damaged");
  std::copy(root.begin(), root.end(), head.root.begin());
  head.timestamp = rows[0].Text(2);
  auto signature = rows[0].BlobView(3);
  if (signature.size() != head.signature.size()) {
    return Error(Code::kCorrupt, "the log's tree head is damaged");
  }
  std::copy(signature.begin(), signature.end(), head.signature.begin());
  return head;
}

Result<std::string> Vault::MinisignSign(std::span<const uint8_t> message,
                                        std::string_view trusted_comment) {
  return MinisignSignature(*state_->signing_key, state_->public_key.key_id, message,
                           "signature from a Rempart evidence vault", trusted_comment);
}

namespace {

void PushLeaf(std::vector<Vault::State::Subtree>& frontier, const Sha256Digest& leaf_hash) {
  frontier.push_back({leaf_hash, 1});
  while (frontier.size() > 1 && frontier[frontier.size() - 2].size == frontier.back().size) {
    Vault::State::Subtree right = frontier.back();
    frontier.pop_back();
    frontier.back() = {NodeHash(frontier.back().root, right.root), right.size * 2};
  }
}

// RFC 6962's root is the right-leaning fold of the perfect subtrees.
Sha256Digest FrontierRoot(const std::vector<Vault::State::Subtree>& frontier) {
  if (frontier.empty()) return RootHash({});
  Sha256Digest root = frontier.back().root;
  for (size_t i = frontier.size() - 1; i-- > 0;) root = NodeHash(frontier[i].root, root);
  return root;
}

}  // namespace

Status AppendToLog(Vault::State& s, std::string_view leaf, uint64_t expected_index) {
  bool valid = s.log_size == expected_index;
  if (valid && expected_index > 0) {
    REMPART_ASSIGN_OR_RETURN(auto last, s.db->Query("SELECT leaf_hash FROM log_leaves WHERE "
                                                    "leaf_index = ?",
                                                    {static_cast<int64_t>(expected_index - 1)}));
    valid = !last.empty() && last[0].BlobView(0).size() == s.log_last_leaf.size() &&
            std::equal(s.log_last_leaf.begin(), s.log_last_leaf.end(), last[0].BlobView(0).begin());
  }
  if (!valid) {
    s.log_frontier.clear();
    s.log_size = 0;
    REMPART_RETURN_IF_ERROR(s.db->QueryEach(
        "SELECT leaf_hash FROM log_leaves ORDER BY leaf_index", {}, [&](const Row& row) {
          Sha256Digest d{};
          auto v = row.BlobView(0);
          std::copy_n(v.begin(), std::min(v.size(), d.size()), d.begin());
          PushLeaf(s.log_frontier, d);
          s.log_last_leaf = d;
          ++s.log_size;
          return Status::Ok();
        }));
    if (s.log_size != expected_index) {
      return Error(Code::kCorrupt, "the evidence log has gaps; run `rempart evidence check`");
    }
  }
  Sha256Digest leaf_hash = LeafHash(ToBytes(leaf));
  REMPART_RETURN_IF_ERROR(s.db->Exec("INSERT INTO log_leaves (leaf_index, leaf_hash) VALUES (?, ?)",
                                     {static_cast<int64_t>(expected_index), ToBytes(leaf_hash)}));
  PushLeaf(s.log_frontier, leaf_hash);
  s.log_last_leaf = leaf_hash;
  s.log_size = expected_index + 1;
  Sha256Digest root = FrontierRoot(s.log_frontier);
  std::string timestamp = s.Now();
  auto signature = s.signing_key->Sign(SignedTreeHeadMessage(s.log_size, root, timestamp));
  return s.db->Exec(
      "INSERT INTO tree_heads (tree_size, root, timestamp, signature) VALUES (?, ?, ?, ?)",
      {static_cast<int64_t>(s.log_size), ToBytes(root), timestamp, ToBytes(signature)});
}

}  // namespace rempart
