// rempart case show CASE: the case's entries in order.
#include <iostream>

#include "cli/cli_context.h"
#include "cli/entry_json.h"

namespace rempart::cli {
namespace {

std::string Summary(const Entry& e, const Translator& t) {
  switch (e.kind) {
    case EntryKind::kFile:
      return fmt::format("{} ({}, {})", e.name, e.mime, t.trf("{} bytes", e.size));
    case EntryKind::kMessage: {
      std::string text = e.text.size() > 60 ? e.text.substr(0, 57) + "..." : e.text;
      for (char& c : text) {
        if (c == '\n') c = ' ';
      }
      return t.trf("from {} on {}: {}", e.sender.empty() ? "?" : e.sender,
                   e.platform.empty() ? "?" : e.platform, text);
    }
    case EntryKind::kUrl:
      return e.url + (e.stored_content ? " " + t.tr("(saved copy)") : "");
    case EntryKind::kNote:
      return e.text.size() > 70 ? e.text.substr(0, 67) + "..." : e.text;
  }
  return "";
}

}  // namespace

void RegisterCaseShow(CLI::App& parent, Context& ctx) {
  const Translator& t = ctx.t;
  auto* cmd = parent.add_subcommand("show", t.tr("Show a case and its entries"));
  auto which = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("case", *which, t.tr("Case number or title"))->required();
  cmd->add_flag("--json", *json, t.tr("Print JSON"));
  cmd->callback([&ctx, which, json] {
    ctx.run = [&ctx, which, json]() -> Status {
      const Translator& t = ctx.t;
      REMPART_ASSIGN_OR_RETURN(auto vault, ctx.OpenVault());
      REMPART_ASSIGN_OR_RETURN(CaseInfo c, vault->FindCase(*which));
      EntryListing listing = vault->ListEntries(c.id);
      if (*json) {
        nlohmann::json out = CaseJson(c);
        out["entries"] = nlohmann::json::array();
        for (const auto& e : listing.entries) out["entries"].push_back(EntryJson(e));
        out["damaged"] = nlohmann::json::array();
        for (const auto& d : listing.damaged) {
          out["damaged"].push_back({{"what", d.what}, {"reason", d.reason}});
        }
        std::cout << out.dump(2) << "\n";
      } else {
        std::cout << t.trf("Case {}: {}", c.id, c.title) << "\n";
        for (const auto& e : listing.entries) {
          auto when = ParseRfc3339(e.captured_at);
          std::cout << fmt::format("  #{:<4} {:<8} {}  {}\n", e.id, EntryKindLabel(e.kind, t),
                                   when.ok() ? FormatLocal(*when, t.language()) : e.captured_at,
                                   Summary(e, t));
        }
        if (listing.entries.empty()) std::cout << "  " << t.tr("(no entries yet)") << "\n";
      }
      for (const auto& d : listing.damaged) {
        std::cerr << t.trf("warning: {} cannot be read: {}", d.what, d.reason) << "\n";
      }
      if (!listing.damaged.empty()) {
        return Error(Code::kCorrupt,
                     "some records are damaged (listed above); the others are intact. Run "
                     "`rempart evidence check` for details.");
      }
      return Status::Ok();
    };
  });
}

}  // namespace rempart::cli
