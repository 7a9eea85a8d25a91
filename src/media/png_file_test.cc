#include <gtest/gtest.h>
#include <png.h>
#include <zlib.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "media/container_test_fixtures.h"
#include "media/media_format.h"
#include "media/metadata_blocks.h"

namespace rempart {
namespace {

using namespace std::string_literals;
using testing::Be32;
using testing::Describe;
using testing::FindField;
using testing::HasKind;
using testing::Span;

constexpr size_t kIhdrEnd = 8 + 12 + 13;

std::string Chunk(std::string_view type, std::string_view data) {
  std::string body = std::string(type) + std::string(data);
  uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size());
  return Be32(static_cast<uint32_t>(data.size())) + body + Be32(crc);
}

std::string Deflate(std::string_view text) {
  uLongf size = compressBound(text.size());
  std::string out(size, '\0');
  EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                      reinterpret_cast<const Bytef*>(text.data()), text.size(), 9),
            Z_OK);
  out.resize(size);
  return out;
}

std::string Text(std::string_view keyword, std::string_view text) {
  return Chunk("tEXt", std::string(keyword) + '\0' + std::string(text));
}
std::string ZText(std::string_view keyword, std::string_view text) {
  return Chunk("zTXt", std::string(keyword) + "\0\0"s + Deflate(text));
}
std::string IText(std::string_view keyword, std::string_view text, bool compressed) {
  return Chunk("iTXt", std::string(keyword) + '\0' + (compressed ? "\1\0"s : "\0\0"s) + "fr\0\0"s +
                           (compressed ? Deflate(text) : std::string(text)));
}

// ImageMagick's hex dump of a profile, as written in "Raw profile type NAME".
std::string RawProfile(std::string_view name, std::string_view bytes) {
  std::string out = "\n" + std::string(name) + "\n" + std::to_string(bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i % 36 == 0) out += '\n';
    out += kHex[static_cast<uint8_t>(bytes[i]) >> 4];
    out += kHex[static_cast<uint8_t>(bytes[i]) & 15];
  }
  return out + "\n";
}

std::vector<uint8_t> TestPixels(int width, int height) {
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * 4);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>(i * 7 + i / 97);
  return pixels;
}

std::string EncodePng(int width, int height) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_RGBA;
  const auto pixels = TestPixels(width, height);
  png_alloc_size_t size = 0;
  EXPECT_TRUE(png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr));
  std::string out(size, '\0');
  EXPECT_TRUE(png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), 0, nullptr));
  out.resize(size);
  return out;
}

// Decoded RGBA pixels, or an empty vector when libpng refuses the file.
std::vector<uint8_t> Decode(const std::string& png) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) return {};
  image.format = PNG_FORMAT_RGBA;
  std::vector<uint8_t> pixels(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) return {};
  return pixels;
}

struct ChunkInfo {
  std::string type;
  std::string data;
};

std::vector<ChunkInfo> Chunks(const std::string& png) {
  std::vector<ChunkInfo> out;
  for (size_t pos = 8; pos + 12 <= png.size();) {
    const auto* p = reinterpret_cast<const uint8_t*>(png.data() + pos);
    const uint32_t length = uint32_t{p[0]} << 24 | p[1] << 16 | p[2] << 8 | p[3];
    out.push_back({png.substr(pos + 4, 4), png.substr(pos + 8, length)});
    pos += 12 + length;
  }
  return out;
}

std::string Types(const std::string& png) {
  std::string out;
  for (const auto& c : Chunks(png)) out += c.type + " ";
  return out;
}

std::string Idat(const std::string& png) {
  std::string out;
  for (const auto& c : Chunks(png))
    if (c.type == "IDAT") out += c.data;
  return out;
}

std::string Insert(std::string png, size_t at, const std::string& chunks) {
  png.insert(at, chunks);
  return png;
}

// A PNG carrying every kind of metadata the parser knows, plus bytes after IEND.
std::string DirtyPng(uint16_t orientation = 1) {
  std::string meta = Text("Author", "Jane Doe") + Text("Copyright", "(c) Jane") +
                     Text("Software", "GIMP 2.10") + Text("Creation Time", "2024-05-01 21:10") +
                     Text("Make", "Apple") + Text("Model", "iPhone 13") +
                     Text("Comment", "room 12, hotel\x1B[31m") + ZText("Description", "private") +
                     IText("Title", "Ma photo", true) +
                     IText("XML:com.adobe.xmp", testing::XmpPacket(), false) +
                     Chunk("eXIf", testing::ExifWithGps(orientation)) +
                     Chunk("tIME", "\x07\xE2\x03\x14\x15\x3B\x19"s) +
                     Chunk("pHYs", "\0\0\x0B\x13\0\0\x0B\x13\x01"s) + Chunk("gAMA", Be32(45455)) +
                     Chunk("prVt", "secret");
  return Insert(EncodePng(40, 30), kIhdrEnd, meta) + "trailing motion photo";
}

std::string IccChunk(std::string_view name) {
  return Chunk("iCCP", std::string(name) + "\0\0"s + Deflate(std::string(200, 'p')));
}

Result<std::string> Scrub(const std::string& png, ScrubOptions options = {}) {
  MemorySource source(Span(png));
  REMPART_ASSIGN_OR_RETURN(EditPlan plan, PlanPngScrub(source, options));
  return ApplyPlanToString(source, plan);
}

Result<PrivacyReport> Inspect(const std::string& png) {
  MemorySource source(Span(png));
  return InspectPng(source);
}

TEST(PngFile, InspectsEveryKindOfMetadata) {
  const std::string png = DirtyPng();
  auto report = Inspect(png);
  ASSERT_TRUE(report.ok()) << report.status().message();
  SCOPED_TRACE(Describe(*report));
  EXPECT_EQ(report->format, "png");
  EXPECT_EQ(report->width, 40);
  EXPECT_EQ(report->height, 30);
  EXPECT_EQ(FindField(*report, "Author")->kind, FindingKind::kPerson);
  EXPECT_EQ(FindField(*report, "Author")->value, "Jane Doe");
  EXPECT_EQ(FindField(*report, "Copyright")->kind, FindingKind::kPerson);
  EXPECT_EQ(FindField(*report, "Software")->kind, FindingKind::kSoftware);
  EXPECT_EQ(FindField(*report, "CreationTime")->kind, FindingKind::kDate);
  EXPECT_EQ(FindField(*report, "Make")->kind, FindingKind::kDevice);
  EXPECT_EQ(FindField(*report, "Comment")->kind, FindingKind::kText);
  // The escape sequence must not reach a terminal.
  EXPECT_EQ(FindField(*report, "Comment")->value.find('\x1B'), std::string::npos);
  EXPECT_EQ(FindField(*report, "Description")->value, "private");
  EXPECT_EQ(FindField(*report, "Title")->value, "Ma photo");
  ASSERT_NE(FindField(*report, "Creator"), nullptr);  // from XMP
  EXPECT_EQ(FindField(*report, "ModifyDate", "PNG")->value, "2018:03:20 21:59:25");
  EXPECT_EQ(FindField(*report, "prVt")->kind, FindingKind::kOther);
  EXPECT_EQ(FindField(*report, "AppendedData")->value, "21 bytes");
  ASSERT_TRUE(report->location.has_value());  // from eXIf
  EXPECT_NEAR(report->location->latitude, 48.8566, 1e-3);
  EXPECT_NEAR(report->location->longitude, 2.3522, 1e-3);
  EXPECT_FALSE(report->IsClean());
  EXPECT_FALSE(report->has_icc_profile);
}

TEST(PngFile, ScrubKeepsPixelsAndImageDataAndDropsMetadata) {
  const std::string png = DirtyPng();
  auto clean = Scrub(png);
  ASSERT_TRUE(clean.ok()) << clean.status().message();
  EXPECT_EQ(Types(*clean), "IHDR pHYs gAMA sRGB IDAT IEND ");
  EXPECT_EQ(Idat(*clean), Idat(png));
  const auto pixels = Decode(*clean);
  ASSERT_FALSE(pixels.empty());
  EXPECT_EQ(pixels, Decode(png));
  EXPECT_EQ(pixels, TestPixels(40, 30));
  auto report = Inspect(*clean);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->IsClean()) << Describe(*report);
  EXPECT_EQ(report->orientation, 1);
}

TEST(PngFile, ScrubOfACleanFileIsACopy) {
  const std::string png = EncodePng(16, 16);
  MemorySource source(Span(png));
  auto plan = PlanPngScrub(source, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->IsIdentity(png.size()));
}

// Cleaning a cleaned file must change nothing, so the CLI can say "nothing to clean".
TEST(PngFile, ScrubbingTwiceChangesNothing) {
  for (const std::string& png :
       {DirtyPng(), DirtyPng(6), Insert(EncodePng(8, 8), kIhdrEnd, IccChunk("My screen"))}) {
    auto clean = Scrub(png);
    ASSERT_TRUE(clean.ok());
    MemorySource source(Span(*clean));
    auto plan = PlanPngScrub(source, {});
    ASSERT_TRUE(plan.ok());
    EXPECT_TRUE(plan->IsIdentity(clean->size()));
  }
}

TEST(PngFile, OrientationSurvivesAsTheOnlyExifTag) {
  const std::string png = DirtyPng(6);
  auto before = Inspect(png);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->orientation, 6);
  auto clean = Scrub(png);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(Types(*clean), "IHDR eXIf pHYs gAMA sRGB IDAT IEND ");
  EXPECT_EQ(Chunks(*clean)[1].data, BuildOrientationExif(6));
  auto after = Inspect(*clean);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->orientation, 6);
  EXPECT_TRUE(after->IsClean()) << Describe(*after);
  EXPECT_EQ(Decode(*clean), TestPixels(40, 30));
}

TEST(PngFile, RawProfilesAreDecoded) {
  const std::string exif = "Exif\0\0"s + testing::ExifWithGps();
  const std::string png =
      Insert(EncodePng(8, 8), kIhdrEnd,
             ZText("Raw profile type exif", RawProfile("exif", exif)) +
                 Text("Raw profile type xmp", RawProfile("xmp", testing::XmpPacket())));
  auto report = Inspect(png);
  ASSERT_TRUE(report.ok());
  SCOPED_TRACE(Describe(*report));
  EXPECT_TRUE(report->location.has_value());
  EXPECT_NE(FindField(*report, "Make"), nullptr);
  EXPECT_NE(FindField(*report, "Creator"), nullptr);
  EXPECT_EQ(report->orientation, 1);  // orientation only counts in eXIf
  auto clean = Scrub(png);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(Types(*clean), "IHDR sRGB IDAT IEND ");
}

TEST(PngFile, ColourProfileIsKeptAndItsNameNeutralised) {
  const std::string usual = Insert(EncodePng(8, 8), kIhdrEnd, IccChunk("sRGB IEC61966-2.1"));
  auto report = Inspect(usual);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->has_icc_profile);
  EXPECT_TRUE(report->IsClean()) << Describe(*report);
  auto kept = Scrub(usual);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, usual);

  const std::string named = Insert(EncodePng(8, 8), kIhdrEnd, IccChunk("Jane's MacBook Pro"));
  report = Inspect(named);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(FindField(*report, "ProfileName")->value, "Jane's MacBook Pro");
  auto renamed = Scrub(named);
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(*renamed, Insert(EncodePng(8, 8), kIhdrEnd, IccChunk("ICC Profile")));
  report = Inspect(*renamed);  // its CRC is right, or this would report damage
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->IsClean()) << Describe(*report);
  EXPECT_TRUE(report->has_icc_profile);

  auto stripped = Scrub(named, {.strip_icc = true});
  ASSERT_TRUE(stripped.ok());
  EXPECT_EQ(*stripped, EncodePng(8, 8));
}

TEST(PngFile, AnimationChunksAreKeptInOrder) {
  const std::string png = EncodePng(8, 8);
  std::string apng = Insert(png, kIhdrEnd, Chunk("acTL", Be32(2) + Be32(0)) + Text("Author", "x"));
  apng = Insert(apng, apng.find("IDAT") - 4, Chunk("fcTL", std::string(26, '\0')));
  apng = Insert(apng, apng.find("IEND") - 4,
                Chunk("fcTL", std::string(26, '\1')) + Chunk("fdAT", Be32(2) + "zz"));
  auto clean = Scrub(apng);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(Types(*clean), "IHDR acTL sRGB fcTL IDAT fcTL fdAT IEND ");
}

TEST(PngFile, DamagedMetadataChunkIsReportedAndDropped) {
  std::string bad = Text("Author", "Jane Doe");
  bad.back() ^= 1;
  const std::string png = Insert(EncodePng(8, 8), kIhdrEnd, bad);
  auto report = Inspect(png);
  ASSERT_TRUE(report.ok());
  EXPECT_NE(FindField(*report, "tEXt"), nullptr) << Describe(*report);
  EXPECT_NE(FindField(*report, "Author"), nullptr);  // still shown: it is still readable
  auto clean = Scrub(png);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(*clean, EncodePng(8, 8));
}

TEST(PngFile, DamagedImageDataIsRefused) {
  std::string png = EncodePng(8, 8);
  png[png.find("IDAT") + 6] ^= 0x40;
  auto report = Inspect(png);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Code::kInvalidInput);
  EXPECT_NE(report.status().message().find("IDAT"), std::string::npos);
  EXPECT_FALSE(Scrub(png).ok());
}

TEST(PngFile, UnknownCriticalChunkIsNotCleaned) {
  const std::string png = Insert(EncodePng(8, 8), kIhdrEnd, Chunk("CgBI", "abcd"));
  auto report = Inspect(png);
  ASSERT_TRUE(report.ok());
  EXPECT_NE(FindField(*report, "CgBI"), nullptr);
  auto clean = Scrub(png);
  ASSERT_FALSE(clean.ok());
  EXPECT_EQ(clean.status().code(), Code::kInvalidInput);
}

TEST(PngFile, HostileLengthsAreRefused) {
  const std::string png = EncodePng(8, 8);
  for (uint32_t length : {0x80000000u, 0xFFFFFFFFu, 0x7FFFFFFFu, 1000000u}) {
    std::string bad = png;
    bad.replace(kIhdrEnd, 4, Be32(length));
    auto report = Inspect(bad);
    ASSERT_FALSE(report.ok()) << length;
    EXPECT_EQ(report.status().code(), Code::kInvalidInput);
    EXPECT_FALSE(Scrub(bad).ok());
  }
  // Not a PNG, or an IHDR that is not first.
  EXPECT_FALSE(Inspect("GIF89a").ok());
  EXPECT_FALSE(Inspect(png.substr(0, 8) + Text("Author", "x") + png.substr(8)).ok());
}

TEST(PngFile, EveryTruncationFailsCleanly) {
  const std::string png = DirtyPng(3);
  const size_t end = png.size() - std::string("trailing motion photo").size();
  for (size_t n = 0; n < png.size(); ++n) {
    const std::string cut = png.substr(0, n);
    auto report = Inspect(cut);
    auto clean = Scrub(cut);
    if (n < end) {
      ASSERT_FALSE(report.ok()) << n;
      EXPECT_EQ(report.status().code(), Code::kInvalidInput);
      ASSERT_FALSE(clean.ok()) << n;
    } else {
      ASSERT_TRUE(report.ok()) << n;
      ASSERT_TRUE(clean.ok()) << n;
      EXPECT_EQ(Decode(*clean), TestPixels(40, 30));
    }
  }
}

TEST(PngFile, CompressedTextBombsAreCapped) {
  // 64 MiB of spaces compress to about 64 KiB; ten of them would be 640 MiB.
  const std::string bomb_text(64 << 20, ' ');
  const std::string bomb = ZText("Comment", bomb_text);
  const std::string xmp_bomb = IText("XML:com.adobe.xmp", bomb_text, true);
  std::string chunks;
  for (int i = 0; i < 5; ++i) chunks += bomb + xmp_bomb;
  const std::string png = Insert(EncodePng(8, 8), kIhdrEnd, chunks);
  const auto start = std::chrono::steady_clock::now();
  auto report = Inspect(png);
  ASSERT_TRUE(report.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_NE(FindField(*report, "Comment"), nullptr) << Describe(*report);
  auto clean = Scrub(png);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(*clean, EncodePng(8, 8));
}

TEST(PngFile, DamagedCompressedTextIsReported) {
  std::string z = "Comment\0\0"s + Deflate("hello there");
  z.resize(z.size() - 3);
  const std::string png = Insert(EncodePng(8, 8), kIhdrEnd, Chunk("zTXt", z) + Chunk("tEXt", "x"));
  auto report = Inspect(png);
  ASSERT_TRUE(report.ok());
  EXPECT_NE(FindField(*report, "Comment"), nullptr) << Describe(*report);
}

// The shared test files, scrubbed: same pixels, nothing left to report. The scrubbed copies
// are left in the build directory for a look with `exiftool -G1 -a -s`.
void CheckTestFile(const std::string& relative, const std::string& out_name) {
  const std::string path = testing::TestdataPath(relative);
  auto bytes = testing::ReadFile(path);
  if (!bytes) GTEST_SKIP() << "test file missing: " << path;
  auto source = FileSource::Open(path);
  ASSERT_TRUE(source.ok());
  auto report = InspectPng(*source);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_FALSE(report->IsClean());
  auto plan = PlanPngScrub(*source, {});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  auto clean = ApplyPlanToString(*source, *plan);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(Idat(*clean), Idat(*bytes));
  const auto pixels = Decode(*clean);
  ASSERT_FALSE(pixels.empty());
  EXPECT_EQ(pixels, Decode(*bytes));
  auto after = Inspect(*clean);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->IsClean()) << Describe(*after);
  testing::WriteScrubbed(out_name, *clean);
}

TEST(PngFile, SyntheticPhoto) { CheckTestFile("media/synthetic/photo.png", "scrubbed-photo.png"); }
TEST(PngFile, Mat2DirtyPng) { CheckTestFile("media/mat2-tests/dirty.png", "scrubbed-dirty.png"); }

}  // namespace
}  // namespace rempart
