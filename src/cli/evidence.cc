// rempart evidence …: groups the evidence subcommands (add, check, export, verify).
#include "cli/cli_context.h"

namespace rempart::cli {

void RegisterEvidence(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("evidence", ctx.t.tr("Add, check, export and verify evidence"));
  cmd->require_subcommand(1);
  RegisterEvidenceAdd(*cmd, ctx);
  RegisterEvidenceCheck(*cmd, ctx);
  RegisterEvidenceExport(*cmd, ctx);
  RegisterEvidenceVerify(*cmd, ctx);
}

}  // namespace rempart::cli
