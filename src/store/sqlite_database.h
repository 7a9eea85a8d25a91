// SqliteDatabase: the embedded backend of the Database interface.
//
// Opened in WAL mode with foreign keys on, synchronous=FULL by default (every commit survives a
// power cut; NORMAL keeps the file consistent but may lose the last commits, and callers then
// make them durable with Checkpoint()) and secure_delete (freed pages are zeroed, so deleted
// ciphertext and destroyed key material do not linger in the file). One connection per object; not
// thread-safe.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "store/database.h"

struct sqlite3;
struct sqlite3_stmt;

namespace rempart {

struct SqliteOptions {
  bool create = false;  // create the file if it does not exist
  std::string vfs;      // SQLite VFS name; empty for the default (tests inject faults)
  int busy_timeout_ms = 5000;
  int page_size = 0;              // for a new file: bytes per page (512..65536); 0: default
  bool sync_every_commit = true;  // synchronous=FULL; false: NORMAL (see above)
};

class SqliteDatabase final : public Database {
 public:
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path,
                                                      const SqliteOptions& options);
  ~SqliteDatabase() override;

  Status Exec(std::string_view sql, Params params = {}) override;
  Status ExecScript(std::string_view sql) override;
  Result<std::vector<Row>> Query(std::string_view sql, Params params = {}) override;
  Status QueryEach(std::string_view sql, Params params,
                   const std::function<Status(const Row&)>& each) override;
  Status Transaction(const std::function<Status()>& body) override;
  Status Snapshot(const std::function<Status()>& body) override;
  int64_t LastInsertId() override;

  // Copies the WAL into the main file (fsyncing both) and, with `truncate`, empties the WAL;
  // truncating waits for readers, a passive checkpoint copies what it can without waiting.
  Status Checkpoint(bool truncate = true);

 private:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  Status Error(int rc, std::string_view what) const;

  struct CachedStatement {
    sqlite3_stmt* stmt;
    bool busy;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3* db_;
  std::unordered_map<std::string, CachedStatement, StringHash, std::equal_to<>> statements_;
};

}  // namespace rempart
