// The vault's SQLite schema, as numbered migrations (docs/en/vault-format.md describes it).
#pragma once

#include <span>

#include "store/migrations.h"

namespace rempart {
std::span<const Migration> VaultMigrations();
}  // namespace rempart
