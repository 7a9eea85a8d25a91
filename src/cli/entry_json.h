// JSON forms of cases and entries for --json output (the same field names as manifest.json).
#pragma once

#include <nlohmann/json.hpp>

#include "evidence/vault.h"

namespace rempart::cli {

nlohmann::json CaseJson(const CaseInfo& c);
nlohmann::json EntryJson(const Entry& e);

}  // namespace rempart::cli
