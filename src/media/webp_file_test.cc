#include <gtest/gtest.h>
#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>

#include <cstring>
#include <string>
#include <vector>

#include "media/container_test_fixtures.h"
#include "media/media_format.h"
#include "media/metadata_blocks.h"

namespace rempart {
namespace {

using namespace std::string_literals;
using testing::Describe;
using testing::FindField;
using testing::Le32;
using testing::Span;

constexpr uint8_t kFlagIcc = 0x20, kFlagAlpha = 0x10, kFlagExif = 0x08, kFlagXmp = 0x04,
                  kFlagAnimation = 0x02;

std::string Le24(uint32_t v) { return Le32(v).substr(0, 3); }

std::string Chunk(std::string_view fourcc, std::string_view data) {
  std::string out =
      std::string(fourcc) + Le32(static_cast<uint32_t>(data.size())) + std::string(data);
  if (data.size() & 1) out += '\0';
  return out;
}

std::string Riff(const std::string& chunks) {
  return "RIFF" + Le32(static_cast<uint32_t>(4 + chunks.size())) + "WEBP" + chunks;
}

std::string Vp8x(uint8_t flags, int width, int height) {
  return Chunk("VP8X", std::string(1, static_cast<char>(flags)) + "\0\0\0"s +
                           Le24(static_cast<uint32_t>(width - 1)) +
                           Le24(static_cast<uint32_t>(height - 1)));
}

std::vector<uint8_t> TestPixels(int width, int height, int seed = 0) {
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * 4);
  for (size_t i = 0; i < pixels.size(); ++i)
    pixels[i] = (i % 4 == 3) ? 255 : static_cast<uint8_t>(i * 5 + i / 61 + seed);
  return pixels;
}

// A simple (VP8 or VP8L only) WebP file.
std::string Encode(int width, int height, bool lossless, int seed = 0) {
  const auto pixels = TestPixels(width, height, seed);
  uint8_t* out = nullptr;
  size_t size = lossless ? WebPEncodeLosslessRGBA(pixels.data(), width, height, width * 4, &out)
                         : WebPEncodeRGBA(pixels.data(), width, height, width * 4, 80, &out);
  EXPECT_GT(size, 0u);
  std::string file(reinterpret_cast<char*>(out), size);
  WebPFree(out);
  return file;
}

// The bitstream chunk of a simple file.
std::string Bitstream(const std::string& simple) { return simple.substr(12); }

struct Decoded {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;
  bool operator==(const Decoded&) const = default;
};

Decoded Decode(const std::string& webp) {
  Decoded d;
  uint8_t* rgba = WebPDecodeRGBA(reinterpret_cast<const uint8_t*>(webp.data()), webp.size(),
                                 &d.width, &d.height);
  if (rgba == nullptr) return {};
  d.rgba.assign(rgba, rgba + static_cast<size_t>(d.width) * d.height * 4);
  WebPFree(rgba);
  return d;
}

// Every frame of an animation, composed on the canvas, with its timestamp.
std::vector<std::pair<int, std::vector<uint8_t>>> DecodeFrames(const std::string& webp) {
  WebPData data{reinterpret_cast<const uint8_t*>(webp.data()), webp.size()};
  WebPAnimDecoderOptions options;
  WebPAnimDecoderOptionsInit(&options);
  WebPAnimDecoder* decoder = WebPAnimDecoderNew(&data, &options);
  std::vector<std::pair<int, std::vector<uint8_t>>> frames;
  if (decoder == nullptr) return frames;
  WebPAnimInfo info;
  WebPAnimDecoderGetInfo(decoder, &info);
  while (WebPAnimDecoderHasMoreFrames(decoder)) {
    uint8_t* buffer = nullptr;
    int timestamp = 0;
    if (!WebPAnimDecoderGetNext(decoder, &buffer, &timestamp)) break;
    frames.emplace_back(
        timestamp,
        std::vector<uint8_t>(buffer, buffer + size_t{info.canvas_width} * info.canvas_height * 4));
  }
  WebPAnimDecoderDelete(decoder);
  return frames;
}

struct ChunkInfo {
  std::string fourcc;
  std::string data;
};

std::vector<ChunkInfo> Chunks(const std::string& webp, size_t begin = 12, size_t end = 0) {
  if (end == 0) end = webp.size();
  std::vector<ChunkInfo> out;
  for (size_t pos = begin; pos + 8 <= end;) {
    const auto* p = reinterpret_cast<const uint8_t*>(webp.data() + pos + 4);
    const uint32_t size = p[0] | p[1] << 8 | p[2] << 16 | uint32_t{p[3]} << 24;
    out.push_back({webp.substr(pos, 4), webp.substr(pos + 8, size)});
    pos += 8 + size + (size & 1);
  }
  return out;
}

std::string Fourccs(const std::string& webp) {
  std::string out;
  for (const auto& c : Chunks(webp)) out += c.fourcc + "|";
  return out;
}

uint8_t Flags(const std::string& webp) { return static_cast<uint8_t>(webp.at(20)); }

uint32_t RiffSize(const std::string& webp) {
  const auto* p = reinterpret_cast<const uint8_t*>(webp.data() + 4);
  return p[0] | p[1] << 8 | p[2] << 16 | uint32_t{p[3]} << 24;
}

Result<std::string> Scrub(const std::string& webp, ScrubOptions options = {}) {
  MemorySource source(Span(webp));
  REMPART_ASSIGN_OR_RETURN(EditPlan plan, PlanWebpScrub(source, options));
  return ApplyPlanToString(source, plan);
}

Result<PrivacyReport> Inspect(const std::string& webp) {
  MemorySource source(Span(webp));
  return InspectWebp(source);
}

std::string FakeIcc() { return std::string(131, 'c'); }  // odd: needs a pad byte

// An extended lossy file with a colour profile, EXIF (with GPS), XMP, an unknown chunk and
// bytes after the RIFF data.
std::string DirtyWebp(uint16_t orientation = 1, bool exif_prefix = false) {
  const std::string image = Encode(48, 32, false);
  std::string exif = testing::ExifWithGps(orientation);
  if (exif_prefix) exif = "Exif\0\0"s + exif;
  return Riff(Vp8x(kFlagIcc | kFlagExif | kFlagXmp, 48, 32) + Chunk("ICCP", FakeIcc()) +
              Chunk("JUNK", "who made it") + Bitstream(image) + Chunk("EXIF", exif) +
              Chunk("XMP ", testing::XmpPacket() + " ")) +
         "appended";
}

TEST(WebpFile, InspectsEveryKindOfMetadata) {
  for (bool prefix : {false, true}) {
    auto report = Inspect(DirtyWebp(1, prefix));
    ASSERT_TRUE(report.ok()) << report.status().message();
    SCOPED_TRACE(Describe(*report));
    EXPECT_EQ(report->format, "webp");
    EXPECT_EQ(report->width, 48);
    EXPECT_EQ(report->height, 32);
    EXPECT_TRUE(report->has_icc_profile);
    ASSERT_TRUE(report->location.has_value());
    EXPECT_NEAR(report->location->latitude, 48.8566, 1e-3);
    EXPECT_EQ(FindField(*report, "Make")->value, "Canon");
    EXPECT_NE(FindField(*report, "Creator"), nullptr);
    EXPECT_EQ(FindField(*report, "JUNK")->kind, FindingKind::kOther);
    EXPECT_EQ(FindField(*report, "AppendedData")->value, "8 bytes");
  }
}

TEST(WebpFile, SizeComesFromTheBitstreamInSimpleFiles) {
  for (bool lossless : {false, true}) {
    auto report = Inspect(Encode(37, 21, lossless));
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->width, 37);
    EXPECT_EQ(report->height, 21);
    EXPECT_TRUE(report->IsClean()) << Describe(*report);
  }
}

TEST(WebpFile, ScrubKeepsTheBitstreamAndFixesFlagsAndSize) {
  const std::string webp = DirtyWebp();
  auto clean = Scrub(webp);
  ASSERT_TRUE(clean.ok()) << clean.status().message();
  EXPECT_EQ(Fourccs(*clean), "VP8X|ICCP|VP8 |");
  EXPECT_EQ(Flags(*clean), kFlagIcc);
  EXPECT_EQ(RiffSize(*clean), clean->size() - 8);
  EXPECT_EQ(Chunks(*clean)[2].data, Chunks(Encode(48, 32, false))[0].data);
  EXPECT_EQ(Chunks(*clean)[1].data, FakeIcc());
  const Decoded pixels = Decode(*clean);
  ASSERT_FALSE(pixels.rgba.empty());
  EXPECT_EQ(pixels, Decode(webp));
  auto report = Inspect(*clean);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->IsClean()) << Describe(*report);
  EXPECT_TRUE(report->has_icc_profile);

  auto stripped = Scrub(webp, {.strip_icc = true});
  ASSERT_TRUE(stripped.ok());
  EXPECT_EQ(Fourccs(*stripped), "VP8X|VP8 |");
  EXPECT_EQ(Flags(*stripped), 0);
  EXPECT_EQ(Decode(*stripped), pixels);
}

TEST(WebpFile, OrientationSurvivesAsTheOnlyExifTag) {
  const std::string webp = DirtyWebp(8, true);
  auto before = Inspect(webp);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->orientation, 8);
  auto clean = Scrub(webp);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(Fourccs(*clean), "VP8X|ICCP|VP8 |EXIF|");
  EXPECT_EQ(Flags(*clean), kFlagIcc | kFlagExif);
  EXPECT_EQ(Chunks(*clean)[3].data, BuildOrientationExif(8));
  EXPECT_EQ(RiffSize(*clean), clean->size() - 8);
  auto after = Inspect(*clean);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->orientation, 8);
  EXPECT_TRUE(after->IsClean()) << Describe(*after);
  EXPECT_EQ(Decode(*clean), Decode(webp));
}

TEST(WebpFile, SimpleFilesStaySimple) {
  for (bool lossless : {false, true}) {
    const std::string simple = Encode(20, 20, lossless);
    MemorySource source(Span(simple));
    auto plan = PlanWebpScrub(source, {});
    ASSERT_TRUE(plan.ok());
    EXPECT_TRUE(plan->IsIdentity(simple.size()));

    // Metadata where a simple file should have none, and bytes after it.
    const std::string dirty =
        Riff(Bitstream(simple) + Chunk("EXIF", testing::ExifWithGps(6)) + Chunk("JUNK", "x")) +
        "tail";
    auto report = Inspect(dirty);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->location.has_value());
    auto clean = Scrub(dirty);
    ASSERT_TRUE(clean.ok());
    EXPECT_EQ(*clean, simple);
  }
}

TEST(WebpFile, UnchangedExtendedFileIsACopy) {
  const std::string webp =
      Riff(Vp8x(kFlagIcc, 48, 32) + Chunk("ICCP", FakeIcc()) + Bitstream(Encode(48, 32, false)));
  MemorySource source(Span(webp));
  auto plan = PlanWebpScrub(source, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->IsIdentity(webp.size()));
}

TEST(WebpFile, MissingPadByteAtTheEndIsTolerated) {
  std::string xmp = testing::XmpPacket();
  if (xmp.size() % 2 == 0) xmp += ' ';
  std::string webp =
      Riff(Vp8x(kFlagXmp, 48, 32) + Bitstream(Encode(48, 32, false)) + Chunk("XMP ", xmp));
  webp.pop_back();  // the pad byte
  webp.replace(4, 4, Le32(static_cast<uint32_t>(webp.size() - 8)));
  ASSERT_TRUE(Inspect(webp).ok());
  auto clean = Scrub(webp);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(Fourccs(*clean), "VP8X|VP8 |");
  EXPECT_EQ(RiffSize(*clean), clean->size() - 8);
}

std::string Frame(int x, int y, int width, int height, int duration, const std::string& chunks) {
  return Chunk("ANMF", Le24(static_cast<uint32_t>(x / 2)) + Le24(static_cast<uint32_t>(y / 2)) +
                           Le24(static_cast<uint32_t>(width - 1)) +
                           Le24(static_cast<uint32_t>(height - 1)) +
                           Le24(static_cast<uint32_t>(duration)) + "\0"s + chunks);
}

TEST(WebpFile, AnimationKeepsAnimatingAndLosesFrameJunk) {
  const std::string frame1 = Bitstream(Encode(32, 24, true, 1));
  const std::string frame2 = Bitstream(Encode(16, 12, true, 2));
  const std::string webp = Riff(Vp8x(kFlagAnimation | kFlagAlpha | kFlagExif, 32, 24) +
                                Chunk("ANIM", "\0\0\0\0\0\0"s) + Frame(0, 0, 32, 24, 100, frame1) +
                                Frame(8, 6, 16, 12, 150, frame2 + Chunk("JUNK", "odd")) +
                                Chunk("EXIF", testing::ExifWithGps()));
  const auto frames = DecodeFrames(webp);
  ASSERT_EQ(frames.size(), 2u);
  auto report = Inspect(webp);
  ASSERT_TRUE(report.ok());
  EXPECT_NE(FindField(*report, "JUNK", "WebP frame"), nullptr) << Describe(*report);
  auto clean = Scrub(webp);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(Fourccs(*clean), "VP8X|ANIM|ANMF|ANMF|");
  EXPECT_EQ(Flags(*clean), kFlagAnimation | kFlagAlpha);
  EXPECT_EQ(RiffSize(*clean), clean->size() - 8);
  EXPECT_EQ(DecodeFrames(*clean), frames);
  const auto chunks = Chunks(*clean);
  EXPECT_EQ(chunks[2].data.substr(16), frame1);
  EXPECT_EQ(chunks[3].data.substr(16), frame2);
  report = Inspect(*clean);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->IsClean()) << Describe(*report);
}

// Cleaning a cleaned file must change nothing, so the CLI can say "nothing to clean".
TEST(WebpFile, ScrubbingTwiceChangesNothing) {
  const std::string animation =
      Riff(Vp8x(kFlagAnimation, 32, 24) + Chunk("ANIM", "\0\0\0\0\0\0"s) +
           Frame(0, 0, 32, 24, 100, Bitstream(Encode(32, 24, true)) + Chunk("JUNK", "x")));
  for (const std::string& webp : {DirtyWebp(), DirtyWebp(5), animation}) {
    auto clean = Scrub(webp);
    ASSERT_TRUE(clean.ok());
    MemorySource source(Span(*clean));
    auto plan = PlanWebpScrub(source, {});
    ASSERT_TRUE(plan.ok());
    EXPECT_TRUE(plan->IsIdentity(clean->size()));
  }
}

TEST(WebpFile, RiffSizeLiesAreRefusedOrReported) {
  const std::string webp = DirtyWebp();
  const size_t riff_end = webp.size() - 8;  // before "appended"
  std::string longer = webp;
  longer.replace(4, 4, Le32(0xFFFFFFF0u));
  EXPECT_EQ(Inspect(longer).status().code(), Code::kInvalidInput);
  EXPECT_FALSE(Scrub(longer).ok());
  std::string shorter = webp;
  shorter.replace(4, 4, Le32(static_cast<uint32_t>(riff_end - 8 - 10)));  // cuts the XMP chunk
  EXPECT_EQ(Inspect(shorter).status().code(), Code::kInvalidInput);
  EXPECT_FALSE(Scrub(shorter).ok());
  std::string tiny = webp;
  tiny.replace(4, 4, Le32(4));
  EXPECT_FALSE(Inspect(tiny).ok());
  EXPECT_FALSE(Scrub(tiny).ok());
}

TEST(WebpFile, HostileChunksAreRefused) {
  const std::string image = Bitstream(Encode(8, 8, false));
  // A chunk claiming 4 GiB.
  std::string huge = Riff(Vp8x(0, 8, 8) + image + "JUNK" + Le32(0xFFFFFFFFu) + "data");
  EXPECT_EQ(Inspect(huge).status().code(), Code::kInvalidInput);
  EXPECT_FALSE(Scrub(huge).ok());
  // No image header first; a VP8X too short; no picture at all.
  EXPECT_FALSE(Inspect(Riff(Chunk("JUNK", "x") + image)).ok());
  EXPECT_FALSE(Inspect(Riff(Chunk("VP8X", "abc") + image)).ok());
  EXPECT_FALSE(Scrub(Riff(Vp8x(0, 8, 8) + Chunk("EXIF", "x"))).ok());
  // An animation frame too short to hold its header.
  EXPECT_FALSE(Inspect(Riff(Vp8x(kFlagAnimation, 8, 8) + Chunk("ANMF", "short"))).ok());
  EXPECT_FALSE(Scrub(Riff(Vp8x(kFlagAnimation, 8, 8) + Chunk("ANMF", "short"))).ok());
  // Not WebP at all.
  EXPECT_FALSE(Inspect("RIFF\0\0\0\0AVI "s).ok());
}

TEST(WebpFile, EveryTruncationFailsCleanly) {
  const std::string webp = DirtyWebp(3);
  for (size_t n = 0; n < webp.size(); ++n) {
    const std::string cut = webp.substr(0, n);
    auto report = Inspect(cut);
    auto clean = Scrub(cut);
    EXPECT_EQ(report.ok(), clean.ok()) << n;
    if (n < webp.size() - 8) {
      EXPECT_FALSE(report.ok()) << n;
      EXPECT_EQ(report.status().code(), Code::kInvalidInput) << n;
    } else {
      EXPECT_TRUE(clean.ok()) << n;
    }
  }
}

void CheckTestFile(const std::string& relative, const std::string& out_name) {
  const std::string path = testing::TestdataPath(relative);
  auto bytes = testing::ReadFile(path);
  if (!bytes) GTEST_SKIP() << "test file missing: " << path;
  auto source = FileSource::Open(path);
  ASSERT_TRUE(source.ok());
  auto report = InspectWebp(*source);
  ASSERT_TRUE(report.ok()) << report.status().message();
  auto plan = PlanWebpScrub(*source, {});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  auto clean = ApplyPlanToString(*source, *plan);
  ASSERT_TRUE(clean.ok());
  const Decoded pixels = Decode(*clean);
  ASSERT_FALSE(pixels.rgba.empty());
  EXPECT_EQ(pixels, Decode(*bytes));
  EXPECT_EQ(RiffSize(*clean), clean->size() - 8);
  auto after = Inspect(*clean);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->IsClean()) << Describe(*after);
  EXPECT_EQ(after->orientation, report->orientation);
  testing::WriteScrubbed(out_name, *clean);
}

TEST(WebpFile, SyntheticPhoto) {
  CheckTestFile("media/synthetic/photo.webp", "scrubbed-photo.webp");
}
TEST(WebpFile, Mat2DirtyWebp) {
  CheckTestFile("media/mat2-tests/dirty.webp", "scrubbed-dirty.webp");
}

}  // namespace
}  // namespace rempart
