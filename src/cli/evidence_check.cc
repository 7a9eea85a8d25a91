// rempart evidence check: re-reads the whole vault and names any changed entry.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_context.h"

namespace rempart::cli {

void RegisterEvidenceCheck(CLI::App& parent, Context& ctx) {
  const Translator& t = ctx.t;
  auto* cmd = parent.add_subcommand(
      "check", t.tr("Check that no entry was changed, removed or damaged since it was added"));
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, t.tr("Print JSON"));
  cmd->callback([&ctx, json] {
    ctx.run = [&ctx, json]() -> Status {
      const Translator& t = ctx.t;
      REMPART_ASSIGN_OR_RETURN(auto vault, ctx.OpenVault());
      CheckReport report = vault->Check();
      if (*json) {
        nlohmann::json out = {{"ok", report.ok()},
                              {"entries_checked", report.entries_checked},
                              {"bytes_checked", report.bytes_checked},
                              {"problems", nlohmann::json::array()}};
        for (const auto& p : report.problems) {
          out["problems"].push_back({{"what", p.what}, {"reason", p.reason}});
        }
        std::cout << out.dump(2) << "\n";
      } else if (report.ok()) {
        std::cout << t.trf(
                         "All {} entries are intact ({} bytes checked); the log matches its "
                         "signature.",
                         report.entries_checked, report.bytes_checked)
                  << "\n";
      } else {
        for (const auto& p : report.problems) {
          std::cout << t.trf("DAMAGED: {}: {}", p.what, p.reason) << "\n";
        }
      }
      if (!report.ok()) {
        return Error(Code::kCorrupt,
                     "{} problem(s) found; the entries not listed are intact. Keep a copy of "
                     "the vault file as it is, and export the intact cases.",
                     report.problems.size());
      }
      return Status::Ok();
    };
  });
}

}  // namespace rempart::cli
