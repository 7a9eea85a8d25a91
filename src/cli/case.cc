// rempart case …: groups the case subcommands (new, list, show).
#include "cli/cli_context.h"

namespace rempart::cli {

void RegisterCase(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("case", ctx.t.tr("Create, list and show cases"));
  cmd->require_subcommand(1);
  RegisterCaseNew(*cmd, ctx);
  RegisterCaseList(*cmd, ctx);
  RegisterCaseShow(*cmd, ctx);
}

}  // namespace rempart::cli
