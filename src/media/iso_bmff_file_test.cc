#include <fcntl.h>
#include <gtest/gtest.h>
#include <libheif/heif.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>

#include "media/heif_meta.h"
#include "media/iso_bmff_test_files.h"
#include "media/media_format.h"

namespace rempart {
namespace {

using namespace bmff::testing;  // NOLINT: the builders read better unqualified

bool Has(const PrivacyReport& report, FindingKind kind, const std::string& field) {
  return std::any_of(report.findings.begin(), report.findings.end(),
                     [&](const Finding& f) { return f.kind == kind && f.field == field; });
}

std::string Describe(const PrivacyReport& report) {
  std::string out;
  for (const auto& f : report.findings) out += f.field + "=" + f.value + " [" + f.where + "]\n";
  return out;
}

Result<std::string> Scrub(const std::string& bytes, ScrubOptions options = {}) {
  MemorySource source(Span(bytes));
  REMPART_ASSIGN_OR_RETURN(EditPlan plan, PlanIsoBmffScrub(source, options));
  return ApplyPlanToString(source, plan);
}

bool AllZero(const std::string& bytes, uint64_t offset, uint64_t length) {
  return std::all_of(bytes.begin() + offset, bytes.begin() + offset + length,
                     [](char c) { return c == 0; });
}

// ---- the movie fixture ----

TEST(IsoBmffFile, InspectsAMovie) {
  Movie movie = BuildMovie();
  MemorySource source(Span(movie.bytes));
  auto report = InspectIsoBmff(source);
  ASSERT_TRUE(report.ok()) << report.status().message();
  SCOPED_TRACE(Describe(*report));
  EXPECT_EQ(report->format, "mp4");
  EXPECT_EQ(report->width, 640);
  EXPECT_EQ(report->height, 360);
  EXPECT_TRUE(Has(*report, FindingKind::kDate, "CreateDate"));
  EXPECT_TRUE(Has(*report, FindingKind::kDate, "TrackCreateDate"));
  EXPECT_TRUE(Has(*report, FindingKind::kDate, "MediaCreateDate"));
  EXPECT_TRUE(Has(*report, FindingKind::kLocation, "GPSCoordinates"));
  EXPECT_TRUE(Has(*report, FindingKind::kDevice, "Make"));
  EXPECT_TRUE(Has(*report, FindingKind::kDevice, "Model"));  // from Apple keys
  EXPECT_TRUE(Has(*report, FindingKind::kSerialNumber, "SerialNumberHash"));
  EXPECT_TRUE(Has(*report, FindingKind::kAppendedData, "Trailer"));
  auto date = std::find_if(report->findings.begin(), report->findings.end(),
                           [](const Finding& f) { return f.field == "CreateDate"; });
  EXPECT_EQ(date->value, "2024:05:01 21:10:00");
  ASSERT_TRUE(report->location);
  EXPECT_NEAR(report->location->latitude, 48.8566, 1e-6);
  EXPECT_NEAR(report->location->longitude, 2.3522, 1e-6);
}

TEST(IsoBmffFile, ScrubsAMovieWithoutMovingItsMedia) {
  Movie movie = BuildMovie();
  auto out = Scrub(movie.bytes);
  ASSERT_TRUE(out.ok()) << out.status().message();
  // Same layout up to the trailer, which is gone; frames where the chunk offset says.
  ASSERT_EQ(out->size(), movie.trailer);
  EXPECT_EQ(out->substr(movie.mdat_payload, sizeof kFrames - 1), kFrames);
  for (const char* secret : {"Apple", "48.8566", "Jane", "serial", "iPhone", "TRAILER"})
    EXPECT_EQ(out->find(secret), std::string::npos) << secret;
  MemorySource clean(Span(*out));
  auto report = InspectIsoBmff(clean);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->IsClean()) << Describe(*report);
  EXPECT_EQ(report->width, 640);
  // A second pass has nothing left to do but copy.
  MemorySource again(Span(*out));
  auto plan = PlanIsoBmffScrub(again, {});
  ASSERT_TRUE(plan.ok());
  auto twice = ApplyPlanToString(again, *plan);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(*twice, *out);
}

TEST(IsoBmffFile, ZeroesDatesOfVersion1Headers) {
  std::string mvhd = MakeFullBox(
      "mvhd", 1, 0,
      U64(kMovieTime) + U64(kMovieTime) + U32(1000) + U64(3000) + std::string(80, '\0'));
  std::string file =
      MakeBox("ftyp", "qt  " + U32(0) + "qt  ") + MakeBox("moov", mvhd) + MakeBox("mdat", kFrames);
  auto out = Scrub(file);
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->size(), file.size());
  const size_t dates = 20 + 8 + 8 + 4;  // ftyp, moov header, mvhd header, version/flags
  EXPECT_TRUE(AllZero(*out, dates, 16));
  EXPECT_EQ(out->substr(dates + 16), file.substr(dates + 16));
}

// ---- the HEIF fixture ----

TEST(IsoBmffFile, InspectsAHeifImage) {
  Heif heif = BuildHeif();
  MemorySource source(Span(heif.bytes));
  auto report = InspectIsoBmff(source);
  ASSERT_TRUE(report.ok()) << report.status().message();
  SCOPED_TRACE(Describe(*report));
  EXPECT_EQ(report->format, "heif");
  EXPECT_EQ(report->width, 1200);
  EXPECT_EQ(report->height, 800);
  EXPECT_EQ(report->orientation, 8);  // irot 1 = 90° anticlockwise
  EXPECT_TRUE(report->has_icc_profile);
  EXPECT_TRUE(Has(*report, FindingKind::kDevice, "Make"));
  EXPECT_TRUE(Has(*report, FindingKind::kPreview, "ThumbnailImage"));
  EXPECT_GE(report->findings.size(), 3u);
}

Result<bmff::HeifMeta> MetaOf(const std::string& file, const Heif& heif,
                              std::vector<uint8_t>& storage) {
  storage.assign(file.begin() + heif.meta, file.begin() + heif.meta + heif.meta_size);
  return bmff::ParseHeifMeta(storage);
}

TEST(IsoBmffFile, ScrubsAHeifImage) {
  Heif heif = BuildHeif();
  auto out = Scrub(heif.bytes);
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->size(), heif.bytes.size());
  EXPECT_EQ(out->substr(heif.primary, heif.primary_size),
            heif.bytes.substr(heif.primary, heif.primary_size));
  EXPECT_TRUE(AllZero(*out, heif.xmp, heif.xmp_size));
  EXPECT_TRUE(AllZero(*out, heif.thumbnail, heif.thumbnail_size));
  EXPECT_EQ(out->find("Canon"), std::string::npos);
  EXPECT_EQ(out->find("Jane"), std::string::npos);

  std::vector<uint8_t> storage;
  auto meta = MetaOf(*out, heif, storage);
  ASSERT_TRUE(meta.ok()) << meta.status().message();
  ASSERT_EQ(meta->items.size(), 1u);
  EXPECT_EQ(meta->items[0].id, 1u);
  ASSERT_EQ(meta->locations.size(), 1u);
  EXPECT_EQ(meta->locations[0].extents[0].offset, heif.primary);
  EXPECT_TRUE(meta->references.empty());
  ASSERT_EQ(meta->ipmas.size(), 1u);
  ASSERT_EQ(meta->ipmas[0].entries.size(), 1u);
  EXPECT_EQ(meta->ipmas[0].entries[0].associations.size(), 3u);
  EXPECT_EQ(meta->properties.size(), 4u);

  MemorySource clean(Span(*out));
  auto report = InspectIsoBmff(clean);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->IsClean()) << Describe(*report);
  EXPECT_EQ(report->orientation, 8);
  EXPECT_TRUE(report->has_icc_profile);
  EXPECT_EQ(report->width, 1200);
}

TEST(IsoBmffFile, StripsTheIccProfileWhenAsked) {
  Heif heif = BuildHeif();
  auto out = Scrub(heif.bytes, ScrubOptions{.strip_icc = true});
  ASSERT_TRUE(out.ok()) << out.status().message();
  std::vector<uint8_t> storage;
  auto meta = MetaOf(*out, heif, storage);
  ASSERT_TRUE(meta.ok());
  ASSERT_EQ(meta->properties.size(), 3u);
  const auto& a = meta->ipmas[0].entries[0].associations;
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].index, 1);
  EXPECT_EQ(a[1].index, 2);  // irot, still essential
  EXPECT_TRUE(a[1].essential);
  MemorySource clean(Span(*out));
  auto report = InspectIsoBmff(clean);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->has_icc_profile);
  EXPECT_EQ(report->orientation, 8);
}

TEST(IsoBmffFile, DropsAMotionPhotoVideo) {
  Heif heif = BuildHeif();
  Movie movie = BuildMovie();
  for (const std::string& video :
       {movie.bytes.substr(0, movie.trailer), MakeBox("mpvd", movie.bytes.substr(0, 200))}) {
    std::string file = heif.bytes + video;
    MemorySource source(Span(file));
    auto report = InspectIsoBmff(source);
    ASSERT_TRUE(report.ok()) << report.status().message();
    EXPECT_TRUE(std::any_of(report->findings.begin(), report->findings.end(), [](const Finding& f) {
      return f.kind == FindingKind::kAppendedData;
    })) << Describe(*report);
    auto out = Scrub(file);
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ(out->size(), heif.bytes.size());
  }
}

// ---- hostile input ----

void ExpectNoCrash(const std::string& bytes) {
  MemorySource source(Span(bytes));
  auto report = InspectIsoBmff(source);
  if (!report.ok()) {
    EXPECT_EQ(report.status().code(), Code::kInvalidInput);
  }
  auto plan = PlanIsoBmffScrub(source, {});
  if (!plan.ok()) {
    EXPECT_EQ(plan.status().code(), Code::kInvalidInput) << plan.status().message();
    return;
  }
  auto out = ApplyPlanToString(source, *plan);
  ASSERT_TRUE(out.ok());
}

TEST(IsoBmffFile, SurvivesTruncationAnywhere) {
  for (const std::string& file : {BuildMovie().bytes, BuildHeif().bytes}) {
    for (size_t n = 0; n < file.size(); ++n) ExpectNoCrash(file.substr(0, n));
  }
}

TEST(IsoBmffFile, TruncatedMediaIsRefused) {
  Heif heif = BuildHeif();
  std::string truncated = heif.bytes.substr(0, heif.bytes.size() - 10);
  MemorySource source(Span(truncated));
  auto plan = PlanIsoBmffScrub(source, {});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Code::kInvalidInput);
}

TEST(IsoBmffFile, SurvivesCorruptedBytes) {
  std::mt19937 random(1234);
  for (const std::string& file : {BuildMovie().bytes, BuildHeif().bytes}) {
    for (int round = 0; round < 3000; ++round) {
      std::string damaged = file;
      for (int k = 0; k < 1 + round % 4; ++k) {
        size_t at = random() % damaged.size();
        damaged[at] = static_cast<char>(round % 3 == 0 ? 0xFF : random());
      }
      ExpectNoCrash(damaged);
    }
  }
}

TEST(IsoBmffFile, RefusesNonsense) {
  for (const std::string& bytes :
       {std::string(), std::string("hello"), std::string(64, '\0'), std::string(100, 'x'),
        MakeBox("ftyp", "isom") + U32(1) + "moov" + U64(8),
        MakeBox("ftyp", "isom") + U32(4) + "moov",
        MakeBox("ftyp", "isom") + U32(1000) + "moov" + std::string(10, '\0')}) {
    MemorySource source(Span(bytes));
    auto report = InspectIsoBmff(source);
    EXPECT_FALSE(report.ok());
    if (!report.ok()) {
      EXPECT_EQ(report.status().code(), Code::kInvalidInput);
    }
    EXPECT_FALSE(PlanIsoBmffScrub(source, {}).ok());
  }
}

TEST(IsoBmffFile, RefusesDeepNesting) {
  std::string nested = Mvhd(kMovieTime);
  for (int i = 0; i < 100; ++i) nested = MakeBox("trak", nested);
  std::string file = MakeBox("ftyp", "isom" + U32(0)) + MakeBox("moov", nested);
  MemorySource source(Span(file));
  EXPECT_EQ(InspectIsoBmff(source).status().code(), Code::kInvalidInput);
  EXPECT_EQ(PlanIsoBmffScrub(source, {}).status().code(), Code::kInvalidInput);
}

std::string HeifWithIloc(const std::string& iloc) {
  std::string meta =
      MakeFullBox("meta", 0, 0,
                  Hdlr("pict", "") + MakeFullBox("pitm", 0, 0, U16(1)) + iloc +
                      MakeFullBox("iinf", 0, 0, U16(2) + Infe(1, "hvc1") + Infe(2, "Exif")));
  return MakeBox("ftyp", "heic" + U32(0) + "mif1") + meta + MakeBox("mdat", "picture");
}

TEST(IsoBmffFile, RefusesAbsurdItemLocations) {
  // 65535 items announced, none present; 65535 extents announced, none present.
  ExpectNoCrash(HeifWithIloc(MakeFullBox("iloc", 0, 0, std::string("\x44\x00", 2) + U16(65535))));
  std::string many_extents = std::string("\x44\x00", 2) + U16(1) + U16(2) + U16(0) + U16(65535);
  for (const std::string& iloc :
       {MakeFullBox("iloc", 0, 0, std::string("\x44\x00", 2) + U16(65535)),
        MakeFullBox("iloc", 0, 0, many_extents),
        MakeFullBox("iloc", 0, 0, std::string("\x35\x00", 2) + U16(0)),  // 3- and 5-byte fields
        MakeFullBox("iloc", 3, 0, std::string("\x44\x00", 2) + U16(0))}) {
    std::string file = HeifWithIloc(iloc);
    MemorySource source(Span(file));
    EXPECT_EQ(PlanIsoBmffScrub(source, {}).status().code(), Code::kInvalidInput);
  }
  // Zero-width fields make every extent "the whole file": refused rather than zeroing it.
  std::string zero_width =
      std::string("\x00\x00", 2) + U16(2) + U16(1) + U16(0) + U16(1) + U16(2) + U16(0) + U16(3);
  std::string file = HeifWithIloc(MakeFullBox("iloc", 0, 0, zero_width));
  MemorySource source(Span(file));
  EXPECT_EQ(PlanIsoBmffScrub(source, {}).status().code(), Code::kInvalidInput);
}

TEST(IsoBmffFile, ExtentsOutsideTheFileAreHarmless) {
  auto loc = [](uint16_t id, uint32_t offset, uint32_t length) {
    return U16(id) + U16(0) + U16(1) + U32(offset) + U32(length);
  };
  std::string iloc = MakeFullBox(
      "iloc", 0, 0,
      std::string("\x44\x00", 2) + U16(2) + loc(1, 0xFFFFFF00, 5) + loc(2, 0xFFFFFFF0, 0xFFFF));
  std::string file = HeifWithIloc(iloc);
  MemorySource source(Span(file));
  auto report = InspectIsoBmff(source);
  ASSERT_TRUE(report.ok()) << report.status().message();
  auto out = Scrub(file);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->size(), file.size());
}

TEST(IsoBmffFile, RefusesToZeroThePicture) {
  // The Exif item claims the same bytes as the picture.
  auto loc = [](uint16_t id, uint32_t offset, uint32_t length) {
    return U16(id) + U16(0) + U16(1) + U32(offset) + U32(length);
  };
  std::string probe = HeifWithIloc(
      MakeFullBox("iloc", 0, 0, std::string("\x44\x00", 2) + U16(2) + loc(1, 0, 7) + loc(2, 0, 7)));
  uint32_t mdat = uint32_t(probe.size() - 7);
  std::string file = HeifWithIloc(MakeFullBox(
      "iloc", 0, 0, std::string("\x44\x00", 2) + U16(2) + loc(1, mdat, 7) + loc(2, mdat + 2, 3)));
  MemorySource source(Span(file));
  EXPECT_EQ(PlanIsoBmffScrub(source, {}).status().code(), Code::kInvalidInput);
  // And an Exif item inside the meta box itself.
  file = HeifWithIloc(MakeFullBox(
      "iloc", 0, 0, std::string("\x44\x00", 2) + U16(2) + loc(1, mdat, 7) + loc(2, 30, 4)));
  MemorySource inside(Span(file));
  EXPECT_EQ(PlanIsoBmffScrub(inside, {}).status().code(), Code::kInvalidInput);
}

// ---- a 3 GB movie, never read whole ----

TEST(IsoBmffFile, ScrubsAHugeFileWithoutReadingIt) {
  auto dir =
      std::filesystem::temp_directory_path() / ("rempart-bmff-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "huge.mp4").string();
  const uint64_t kHuge = 3ull << 30;
  std::string head =
      MakeBox("ftyp", "isom" + U32(0) + "isom") + MakeBox("moov", Mvhd(kMovieTime) + UserData());
  head += U32(1) + "mdat" + U64(kHuge - head.size());
  {
    std::ofstream f(path, std::ios::binary);
    f.write(head.data(), static_cast<std::streamsize>(head.size()));
  }
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(kHuge)), 0);
  auto source = FileSource::Open(path);
  ASSERT_TRUE(source.ok());
  auto report = InspectIsoBmff(*source);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(Has(*report, FindingKind::kLocation, "GPSCoordinates"));
  auto plan = PlanIsoBmffScrub(*source, {});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->output_size(), kHuge);
  const auto& last = plan->pieces().back();
  EXPECT_TRUE(last.literal.empty());
  EXPECT_GE(last.length, kHuge - head.size());
  uint64_t literal = 0;
  for (const auto& piece : plan->pieces()) literal += piece.literal.size();
  EXPECT_LT(literal, 4096u);
  std::filesystem::remove_all(dir);
}

// ---- real files from ../shared/testdata ----

std::string TestData(const std::string& name) {
  return std::string(REMPART_SOURCE_DIR) + "/../shared/testdata/media/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// Decodes the primary image with libheif; empty when libheif cannot.
std::vector<uint8_t> DecodeHeif(const std::string& bytes, int& width, int& height) {
  std::unique_ptr<heif_context, decltype(&heif_context_free)> ctx(heif_context_alloc(),
                                                                  heif_context_free);
  if (heif_context_read_from_memory_without_copy(ctx.get(), bytes.data(), bytes.size(), nullptr)
          .code != heif_error_Ok)
    return {};
  heif_image_handle* handle = nullptr;
  if (heif_context_get_primary_image_handle(ctx.get(), &handle).code != heif_error_Ok) return {};
  heif_image* image = nullptr;
  heif_error err =
      heif_decode_image(handle, &image, heif_colorspace_RGB, heif_chroma_interleaved_RGB, nullptr);
  heif_image_handle_release(handle);
  if (err.code != heif_error_Ok) return {};
  width = heif_image_get_width(image, heif_channel_interleaved);
  height = heif_image_get_height(image, heif_channel_interleaved);
  int stride = 0;
  const uint8_t* p = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride);
  std::vector<uint8_t> pixels;
  for (int y = 0; y < height; ++y)
    pixels.insert(pixels.end(), p + y * stride, p + y * stride + width * 3);
  heif_image_release(image);
  return pixels;
}

// exiftool's view of a file, when Debian's exiftool is installed ("" otherwise).
std::string ExifTool(const std::string& bytes, const std::string& name) {
  if (std::system("exiftool -ver > /dev/null 2>&1") != 0) return "";
  auto dir =
      std::filesystem::temp_directory_path() / ("rempart-exiftool-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto file = (dir / name).string();
  std::ofstream(file, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
  std::string cmd = "exiftool -G1 -a -s '" + file + "' > '" + file + ".txt' 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::string text = ReadFile(file + ".txt");
  std::filesystem::remove_all(dir);
  return text;
}

// The colour profile is kept on purpose (its own copyright and date are about the profile),
// and [System] describes the temporary file.
void ExpectExifToolSeesNothing(const std::string& all) {
  std::string text;
  std::istringstream lines(all);
  for (std::string line; std::getline(lines, line);)
    if (!line.starts_with("[ICC") && !line.starts_with("[System]")) text += line + "\n";
  for (const char* forbidden :
       {"[GPS]",          "[IFD0]",       "[ExifIFD]",  "[IFD1]",       "[XMP",
        "[IPTC]",         "[MakerNotes]", "[UserData]", "[Keys]",       "[ItemList]",
        "GPSCoordinates", " Make ",       " Model ",    "SerialNumber", "Artist",
        "Copyright",      "OwnerName",    "Thumbnail",  "2024:",        "2010:"}) {
    EXPECT_EQ(text.find(forbidden), std::string::npos) << forbidden << " in\n" << text;
  }
}

class TestDataFile : public ::testing::TestWithParam<const char*> {};

TEST_P(TestDataFile, ScrubsCleanAndKeepsThePicture) {
  const std::string path = TestData(GetParam());
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent (shared/testdata)";
  const std::string bytes = ReadFile(path);
  MemorySource source(Span(bytes));
  auto before = InspectIsoBmff(source);
  ASSERT_TRUE(before.ok()) << before.status().message();
  auto out = Scrub(bytes);
  ASSERT_TRUE(out.ok()) << out.status().message();
  MemorySource clean(Span(*out));
  auto after = InspectIsoBmff(clean);
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_TRUE(after->IsClean()) << Describe(*after);
  EXPECT_EQ(after->orientation, before->orientation);
  EXPECT_EQ(after->has_icc_profile, before->has_icc_profile);
  EXPECT_EQ(after->width, before->width);
  std::string name = std::filesystem::path(path).filename().string();
  ExpectExifToolSeesNothing(ExifTool(*out, name));
  if (before->format == "heif" || before->format == "avif") {
    int w0 = 0, h0 = 0, w1 = 0, h1 = 0;
    auto original = DecodeHeif(bytes, w0, h0);
    if (original.empty()) GTEST_SKIP() << "libheif cannot decode " << path;
    auto cleaned = DecodeHeif(*out, w1, h1);
    EXPECT_EQ(w0, w1);
    EXPECT_EQ(h0, h1);
    EXPECT_TRUE(original == cleaned) << "decoded pixels differ";
  }
}

INSTANTIATE_TEST_SUITE_P(Shared, TestDataFile,
                         ::testing::Values("synthetic/photo.heic", "synthetic/video.mp4",
                                           "synthetic/video.mov", "mat2-tests/dirty.heic",
                                           "mat2-tests/dirty.avif", "mat2-tests/dirty.mp4"));

TEST(IsoBmffFile, ReportsWhatTheSyntheticFilesHold) {
  const std::string path = TestData("synthetic/video.mov");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent (shared/testdata)";
  std::string bytes = ReadFile(path);
  MemorySource source(Span(bytes));
  auto report = InspectIsoBmff(source);
  ASSERT_TRUE(report.ok());
  SCOPED_TRACE(Describe(*report));
  EXPECT_EQ(report->format, "mov");
  EXPECT_TRUE(Has(*report, FindingKind::kLocation, "GPSCoordinates"));
  EXPECT_TRUE(Has(*report, FindingKind::kDevice, "Model"));
  EXPECT_TRUE(Has(*report, FindingKind::kPerson, "Artist"));
  EXPECT_TRUE(Has(*report, FindingKind::kDate, "CreateDate"));
  ASSERT_TRUE(report->location);
  EXPECT_NEAR(report->location->latitude, 48.8566, 1e-4);
}

// Writes the fuzz seed corpus: run with --gtest_also_run_disabled_tests and
// REMPART_CORPUS_DIR=fuzz/corpus/iso_bmff.
TEST(IsoBmffFile, DISABLED_WriteFuzzCorpus) {
  const char* dir = std::getenv("REMPART_CORPUS_DIR");
  ASSERT_NE(dir, nullptr);
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(std::string(dir) + "/" + name, std::ios::binary)
        .write(bytes.data(), std::streamsize(bytes.size()));
  };
  write("movie.mp4", BuildMovie().bytes);
  write("image.heic", BuildHeif().bytes);
  std::string mov = BuildMovie().bytes;
  mov.replace(8, 4, "qt  ");
  write("movie.mov", mov);
  std::string avif = BuildHeif().bytes;
  avif.replace(8, 4, "avif");
  write("image.avif", avif);
}

}  // namespace
}  // namespace rempart
