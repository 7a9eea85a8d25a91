// rempart scrub FILE|DIR... : removes what identifies a person, a place, a device or a time
// from photos and videos, losslessly (media_format.h), and checks the result before naming it.
#include <sys/stat.h>

#include <iostream>
#include <mutex>

#include "cli/batch_runner.h"
#include "cli/cli_context.h"
#include "cli/media_files.h"
#include "cli/whole_file.h"
#include "media/media_format.h"
#include "media/privacy_text.h"

namespace rempart::cli {
namespace {

namespace fs = std::filesystem;

struct ScrubCliOptions {
  std::vector<std::string> paths;
  std::optional<std::string> out_dir;
  bool in_place = false;
  bool force = false;
  bool strip_icc = false;
  bool json = false;
  bool quiet = false;
  int jobs = 0;
};

struct Outcome {
  fs::path output;
  Status status;
  PrivacyReport before;
  bool already_clean = false;
};

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
}

// The cleaned copy must itself inspect clean: a parser gap shows up as an error, not a leak.
Status CheckCleaned(const std::string& path) {
  REMPART_ASSIGN_OR_RETURN(FileSource cleaned, FileSource::Open(path));
  REMPART_ASSIGN_OR_RETURN(PrivacyReport after, InspectMedia(cleaned));
  if (!after.IsClean()) {
    const Finding* f = after.findings.empty() ? nullptr : &after.findings.front();
    return Error(Code::kFailed,
                 "could not remove everything ({} remains); the file was not written. Please "
                 "report this file type to the Rempart developers",
                 f ? f->field : std::string("GPSPosition"));
  }
  return Status::Ok();
}

Status ScrubOne(const WalkedFile& file, const ScrubCliOptions& o, Outcome& outcome) {
  REMPART_ASSIGN_OR_RETURN(FileSource input, FileSource::Open(file.path.string()));
  REMPART_ASSIGN_OR_RETURN(outcome.before, InspectMedia(input));
  ScrubOptions options;
  options.strip_icc = o.strip_icc;
  REMPART_ASSIGN_OR_RETURN(EditPlan plan, PlanScrub(input, options));
  outcome.output = OutputPath(file, o.out_dir, o.in_place, "clean");
  outcome.already_clean = plan.IsIdentity(input.size());
  if (o.in_place && outcome.already_clean) return Status::Ok();  // nothing to rewrite
  std::error_code ec;
  if (!o.in_place && fs::equivalent(outcome.output, file.path, ec)) {
    return Error(Code::kExists,
                 "the output would replace the original {}; use --in-place to clean it in place",
                 file.path.string());
  }
  if (o.out_dir) fs::create_directories(outcome.output.parent_path(), ec);
  REMPART_ASSIGN_OR_RETURN(
      WholeFile out, WholeFile::Create(outcome.output, o.in_place ? ModeOf(file.path) : 0644));
  REMPART_RETURN_IF_ERROR(
      ApplyPlan(input, plan, [&](std::span<const uint8_t> chunk) { return out.Write(chunk); }));
  REMPART_RETURN_IF_ERROR(CheckCleaned(out.ReadablePath()));
  return out.Commit(/*replace=*/o.in_place || o.force);
}

void PrintOutcome(const WalkedFile& file, const Outcome& r, const Translator& t) {
  if (!r.status.ok()) {
    std::cerr << "rempart: " << file.path.string() << ": " << t.Explain(r.status) << "\n";
    return;
  }
  const std::vector<std::string> removed = SummariseReport(r.before, t);
  std::string what;
  for (const auto& w : removed) what += (what.empty() ? "" : ", ") + w;
  const std::string target = r.output == file.path ? std::string() : " → " + r.output.string();
  if (removed.empty()) {
    std::cout << file.path.string() << target << ": " << t.tr("nothing to remove") << "\n";
  } else {
    std::cout << file.path.string() << target << ": " << t.trf("removed {}", what) << "\n";
  }
}

nlohmann::json OutcomeJson(const WalkedFile& file, const Outcome& r, const Translator& t) {
  nlohmann::json j = {{"file", file.path.string()}};
  if (!r.status.ok()) {
    j["status"] = "failed";
    j["error"] = t.Explain(r.status);
    return j;
  }
  j["status"] = r.already_clean ? "already_clean" : "cleaned";
  j["output"] = r.output.string();
  j["removed"] = ReportJson(r.before)["findings"];
  return j;
}

Status Run(const ScrubCliOptions& o, const Translator& t) {
  if (o.in_place && o.out_dir) {
    return Error(Code::kUsage, "choose either --in-place or --out, not both");
  }
  REMPART_ASSIGN_OR_RETURN(std::vector<WalkedFile> files, WalkMediaFiles(o.paths));
  std::vector<Outcome> outcomes(files.size());
  std::mutex print;
  BatchOptions batch{o.jobs, !o.json, t.tr("Cleaning")};
  RunBatch(files.size(), batch, t, [&](size_t i) {
    outcomes[i].status = ScrubOne(files[i], o, outcomes[i]);
    if (!o.json && (!o.quiet || !outcomes[i].status.ok())) {
      std::lock_guard lock(print);
      PrintOutcome(files[i], outcomes[i], t);
    }
  });

  size_t failed = 0, cleaned = 0;
  Status first_failure;
  nlohmann::json json_files = nlohmann::json::array();
  for (size_t i = 0; i < files.size(); ++i) {
    if (o.json) json_files.push_back(OutcomeJson(files[i], outcomes[i], t));
    if (!outcomes[i].status.ok()) {
      if (failed++ == 0) first_failure = outcomes[i].status;
    } else if (!outcomes[i].already_clean) {
      ++cleaned;
    }
  }
  if (o.json) {
    std::cout << nlohmann::json{{"files", json_files},
                                {"cleaned", cleaned},
                                {"already_clean", files.size() - cleaned - failed},
                                {"failed", failed}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << t.trf("{} files: {} cleaned, {} had nothing to remove, {} failed.", files.size(),
                       cleaned, files.size() - cleaned - failed, failed)
              << "\n";
  }
  if (files.empty()) {
    return Error(Code::kNotFound, "no photos or videos found in what you named");
  }
  if (failed > 0) {
    return Status(first_failure.code(), "");  // each failure was already explained above
  }
  return Status::Ok();
}

}  // namespace

void RegisterScrub(CLI::App& app, Context& ctx) {
  const Translator& t = ctx.t;
  auto o = std::make_shared<ScrubCliOptions>();
  auto* cmd = app.add_subcommand(
      "scrub", t.tr("Remove location, camera, names and dates from photos and videos, losslessly"));
  cmd->add_option("files", o->paths, t.tr("Photos, videos or folders"))->required();
  cmd->add_option("--out", o->out_dir, t.tr("Write cleaned copies into this folder"));
  cmd->add_flag("--in-place", o->in_place, t.tr("Replace the originals (atomically)"));
  cmd->add_flag("--force", o->force, t.tr("Replace earlier cleaned copies"));
  cmd->add_flag("--strip-icc", o->strip_icc,
                t.tr("Also remove the colour profile (it identifies nobody; kept by default)"));
  cmd->add_option("--jobs,-j", o->jobs, t.tr("Files cleaned at once (default: one per core)"));
  cmd->add_flag("--quiet,-q", o->quiet, t.tr("Print only the summary and errors"));
  cmd->add_flag("--json", o->json, t.tr("Print JSON"));
  cmd->callback([&ctx, o] { ctx.run = [&ctx, o] { return Run(*o, ctx.t); }; });
}

}  // namespace rempart::cli
