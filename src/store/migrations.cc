#include "store/migrations.h"

#include <fmt/format.h>

namespace rempart {

Status Migrate(Database& db, std::span<const Migration> migrations) {
  REMPART_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
  REMPART_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT max(version) FROM schema_version"));
  int64_t current = rows.empty() || rows[0].IsNull(0) ? 0 : rows[0].Int(0);
  int64_t latest = migrations.empty() ? 0 : migrations.back().version;
  if (current > latest) {
    return Error(Code::kInvalidInput,
                 "This database has schema version {}, newer than this program "
                 "understands ({}). Upgrade Rempart to open it.",
                 current, latest);
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    REMPART_RETURN_IF_ERROR(db.Transaction([&]() -> Status {
      REMPART_RETURN_IF_ERROR(db.ExecScript(m.sql));
      return db.Exec("INSERT INTO schema_version (version) VALUES (?)", {int64_t{m.version}});
    }));
  }
  return Status::Ok();
}

}  // namespace rempart
