// rempart evidence verify BUNDLE [--pubkey KEY]: needs no vault and no passphrase.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "evidence/bundle_verify.h"

namespace rempart::cli {

void RegisterEvidenceVerify(CLI::App& parent, Context& ctx) {
  const Translator& t = ctx.t;
  auto* cmd = parent.add_subcommand(
      "verify", t.tr("Check an exported bundle (folder or .zip); needs no vault"));
  auto bundle = std::make_shared<std::string>();
  auto pubkey = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("bundle", *bundle, t.tr("The bundle folder or .zip file"))->required();
  cmd->add_option("--pubkey,-P", *pubkey,
                  t.tr("The signer's public key, as received from them (minisign format)"));
  cmd->add_flag("--json", *json, t.tr("Print JSON"));
  cmd->callback([&ctx, bundle, pubkey, json] {
    ctx.run = [&ctx, bundle, pubkey, json]() -> Status {
      const Translator& t = ctx.t;
      VerifyOptions options;
      if (!pubkey->empty()) options.trusted_public_key = *pubkey;
      REMPART_ASSIGN_OR_RETURN(VerifyReport r, VerifyBundle(*bundle, options));
      if (*json) {
        nlohmann::json out = {{"ok", r.ok()},
                              {"signer_key", r.signer_key},
                              {"signer_matches_trusted", r.signer_matches_trusted},
                              {"trusted_comment", r.trusted_comment},
                              {"files_checked", r.files_checked},
                              {"bytes_checked", r.bytes_checked},
                              {"problems", nlohmann::json::array()}};
        for (const auto& p : r.problems) out["problems"].push_back(t.Explain(p));
        if (r.manifest) {
          out["case"] = {{"id", r.manifest->case_info.id}, {"title", r.manifest->case_info.title}};
          out["entries"] = r.manifest->entries.size();
        }
        std::cout << out.dump(2) << "\n";
      } else if (r.ok()) {
        std::cout << t.trf(
                         "Bundle verified: {} files, {} bytes, all intact and in the signed "
                         "log.",
                         r.files_checked, r.bytes_checked)
                  << "\n"
                  << t.trf("Signed by key {}", r.signer_key) << "\n";
        if (!r.signer_matches_trusted) {
          std::cout << t.tr(
                           "Check that this key is the one the sender gave you by another "
                           "channel (or pass it with --pubkey).")
                    << "\n";
        }
      } else {
        for (const auto& p : r.problems) std::cout << t.trf("FAILED: {}", t.Explain(p)) << "\n";
      }
      if (!r.ok()) {
        return Error(Code::kVerifyFailed,
                     "the bundle does not verify: {} problem(s), listed above. Do not rely on "
                     "its contents.",
                     r.problems.size());
      }
      return Status::Ok();
    };
  });
}

}  // namespace rempart::cli
