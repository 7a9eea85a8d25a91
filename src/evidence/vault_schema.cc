#include "evidence/vault_schema.h"

namespace rempart {

std::span<const Migration> VaultMigrations() {
  // Only ciphertext, hashes of salted leaves, sizes and row numbers are stored in the clear.
  static constexpr Migration kMigrations[] = {
      {1, R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE cases (id INTEGER PRIMARY KEY, sealed BLOB NOT NULL);
CREATE TABLE entries (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  leaf_index INTEGER NOT NULL UNIQUE,
  sealed BLOB NOT NULL);
CREATE INDEX entries_by_case ON entries(case_id);
CREATE TABLE blobs (
  entry_id INTEGER PRIMARY KEY REFERENCES entries(id) DEFERRABLE INITIALLY DEFERRED,
  header BLOB NOT NULL,
  chunk_count INTEGER NOT NULL);
CREATE TABLE blob_chunks (
  entry_id INTEGER NOT NULL REFERENCES blobs(entry_id) DEFERRABLE INITIALLY DEFERRED,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (entry_id, seq));
CREATE TABLE log_leaves (leaf_index INTEGER PRIMARY KEY, leaf_hash BLOB NOT NULL);
CREATE TABLE tree_heads (
  tree_size INTEGER PRIMARY KEY,
  root BLOB NOT NULL,
  timestamp TEXT NOT NULL,
  signature BLOB NOT NULL);
)sql"},
  };
  return kMigrations;
}

}  // namespace rempart
