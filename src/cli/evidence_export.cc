// rempart evidence export CASE --out DIR|FILE.zip
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "evidence/bundle_export.h"

namespace rempart::cli {

void RegisterEvidenceExport(CLI::App& parent, Context& ctx) {
  const Translator& t = ctx.t;
  auto* cmd = parent.add_subcommand(
      "export", t.tr("Export a case as a signed bundle with a PDF report (folder or .zip)"));
  auto which = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("case", *which, t.tr("Case number or title"))->required();
  cmd->add_option("--out,-o", *out, t.tr("Where to write the bundle: a new folder, or FILE.zip"))
      ->required();
  cmd->add_flag("--json", *json, t.tr("Print JSON"));
  cmd->callback([&ctx, which, out, json] {
    ctx.run = [&ctx, which, out, json]() -> Status {
      const Translator& t = ctx.t;
      REMPART_ASSIGN_OR_RETURN(auto vault, ctx.OpenVault());
      REMPART_ASSIGN_OR_RETURN(CaseInfo c, vault->FindCase(*which));
      REMPART_ASSIGN_OR_RETURN(ExportSummary s, ExportCase(*vault, c, *out, t));
      if (*json) {
        std::cout << nlohmann::json{{"bundle", *out},
                                    {"case", c.id},
                                    {"entries", s.entries},
                                    {"bytes", s.bytes},
                                    {"public_key", s.public_key}}
                         .dump(2)
                  << "\n";
        return Status::Ok();
      }
      std::cout << t.trf("Exported case {} ({} entries) to {}.", c.id, s.entries, *out) << "\n"
                << t.tr(
                       "Give the receiver this public key by another channel (a message, on "
                       "paper), so they can check who signed the bundle:")
                << "\n  " << s.public_key << "\n"
                << t.trf("They verify with: minisign -Vm manifest.json -P {}", s.public_key) << "\n"
                << t.tr("or: rempart evidence verify BUNDLE --pubkey KEY") << "\n";
      return Status::Ok();
    };
  });
}

}  // namespace rempart::cli
