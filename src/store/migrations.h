// Numbered schema migrations, applied in order and exactly once per database.
//
// The applied version is kept in table `schema_version`. Each migration runs in its own
// transaction, so a crash leaves the schema at a whole version. A database newer than the
// program (a later release wrote it) is refused rather than misread.
#pragma once

#include <span>
#include <string_view>

#include "store/database.h"

namespace rempart {

struct Migration {
  int version;           // 1, 2, 3, … without gaps
  std::string_view sql;  // one or more statements
};

Status Migrate(Database& db, std::span<const Migration> migrations);

}  // namespace rempart
