#include "store/sqlite_database.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace rempart {
namespace {

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

Code CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Code::kIo;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Code::kCorrupt;
    default:
      return Code::kFailed;
  }
}

}  // namespace

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                             const SqliteOptions& options) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags,
                           options.vfs.empty() ? nullptr : options.vfs.c_str());
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(raw));
  if (rc != SQLITE_OK) {
    return Status(CodeFor(rc), fmt::format("cannot open database {}: {}", path,
                                           raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  // The page size must be set before the first write, which turning on WAL is.
  if (options.page_size > 0) {
    REMPART_RETURN_IF_ERROR(
        db->ExecScript("PRAGMA page_size=" + std::to_string(options.page_size) + ";"));
  }
  REMPART_RETURN_IF_ERROR(db->ExecScript(
      std::string("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
                  "PRAGMA journal_size_limit=67108864; PRAGMA synchronous=") +
      (options.sync_every_commit ? "FULL;" : "NORMAL;")));
  return db;
}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

Status SqliteDatabase::Error(int rc, std::string_view what) const {
  return Status(CodeFor(rc), fmt::format("{}: {}", what, sqlite3_errmsg(db_)));
}

namespace {

Status Bind(sqlite3* db, sqlite3_stmt* stmt, Database::Params params) {
  int i = 1;
  for (const Value& v : params) {
    int rc = std::visit(
        [&](const auto& x) -> int {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) return sqlite3_bind_null(stmt, i);
          if constexpr (std::is_same_v<T, int64_t>) return sqlite3_bind_int64(stmt, i, x);
          if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt, i, x);
          if constexpr (std::is_same_v<T, std::string>) {
            return sqlite3_bind_text64(stmt, i, x.data(), x.size(), SQLITE_STATIC, SQLITE_UTF8);
          }
          if constexpr (std::is_same_v<T, Bytes> || std::is_same_v<T, BlobRef>) {
            return sqlite3_bind_blob64(stmt, i, x.data(), x.size(), SQLITE_STATIC);
          }
        },
        v);
    if (rc != SQLITE_OK) return Status(Code::kFailed, sqlite3_errmsg(db));
    ++i;
  }
  return Status::Ok();
}

Row ReadRow(sqlite3_stmt* stmt) {
  int n = sqlite3_column_count(stmt);
  std::vector<Value> values;
  values.reserve(n);
  for (int c = 0; c < n; ++c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
        break;
      case SQLITE_FLOAT:
        values.emplace_back(sqlite3_column_double(stmt, c));
        break;
      case SQLITE_TEXT: {
        auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        values.emplace_back(std::string(text, sqlite3_column_bytes(stmt, c)));
        break;
      }
      case SQLITE_BLOB: {
        auto data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, c));
        values.emplace_back(Bytes(data, data + sqlite3_column_bytes(stmt, c)));
        break;
      }
      default:
        values.emplace_back(nullptr);
    }
  }
  return Row(std::move(values));
}

}  // namespace

Status SqliteDatabase::QueryEach(std::string_view sql, Params params,
                                 const std::function<Status(const Row&)>& each) {
  // Prepared statements are kept per SQL text: preparing costs more than running the small
  // inserts of an evidence entry. A statement already running (a query issued from inside
  // another's callback) gets a fresh, unshared one.
  CachedStatement* cached = nullptr;
  Statement owned;
  sqlite3_stmt* raw = nullptr;
  auto it = statements_.find(sql);
  if (it != statements_.end() && !it->second.busy) {
    cached = &it->second;
    raw = cached->stmt;
  } else {
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(raw);
      return Error(rc, "preparing a query");
    }
    if (it == statements_.end()) {
      cached = &statements_.emplace(std::string(sql), CachedStatement{raw, false}).first->second;
    } else {
      owned.reset(raw);
    }
  }
  struct Release {
    CachedStatement* cached;
    sqlite3_stmt* raw;
    ~Release() {
      sqlite3_reset(raw);  // ends the statement's read, whatever happened
      sqlite3_clear_bindings(raw);
      if (cached) cached->busy = false;
    }
  } release{cached, raw};
  if (cached) cached->busy = true;
  int rc;
  REMPART_RETURN_IF_ERROR(Bind(db_, raw, params));
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    if (each) REMPART_RETURN_IF_ERROR(each(ReadRow(raw)));
  }
  if (rc != SQLITE_DONE) return Error(rc, "running a query");
  return Status::Ok();
}

Status SqliteDatabase::Exec(std::string_view sql, Params params) {
  return QueryEach(sql, params, nullptr);
}

Result<std::vector<Row>> SqliteDatabase::Query(std::string_view sql, Params params) {
  std::vector<Row> rows;
  REMPART_RETURN_IF_ERROR(QueryEach(sql, params, [&](const Row& row) {
    rows.push_back(row);
    return Status::Ok();
  }));
  return rows;
}

Status SqliteDatabase::ExecScript(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    Status status(CodeFor(rc), fmt::format("running SQL: {}", message ? message : "?"));
    sqlite3_free(message);
    return status;
  }
  return Status::Ok();
}

Status SqliteDatabase::Transaction(const std::function<Status()>& body) {
  REMPART_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  Status status = body();
  if (status.ok()) status = Exec("COMMIT");
  if (!status.ok() && !sqlite3_get_autocommit(db_)) {
    // The original error matters more than a failing rollback.
    (void)Exec("ROLLBACK");
  }
  return status;
}

Status SqliteDatabase::Snapshot(const std::function<Status()>& body) {
  // In WAL mode a deferred transaction reads from the snapshot taken at its first read.
  REMPART_RETURN_IF_ERROR(Exec("BEGIN DEFERRED"));
  Status status = body();
  if (!sqlite3_get_autocommit(db_)) {
    Status end = Exec(status.ok() ? "COMMIT" : "ROLLBACK");
    if (status.ok()) status = end;
  }
  return status;
}

int64_t SqliteDatabase::LastInsertId() { return sqlite3_last_insert_rowid(db_); }

Status SqliteDatabase::Checkpoint(bool truncate) {
  int rc = sqlite3_wal_checkpoint_v2(
      db_, nullptr, truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE, nullptr,
      nullptr);
  if (rc != SQLITE_OK) return Error(rc, "checkpointing the database");
  return Status::Ok();
}

}  // namespace rempart
