// Database: the storage interface that every Rempart store is written against.
//
// SQL text uses `?` placeholders; each backend (SQLite embedded by default, PostgreSQL for
// collectives that grow) binds them its own way. Migrations are numbered and applied once, in a
// transaction, by Migrate() (store/migrations.h). Large results are read row by row with
// QueryEach so that a multi-gigabyte blob never sits in memory at once.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"

namespace rempart {

using Bytes = std::vector<uint8_t>;
// A blob parameter bound without copying; the bytes must outlive the statement.
using BlobRef = std::span<const uint8_t>;
// A SQL value: NULL, integer, real, text or blob (rows hold Bytes; parameters may be BlobRef).
using Value = std::variant<std::nullptr_t, int64_t, double, std::string, Bytes, BlobRef>;

// One result row; accessors convert or return a zero value for NULL.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  int64_t Int(size_t i) const;
  double Real(size_t i) const;
  std::string Text(size_t i) const;
  Bytes Blob(size_t i) const;
  std::span<const uint8_t> BlobView(size_t i) const;  // valid while the Row lives

 private:
  std::vector<Value> values_;
};

class Database {
 public:
  virtual ~Database() = default;
  using Params = std::initializer_list<Value>;

  // Runs a statement that returns no rows.
  virtual Status Exec(std::string_view sql, Params params = {}) = 0;
  // Runs several `;`-separated statements without parameters (schema scripts).
  virtual Status ExecScript(std::string_view sql) = 0;
  // Collects every row; for small results.
  virtual Result<std::vector<Row>> Query(std::string_view sql, Params params = {}) = 0;
  // Calls `each` for every row in order; a non-ok Status from `each` stops and is returned.
  virtual Status QueryEach(std::string_view sql, Params params,
                           const std::function<Status(const Row&)>& each) = 0;
  // Runs `body` in a write transaction: committed if it returns ok, rolled back otherwise.
  virtual Status Transaction(const std::function<Status()>& body) = 0;
  // Runs `body` in a read transaction: every query in it sees one consistent state, even while
  // another process writes.
  virtual Status Snapshot(const std::function<Status()>& body) = 0;
  // Row id of the last INSERT on this connection.
  virtual int64_t LastInsertId() = 0;
};

}  // namespace rempart
