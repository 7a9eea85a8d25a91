#include "cli/entry_json.h"

namespace rempart::cli {

nlohmann::json CaseJson(const CaseInfo& c) {
  return {
      {"id", c.id}, {"title", c.title}, {"created_at", c.created_at}, {"entries", c.entry_count}};
}

nlohmann::json EntryJson(const Entry& e) {
  auto j = nlohmann::json::parse(e.leaf);
  j.erase("salt");
  j.erase("v");
  j["leaf_index"] = e.leaf_index;
  return j;
}

}  // namespace rempart::cli
