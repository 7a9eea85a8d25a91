// rempart redact FILE --faces | --region x,y,w,h ... : hides faces, tattoos, reflections or
// backgrounds for good (solid fill or noisy pixelation, never a blur), re-encodes the photo
// without any metadata, and with --preview shows the boxes first so that a person can check.
#include <sodium.h>
#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/cli_context.h"
#include "cli/whole_file.h"
#include "media/face_detect.h"
#include "media/image_encode.h"
#include "media/media_format.h"
#include "media/redact.h"
#include "media/region_spec.h"

namespace rempart::cli {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxPhotoBytes = 512ull << 20;

struct RedactOptions {
  std::string file;
  bool faces = false;
  std::vector<std::string> regions;
  std::string style = "pixelate";
  bool preview = false;
  std::optional<std::string> out;
  bool force = false;
  bool json = false;
};

nlohmann::json BoxJson(const Box& b) {
  return {{"x", b.x}, {"y", b.y}, {"width", b.width}, {"height", b.height}};
}

Status WriteOutput(const fs::path& path, const std::vector<uint8_t>& bytes, bool force) {
  REMPART_ASSIGN_OR_RETURN(WholeFile out, WholeFile::Create(path));
  REMPART_RETURN_IF_ERROR(out.Write(bytes));
  return out.Commit(force);
}

fs::path DefaultOutput(const fs::path& input, const char* suffix, std::string_view extension) {
  fs::path out = input;
  out.replace_filename(input.stem().string() + "." + suffix + "." + std::string(extension));
  return out;
}

Status Run(const RedactOptions& o, const Translator& t) {
  if (!o.faces && o.regions.empty()) {
    return Error(Code::kUsage, "say what to hide: --faces, or --region x,y,w,h (several allowed)");
  }
  std::vector<RegionSpec> specs;
  for (const auto& r : o.regions) {
    REMPART_ASSIGN_OR_RETURN(RegionSpec spec, ParseRegionSpec(r));
    specs.push_back(spec);
  }
  REMPART_ASSIGN_OR_RETURN(FileSource input, FileSource::Open(o.file));
  REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, input.Read(0, input.size(), kMaxPhotoBytes));
  const MediaFormat format = SniffMediaFormat(bytes);
  if (format == MediaFormat::kMp4 || format == MediaFormat::kMov) {
    return Error(Code::kInvalidInput, "redact works on photos; for a video, take a still first");
  }
  REMPART_ASSIGN_OR_RETURN(Image image, DecodeImage(bytes));  // upright: orientation applied

  std::vector<Box> faces, boxes;
  if (o.faces) {
    FaceDetector detector;
    REMPART_ASSIGN_OR_RETURN(faces, detector.Detect(image));
  }
  boxes = faces;
  for (const RegionSpec& spec : specs) {
    REMPART_ASSIGN_OR_RETURN(Box box, ResolveRegion(spec, image.width, image.height));
    boxes.push_back(box);
  }
  if (boxes.empty()) {
    return Error(Code::kNotFound,
                 "no face was found, so nothing was hidden; check with --preview and add "
                 "--region x,y,w,h for what must go");
  }

  fs::path output;
  if (o.preview) {
    output = o.out ? fs::path(*o.out) : DefaultOutput(o.file, "preview", "png");
    REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> png,
                             EncodeImage(DrawPreview(image, boxes), MediaFormat::kPng));
    REMPART_RETURN_IF_ERROR(WriteOutput(output, png, o.force));
  } else {
    uint64_t seed = 0;
    randombytes_buf(&seed, sizeof seed);
    Redact(image, boxes, o.style == "solid" ? RedactStyle::kSolid : RedactStyle::kPixelate, seed);
    const MediaFormat out_format = ReencodeFormatFor(format, image);
    output =
        o.out ? fs::path(*o.out) : DefaultOutput(o.file, "redacted", FileExtensionFor(out_format));
    REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> encoded, EncodeImage(image, out_format));
    // Re-encoding writes no metadata; checking it keeps that promise if the encoder changes.
    MemorySource written(encoded);
    REMPART_ASSIGN_OR_RETURN(PrivacyReport after, InspectMedia(written));
    if (!after.IsClean()) return Error(Code::kFailed, "the redacted photo still carries metadata");
    REMPART_RETURN_IF_ERROR(WriteOutput(output, encoded, o.force));
  }

  if (o.json) {
    nlohmann::json j = {{"file", o.file}, {"output", output.string()}, {"preview", o.preview}};
    j["faces"] = nlohmann::json::array();
    for (const Box& b : faces) j["faces"].push_back(BoxJson(b));
    j["boxes"] = nlohmann::json::array();
    for (const Box& b : boxes) j["boxes"].push_back(BoxJson(b));
    std::cout << j.dump(2) << "\n";
    return Status::Ok();
  }
  if (o.faces) std::cout << t.trf("Faces found: {}", faces.size()) << "\n";
  for (size_t i = 0; i < boxes.size(); ++i) {
    const Box& b = boxes[i];
    std::cout << "  " << (i + 1) << ": " << b.x << "," << b.y << "," << b.width << "," << b.height
              << (i < faces.size() ? " (" + t.tr("face") + ")" : std::string()) << "\n";
  }
  std::cout << (o.preview
                    ? t.trf("Preview written to {}: check every box before publishing",
                            output.string())
                    : t.trf("Redacted photo written to {}, without metadata", output.string()))
            << "\n";
  return Status::Ok();
}

}  // namespace

void RegisterRedact(CLI::App& app, Context& ctx) {
  const Translator& t = ctx.t;
  auto o = std::make_shared<RedactOptions>();
  auto* cmd =
      app.add_subcommand("redact", t.tr("Hide faces, tattoos or backgrounds in a photo for good"));
  cmd->add_option("file", o->file, t.tr("The photo"))->required();
  cmd->add_flag("--faces", o->faces, t.tr("Hide every face found"));
  cmd->add_option("--region", o->regions,
                  t.tr("Also hide this area: x,y,width,height in pixels or % (repeatable)"));
  cmd->add_option("--style", o->style, t.tr("pixelate (default) or solid"))
      ->check(CLI::IsMember({"pixelate", "solid"}));
  cmd->add_flag("--preview", o->preview,
                t.tr("Write a PNG with the boxes drawn instead, to check before redacting"));
  cmd->add_option("--out", o->out, t.tr("Output file (default: NAME.redacted.EXT)"));
  cmd->add_flag("--force", o->force, t.tr("Replace an existing output file"));
  cmd->add_flag("--json", o->json, t.tr("Print JSON"));
  cmd->callback([&ctx, o] { ctx.run = [&ctx, o] { return Run(*o, ctx.t); }; });
}

}  // namespace rempart::cli
