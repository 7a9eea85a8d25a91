// rempart evidence add CASE [FILE|DIR...] [--message TEXT …] [--url URL …] [--note TEXT]
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <iterator>

#include "cli/cli_context.h"
#include "cli/entry_json.h"
#include "cli/file_walk.h"

namespace rempart::cli {
namespace {

struct AddOptions {
  std::string which;
  std::vector<std::string> paths;
  std::string message, sender, platform, received;
  std::string url, seen, saved;
  std::string note;
  bool json = false;
};

// "-" means standard input, so long texts need not be typed on the command line.
std::string TextOrStdin(const std::string& value) {
  if (value != "-") return value;
  return std::string(std::istreambuf_iterator<char>(std::cin), {});
}

}  // namespace

void RegisterEvidenceAdd(CLI::App& parent, Context& ctx) {
  const Translator& t = ctx.t;
  auto o = std::make_shared<AddOptions>();
  auto* cmd = parent.add_subcommand(
      "add", t.tr("Add files (screenshots, photos, videos, PDFs), a message, a link or a note"));
  cmd->add_option("case", o->which, t.tr("Case number or title"))->required();
  cmd->add_option("files", o->paths, t.tr("Files or folders to add"));
  cmd->add_option("--message", o->message, t.tr("Text of a message received (- reads stdin)"));
  cmd->add_option("--from", o->sender, t.tr("Who sent the message (name, number, handle)"));
  cmd->add_option("--platform", o->platform, t.tr("Where it arrived (SMS, WhatsApp, …)"));
  cmd->add_option("--received", o->received,
                  t.tr("When it arrived, e.g. 2026-03-14T21:30:00Z or \"2026-03-14 21:30\""));
  cmd->add_option("--url", o->url, t.tr("A web address to record"));
  cmd->add_option("--seen", o->seen, t.tr("When you saw the page"));
  cmd->add_option("--saved", o->saved, t.tr("A saved copy of the page (HTML, PDF, MHTML)"));
  cmd->add_option("--note", o->note, t.tr("A note in your own words (- reads stdin)"));
  cmd->add_flag("--json", o->json, t.tr("Print JSON"));
  cmd->callback([&ctx, o] {
    ctx.run = [&ctx, o]() -> Status {
      const Translator& t = ctx.t;
      if (o->paths.empty() && o->message.empty() && o->url.empty() && o->note.empty()) {
        return Error(Code::kUsage, "nothing to add: give files, or --message, --url or --note");
      }
      if (o->url.empty() && (!o->seen.empty() || !o->saved.empty())) {
        return Error(Code::kUsage, "--seen and --saved go with --url");
      }
      REMPART_ASSIGN_OR_RETURN(std::vector<WalkedFile> walked, WalkFiles(o->paths));
      std::vector<std::string> files;
      for (const auto& w : walked) files.push_back(w.path.string());
      REMPART_ASSIGN_OR_RETURN(auto vault, ctx.OpenVault());
      REMPART_ASSIGN_OR_RETURN(CaseInfo c, vault->FindCase(o->which));

      std::vector<Entry> added;
      std::vector<std::string> failed;
      bool progress = ::isatty(STDERR_FILENO) && files.size() > 1 && !o->json;
      for (size_t i = 0; i < files.size(); ++i) {
        if (progress) {
          std::cerr << "\r" << t.trf("Adding {} of {}…", i + 1, files.size()) << std::flush;
        }
        auto e = vault->AddFile(c.id, files[i]);
        if (e.ok()) {
          added.push_back(std::move(e).value());
          continue;
        }
        // A storage failure (disk full) stops the batch; a bad input file is reported and the
        // batch goes on.
        if (e.status().code() == Code::kIo) {
          if (progress) std::cerr << "\n";
          return e.status();
        }
        failed.push_back(files[i] + ": " + t.Explain(e.status()));
      }
      if (progress) std::cerr << "\n";
      if (!o->message.empty()) {
        REMPART_ASSIGN_OR_RETURN(
            Entry e, vault->AddMessage(
                         c.id, {TextOrStdin(o->message), o->sender, o->platform, o->received}));
        added.push_back(std::move(e));
      }
      if (!o->url.empty()) {
        std::optional<std::string> saved;
        if (!o->saved.empty()) saved = o->saved;
        REMPART_ASSIGN_OR_RETURN(Entry e, vault->AddUrl(c.id, o->url, o->seen, saved));
        added.push_back(std::move(e));
      }
      if (!o->note.empty()) {
        REMPART_ASSIGN_OR_RETURN(Entry e, vault->AddNote(c.id, TextOrStdin(o->note)));
        added.push_back(std::move(e));
      }

      REMPART_RETURN_IF_ERROR(vault->Flush());
      if (o->json) {
        nlohmann::json out = {{"added", nlohmann::json::array()},
                              {"failed", nlohmann::json::array()}};
        for (const auto& e : added) out["added"].push_back(EntryJson(e));
        for (const auto& f : failed) out["failed"].push_back(f);
        std::cout << out.dump(2) << "\n";
      } else {
        for (const auto& e : added) {
          std::cout << t.trf("Added entry {} ({}, SHA-256 {})", e.id, e.mime, e.sha256) << "\n";
        }
        for (const auto& f : failed) std::cerr << t.trf("not added: {}", f) << "\n";
        std::cout << t.trf("{} added to case {}.", added.size(), c.id) << "\n";
      }
      if (!failed.empty()) {
        return Error(Code::kInvalidInput, "{} file(s) could not be added (listed above)",
                     failed.size());
      }
      return Status::Ok();
    };
  });
}

}  // namespace rempart::cli
