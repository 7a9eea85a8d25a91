// rempart inspect FILE|DIR... : what each photo or video reveals, in plain words (or --json).
#include <iostream>
#include <mutex>

#include "cli/batch_runner.h"
#include "cli/cli_context.h"
#include "cli/media_faces.h"
#include "cli/media_files.h"
#include "media/media_format.h"
#include "media/privacy_text.h"

namespace rempart::cli {
namespace {

struct InspectOptions {
  std::vector<std::string> paths;
  bool json = false;
  bool faces = true;
  int jobs = 0;
};

Result<PrivacyReport> InspectOne(const WalkedFile& file, const InspectOptions& o) {
  REMPART_ASSIGN_OR_RETURN(FileSource input, FileSource::Open(file.path.string()));
  REMPART_ASSIGN_OR_RETURN(PrivacyReport report, InspectMedia(input));
  if (o.faces) {
    REMPART_ASSIGN_OR_RETURN(report.faces, CountFaces(input, report));
  }
  return report;
}

void PrintReport(const WalkedFile& file, const PrivacyReport& r, const Translator& t) {
  std::string size;
  if (r.width > 0 && r.height > 0) size = fmt::format(", {}×{}", r.width, r.height);
  std::cout << file.path.string() << " (" << r.format << size << ")\n";
  const std::vector<ReportLine> lines = DescribeReport(r, t);
  if (lines.empty()) {
    std::cout << "  "
              << t.tr("Nothing found that identifies a person, a place, a device or a time.")
              << "\n";
    return;
  }
  for (const ReportLine& line : lines) std::cout << "  " << line.label << ": " << line.text << "\n";
  if (!r.findings.empty() || r.location) {
    std::cout << "  → " << t.trf("rempart scrub {} removes the metadata", file.path.string())
              << "\n";
  }
}

Status Run(const InspectOptions& o, const Translator& t) {
  REMPART_ASSIGN_OR_RETURN(std::vector<WalkedFile> files, WalkMediaFiles(o.paths));
  if (files.empty()) return Error(Code::kNotFound, "no photos or videos found in what you named");
  std::vector<Result<PrivacyReport>> reports(files.size(), Status(Code::kFailed, ""));
  RunBatch(files.size(), {o.jobs, !o.json, t.tr("Inspecting")}, t,
           [&](size_t i) { reports[i] = InspectOne(files[i], o); });

  size_t failed = 0;
  Status first_failure;
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < files.size(); ++i) {
    const Result<PrivacyReport>& r = reports[i];
    if (!r.ok() && failed++ == 0) first_failure = r.status();
    if (o.json) {
      nlohmann::json j = r.ok() ? ReportJson(*r) : nlohmann::json{{"error", t.Explain(r.status())}};
      j["file"] = files[i].path.string();
      out.push_back(std::move(j));
    } else if (r.ok()) {
      PrintReport(files[i], *r, t);
    } else {
      std::cerr << "rempart: " << files[i].path.string() << ": " << t.Explain(r.status()) << "\n";
    }
  }
  if (o.json) std::cout << out.dump(2) << "\n";
  if (failed > 0) return Status(first_failure.code(), "");
  return Status::Ok();
}

}  // namespace

void RegisterInspect(CLI::App& app, Context& ctx) {
  const Translator& t = ctx.t;
  auto o = std::make_shared<InspectOptions>();
  auto* cmd = app.add_subcommand(
      "inspect", t.tr("Show what photos and videos reveal: place, device, names, dates, faces"));
  cmd->add_option("files", o->paths, t.tr("Photos, videos or folders"))->required();
  cmd->add_flag("!--no-faces", o->faces, t.tr("Do not look for faces (faster)"));
  cmd->add_option("--jobs,-j", o->jobs, t.tr("Files inspected at once (default: one per core)"));
  cmd->add_flag("--json", o->json, t.tr("Print JSON"));
  cmd->callback([&ctx, o] { ctx.run = [&ctx, o] { return Run(*o, ctx.t); }; });
}

}  // namespace rempart::cli
