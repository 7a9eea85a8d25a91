// rempart case new TITLE
#include <iostream>

#include "cli/cli_context.h"
#include "cli/entry_json.h"

namespace rempart::cli {

void RegisterCaseNew(CLI::App& parent, Context& ctx) {
  const Translator& t = ctx.t;
  auto* cmd = parent.add_subcommand("new", t.tr("Open a new case"));
  auto title = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("title", *title, t.tr("A title only you will see, e.g. \"Blackmail March\""))
      ->required();
  cmd->add_flag("--json", *json, t.tr("Print JSON"));
  cmd->callback([&ctx, title, json] {
    ctx.run = [&ctx, title, json]() -> Status {
      REMPART_ASSIGN_OR_RETURN(auto vault, ctx.OpenVault());
      REMPART_ASSIGN_OR_RETURN(CaseInfo c, vault->CreateCase(*title));
      if (*json) {
        std::cout << CaseJson(c).dump(2) << "\n";
      } else {
        std::cout << ctx.t.trf("Case {} created: {}", c.id, c.title) << "\n";
      }
      return Status::Ok();
    };
  });
}

}  // namespace rempart::cli
