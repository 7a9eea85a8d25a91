// rempart case list
#include <iostream>

#include "cli/cli_context.h"
#include "cli/entry_json.h"

namespace rempart::cli {

void RegisterCaseList(CLI::App& parent, Context& ctx) {
  const Translator& t = ctx.t;
  auto* cmd = parent.add_subcommand("list", t.tr("List the cases"));
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, t.tr("Print JSON"));
  cmd->callback([&ctx, json] {
    ctx.run = [&ctx, json]() -> Status {
      const Translator& t = ctx.t;
      REMPART_ASSIGN_OR_RETURN(auto vault, ctx.OpenVault());
      REMPART_ASSIGN_OR_RETURN(auto cases, vault->ListCases());
      if (*json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& c : cases) out.push_back(CaseJson(c));
        std::cout << out.dump(2) << "\n";
        return Status::Ok();
      }
      if (cases.empty()) {
        std::cout << t.tr("No cases yet. Open one with `rempart case new TITLE`.") << "\n";
      }
      for (const auto& c : cases) {
        auto created = ParseRfc3339(c.created_at);
        std::cout << fmt::format("{:>4}  {:<40}  {}  {}\n", c.id, c.title,
                                 created.ok() ? FormatLocal(*created, t.language()) : c.created_at,
                                 t.trf("{} entries", c.entry_count));
      }
      return Status::Ok();
    };
  });
}

}  // namespace rempart::cli
