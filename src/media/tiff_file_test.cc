#include <gtest/gtest.h>
#include <tiffio.h>

#include <random>
#include <string>
#include <vector>

#include "media/edit_plan.h"
#include "media/media_format.h"
#include "media/scrub_test_util.h"
#include "media/tiff_test_builder.h"

namespace rempart {
namespace {

using testing::Bytes;
using testing::Describe;
using testing::ExpectExiftoolFindsNothing;
using testing::FindField;
using testing::kTestdata;
using testing::ReadFile;
using testing::TempFile;
using testing::TestEntry;
using testing::TestIfd;
using testing::TiffBuilder;
using testing::ValueOf;

// 8x8 RGB pixels, distinct per position.
std::string Pixels(int w, int h) {
  std::string p;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) p += std::string{char(x * 30), char(y * 30), char(x ^ y)};
  return p;
}

std::string Iptc(uint8_t dataset, const std::string& v) {
  return std::string{0x1C, 2, char(dataset), char(v.size() >> 8), char(v.size())} + v;
}

// A TIFF as a camera and an editor leave it: IFD0 with device, person, date and software
// tags, XMP, IPTC, Photoshop resources, an ICC profile, EXIF and GPS IFDs, a private tag, and a
// reduced-resolution preview in IFD1.
std::string DirtyTiff(bool big_endian) {
  TiffBuilder b(big_endian);
  TestIfd ifd0, exif, gps, preview;
  std::string xmp =
      "<x:xmpmeta><rdf:Description dc:creator='Jane Doe' xmp:CreatorTool='Lightroom'/>"
      "</x:xmpmeta>";
  std::string iptc = Iptc(80, "Jane Doe") + Iptc(90, "Paris");
  std::string photoshop = std::string("8BIM\x04\x0C\0\0\0\0\0\x10", 12) + std::string(16, 'T');
  ifd0.entries = {b.Long(254, 0),
                  b.Long(256, 8),
                  b.Long(257, 8),
                  b.Shorts(258, {8, 8, 8}),
                  b.Short(259, 1),
                  b.Short(262, 2),
                  b.Ascii(269, "holiday.tif"),
                  b.Ascii(270, "Jane at home"),
                  b.Ascii(271, "Nikon"),
                  b.Ascii(272, "D850"),
                  b.BlobOffset(273, Pixels(8, 8)),
                  b.Short(274, 3),
                  b.Short(277, 3),
                  b.Long(278, 8),
                  b.Long(279, 192),
                  b.Rationals(282, {{72, 1}}),
                  b.Rationals(283, {{72, 1}}),
                  b.Short(284, 1),
                  b.Short(296, 2),
                  b.Ascii(305, "Lightroom 13"),
                  b.Ascii(306, "2024:05:01 21:10:00"),
                  b.Ascii(315, "Jane Doe"),
                  b.Ascii(316, "janes-laptop"),
                  b.Bytes(700, 1, xmp),
                  b.Ascii(33432, "(c) Jane Doe"),
                  b.Bytes(33723, 7, iptc),
                  b.Bytes(34377, 7, photoshop),
                  b.Pointer(34665, 1),
                  b.Bytes(34675, 7, std::string(132, 'I')),
                  b.Pointer(34853, 2),
                  b.Ascii(50000, "private vendor data")};
  ifd0.next = 3;
  exif.entries = {b.Ascii(0x9003, "2024:05:01 21:10:00"), b.Ascii(0xA431, "SN-777")};
  gps.entries = {b.Ascii(1, "N"), b.Rationals(2, {{48, 1}, {51, 1}, {2376, 100}}), b.Ascii(3, "E"),
                 b.Rationals(4, {{2, 1}, {21, 1}, {792, 100}})};
  preview.entries = {b.Long(254, 1),
                     b.Long(256, 4),
                     b.Long(257, 4),
                     b.Shorts(258, {8, 8, 8}),
                     b.Short(259, 1),
                     b.Short(262, 2),
                     b.BlobOffset(273, Pixels(4, 4)),
                     b.Short(277, 3),
                     b.Long(278, 4),
                     b.Long(279, 48)};
  return b.Build({ifd0, exif, gps, preview});
}

// Every page's pixels as libtiff decodes them (RGBA), or an empty list if libtiff refuses.
std::vector<std::vector<uint32_t>> DecodePages(const std::string& bytes) {
  TIFFSetWarningHandler(nullptr);
  TIFFSetErrorHandler(nullptr);
  TempFile file(bytes, ".tif");
  std::vector<std::vector<uint32_t>> pages;
  TIFF* tif = TIFFOpen(file.path().c_str(), "r");
  if (!tif) return pages;
  do {
    uint32_t w = 0, h = 0;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
    std::vector<uint32_t> rgba(size_t(w) * h);
    if (!TIFFReadRGBAImageOriented(tif, w, h, rgba.data(), ORIENTATION_TOPLEFT, 0)) {
      pages.clear();
      break;
    }
    pages.push_back(std::move(rgba));
  } while (TIFFReadDirectory(tif));
  TIFFClose(tif);
  return pages;
}

Result<std::string> Scrub(const std::string& tiff, ScrubOptions options = {}) {
  MemorySource source(Bytes(tiff));
  REMPART_ASSIGN_OR_RETURN(EditPlan plan, PlanTiffScrub(source, options));
  return ApplyPlanToString(source, plan);
}

PrivacyReport MustInspect(const std::string& tiff) {
  MemorySource source(Bytes(tiff));
  auto report = InspectTiff(source);
  EXPECT_TRUE(report.ok()) << report.status().message();
  return report.ok() ? *report : PrivacyReport{};
}

class TiffByteOrder : public ::testing::TestWithParam<bool> {};

TEST_P(TiffByteOrder, InspectFindsTagsBlocksAndPreview) {
  PrivacyReport report = MustInspect(DirtyTiff(GetParam()));
  SCOPED_TRACE(Describe(report));
  EXPECT_EQ(report.format, "tiff");
  EXPECT_EQ(report.width, 8);
  EXPECT_EQ(report.height, 8);
  EXPECT_EQ(report.orientation, 3);
  EXPECT_TRUE(report.has_icc_profile);
  for (const char* field : {"Make",         "Model",
                            "Artist",       "Copyright",
                            "Software",     "HostComputer",
                            "ModifyDate",   "ImageDescription",
                            "DocumentName", "DateTimeOriginal",
                            "SerialNumber", "GPSPosition",
                            "XMP",          "Creator",
                            "CreatorTool",  "IPTC",
                            "By-line",      "City",
                            "Photoshop",    "PhotoshopThumbnail"})
    EXPECT_NE(FindField(report, field), nullptr) << field;
  EXPECT_EQ(ValueOf(report, "Make"), "Nikon");
  EXPECT_EQ(ValueOf(report, "PreviewImage"), "4x4");
  EXPECT_EQ(FindField(report, "PreviewImage")->kind, FindingKind::kPreview);
  EXPECT_EQ(ValueOf(report, "OtherTags"), "1 tags");  // the private tag 50000
  ASSERT_TRUE(report.location);
  EXPECT_NEAR(report.location->longitude, 2.3522, 1e-6);
}

TEST_P(TiffByteOrder, ScrubKeepsOnlyTheImage) {
  std::string dirty = DirtyTiff(GetParam());
  auto clean = Scrub(dirty);
  ASSERT_TRUE(clean.ok()) << clean.status().message();
  PrivacyReport report = MustInspect(*clean);
  EXPECT_TRUE(report.IsClean()) << Describe(report);
  EXPECT_EQ(report.orientation, 3);
  EXPECT_TRUE(report.has_icc_profile);
  EXPECT_EQ(clean->substr(0, 2), GetParam() ? "MM" : "II");
  MemorySource again(Bytes(*clean));
  auto plan = PlanTiffScrub(again, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->IsIdentity(clean->size()));  // cleaning a cleaned file changes nothing

  auto before = DecodePages(dirty), after = DecodePages(*clean);
  ASSERT_EQ(before.size(), 2u);  // the page and its preview
  ASSERT_EQ(after.size(), 1u);   // the preview is gone
  EXPECT_EQ(after[0], before[0]);
  EXPECT_NE(clean->find(Pixels(8, 8)), std::string::npos);  // strip bytes copied verbatim
  for (const char* secret : {"Nikon", "D850", "Jane", "Lightroom", "SN-777", "janes", "2024",
                             "holiday", "private vendor", "8BIM", "xmpmeta"})
    EXPECT_EQ(clean->find(secret), std::string::npos) << secret;
  EXPECT_EQ(clean->find(Pixels(4, 4)), std::string::npos);
  ExpectExiftoolFindsNothing(*clean, ".tif");
  if (testing::HaveExiftool()) {
    EXPECT_EQ(testing::Exiftool(*clean, ".tif").find("[IFD1]"), std::string::npos);
  }

  ScrubOptions strip;
  strip.strip_icc = true;
  auto no_icc = Scrub(dirty, strip);
  ASSERT_TRUE(no_icc.ok());
  EXPECT_FALSE(MustInspect(*no_icc).has_icc_profile);
  EXPECT_EQ(DecodePages(*no_icc), after);
}

INSTANTIATE_TEST_SUITE_P(BothOrders, TiffByteOrder, ::testing::Values(false, true));

// Writes a multi-page TIFF with libtiff: an LZW page with predictor and identifying tags, a
// tiled Deflate page, and a reduced-resolution preview.
std::string LibtiffMultiPage() {
  TIFFSetWarningHandler(nullptr);
  TempFile file("", ".tif");
  TIFF* tif = TIFFOpen(file.path().c_str(), "w");
  auto common = [&](uint32_t w, uint32_t h, uint16_t compression) {
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, w);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, h);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 3);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, compression);
  };
  auto rows = [](uint32_t w, uint32_t h) {
    std::vector<uint8_t> p(size_t(w) * h * 3);
    for (size_t i = 0; i < p.size(); ++i) p[i] = uint8_t(i * 7 + i / 13);
    return p;
  };
  // Page 1: 64x40 LZW, horizontal predictor, 8 rows per strip, identifying tags.
  common(64, 40, COMPRESSION_LZW);
  TIFFSetField(tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 8);
  TIFFSetField(tif, TIFFTAG_MAKE, "Apple");
  TIFFSetField(tif, TIFFTAG_MODEL, "iPhone 15");
  TIFFSetField(tif, TIFFTAG_ARTIST, "Jane Doe");
  TIFFSetField(tif, TIFFTAG_SOFTWARE, "17.1");
  TIFFSetField(tif, TIFFTAG_DATETIME, "2024:05:01 21:10:00");
  TIFFSetField(tif, TIFFTAG_COPYRIGHT, "(c) Jane Doe");
  TIFFSetField(tif, TIFFTAG_PAGENAME, "bedroom");
  TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
  std::vector<uint8_t> p1 = rows(64, 40);
  for (uint32_t y = 0; y < 40; ++y) TIFFWriteScanline(tif, p1.data() + y * 64 * 3, y, 0);
  TIFFWriteDirectory(tif);
  // Page 2: 32x32 tiled Deflate.
  common(32, 32, COMPRESSION_ADOBE_DEFLATE);
  TIFFSetField(tif, TIFFTAG_TILEWIDTH, 16);
  TIFFSetField(tif, TIFFTAG_TILELENGTH, 16);
  TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
  TIFFSetField(tif, TIFFTAG_HOSTCOMPUTER, "janes-laptop");
  std::vector<uint8_t> p2 = rows(32, 32);
  for (uint32_t ty = 0; ty < 32; ty += 16)
    for (uint32_t tx = 0; tx < 32; tx += 16) {
      std::vector<uint8_t> tile(16 * 16 * 3);
      for (uint32_t y = 0; y < 16; ++y)
        std::copy_n(&p2[((ty + y) * 32 + tx) * 3], 16 * 3, &tile[y * 16 * 3]);
      TIFFWriteTile(tif, tile.data(), tx, ty, 0, 0);
    }
  TIFFWriteDirectory(tif);
  // Page 3: the preview.
  common(8, 5, COMPRESSION_NONE);
  TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_REDUCEDIMAGE);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 5);
  std::vector<uint8_t> p3 = rows(8, 5);
  for (uint32_t y = 0; y < 5; ++y) TIFFWriteScanline(tif, p3.data() + y * 8 * 3, y, 0);
  TIFFWriteDirectory(tif);
  TIFFClose(tif);
  return ReadFile(file.path());
}

TEST(PlanTiffScrub, MultiPageKeepsPagesDropsPreviews) {
  std::string tiff = LibtiffMultiPage();
  ASSERT_FALSE(tiff.empty());
  PrivacyReport before_report = MustInspect(tiff);
  SCOPED_TRACE(Describe(before_report));
  EXPECT_EQ(ValueOf(before_report, "Make"), "Apple");
  EXPECT_EQ(ValueOf(before_report, "PageName"), "bedroom");
  EXPECT_EQ(ValueOf(before_report, "HostComputer"), "janes-laptop");
  EXPECT_EQ(ValueOf(before_report, "PreviewImage"), "8x5");

  auto clean = Scrub(tiff);
  ASSERT_TRUE(clean.ok()) << clean.status().message();
  PrivacyReport after_report = MustInspect(*clean);
  EXPECT_TRUE(after_report.IsClean()) << Describe(after_report);
  auto before = DecodePages(tiff), after = DecodePages(*clean);
  ASSERT_EQ(before.size(), 3u);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0], before[0]);
  EXPECT_EQ(after[1], before[1]);
  ExpectExiftoolFindsNothing(*clean, ".tif");
}

TEST(PlanTiffScrub, RefusesBigTiffAndRawFiles) {
  std::string big = std::string("II\x2B\0\x08\0\0\0", 8) + std::string(32, '\0');
  MemorySource big_source(Bytes(big));
  auto plan = PlanTiffScrub(big_source, {});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Code::kInvalidInput);
  EXPECT_NE(plan.status().message().find("BigTIFF"), std::string::npos);
  EXPECT_FALSE(InspectTiff(big_source).ok());

  TiffBuilder b;
  TestIfd dng;
  dng.entries = {b.Long(256, 8),   b.Long(257, 8),
                 b.Short(262, 2),  b.BlobOffset(273, Pixels(8, 8)),
                 b.Long(279, 192), b.Bytes(50706, 1, std::string("\1\4\0\0", 4))};
  std::string raw = b.Build({dng});
  MemorySource raw_source(Bytes(raw));
  auto refused = PlanTiffScrub(raw_source, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("raw"), std::string::npos);

  TestIfd cfa = dng;
  cfa.entries.pop_back();
  cfa.entries[2] = b.Short(262, 32803);
  std::string cfa_bytes = b.Build({cfa});
  MemorySource cfa_source(Bytes(cfa_bytes));
  EXPECT_FALSE(PlanTiffScrub(cfa_source, {}).ok());
}

TEST(TiffHostileInput, LoopsAndBadStrips) {
  TiffBuilder b;
  TestIfd ifd0;
  ifd0.entries = {b.Long(256, 8),
                  b.Long(257, 8),
                  b.Shorts(258, {8, 8, 8}),
                  b.Short(262, 2),
                  b.BlobOffset(273, Pixels(8, 8)),
                  b.Short(277, 3),
                  b.Long(279, 192),
                  b.Ascii(271, "Nikon")};
  // IFD0 → IFD0.
  TestIfd looping = ifd0;
  looping.next = 0;
  std::string loop = b.Build({looping});
  MemorySource loop_source(Bytes(loop));
  EXPECT_EQ(PlanTiffScrub(loop_source, {}).status().code(), Code::kInvalidInput);
  PrivacyReport report = MustInspect(loop);
  EXPECT_EQ(ValueOf(report, "TIFF"), "damaged");

  // A strip that runs past the end of the file.
  TestIfd overlong = ifd0;
  overlong.entries[6] = b.Long(279, 1 << 30);
  std::string bad = b.Build({overlong});
  MemorySource bad_source(Bytes(bad));
  EXPECT_EQ(PlanTiffScrub(bad_source, {}).status().code(), Code::kInvalidInput);

  // A "strip" that covers the IFD and the Make value: metadata passed off as pixels.
  TestIfd smuggling = ifd0;
  smuggling.entries[4] = b.Long(273, 8);
  smuggling.entries[6] = b.Long(279, 120);
  std::string sm = b.Build({smuggling});
  MemorySource sm_source(Bytes(sm));
  EXPECT_EQ(PlanTiffScrub(sm_source, {}).status().code(), Code::kInvalidInput);

  // Offsets and counts disagree.
  TestIfd mismatch = ifd0;
  mismatch.entries[6] = b.Longs(279, {96, 96});
  std::string mm = b.Build({mismatch});
  MemorySource mm_source(Bytes(mm));
  EXPECT_EQ(PlanTiffScrub(mm_source, {}).status().code(), Code::kInvalidInput);

  // Absurd counts on a kept tag.
  TestIfd absurd = ifd0;
  absurd.entries[2].count = 0x40000000;
  std::string ab = b.Build({absurd});
  MemorySource ab_source(Bytes(ab));
  EXPECT_EQ(PlanTiffScrub(ab_source, {}).status().code(), Code::kInvalidInput);
  (void)InspectTiff(ab_source);

  for (const std::string& junk : {std::string(), std::string("II*\0", 4),
                                  std::string("MM\0*\0\0\0\0", 8), std::string("not a tiff")}) {
    MemorySource source(Bytes(junk));
    EXPECT_EQ(InspectTiff(source).status().code(), Code::kInvalidInput);
    EXPECT_EQ(PlanTiffScrub(source, {}).status().code(), Code::kInvalidInput);
  }
}

TEST(TiffHostileInput, TruncatedEvery97BytesAndMutated) {
  for (const std::string& tiff : {DirtyTiff(false), DirtyTiff(true), LibtiffMultiPage()}) {
    for (size_t cut = 0; cut < tiff.size(); cut += 97) {
      std::string part = tiff.substr(0, cut);
      MemorySource source(Bytes(part));
      auto report = InspectTiff(source);
      if (!report.ok()) {
        EXPECT_EQ(report.status().code(), Code::kInvalidInput);
      }
      auto plan = PlanTiffScrub(source, {});
      if (plan.ok()) {
        EXPECT_TRUE(ApplyPlanToString(source, *plan).ok());
      } else {
        EXPECT_EQ(plan.status().code(), Code::kInvalidInput);
      }
    }
    std::mt19937 rng(99);
    for (int round = 0; round < 1500; ++round) {
      std::string m = tiff;
      for (int k = 0; k < 6; ++k) m[rng() % std::min<size_t>(m.size(), 1200)] = char(rng());
      MemorySource source(Bytes(m));
      (void)InspectTiff(source);
      auto plan = PlanTiffScrub(source, {});
      if (!plan.ok()) continue;
      auto out = ApplyPlanToString(source, *plan);
      ASSERT_TRUE(out.ok());
      MemorySource again(Bytes(*out));
      auto report = InspectTiff(again);
      ASSERT_TRUE(report.ok()) << report.status().message();
      // Whatever the input, the cleaned file holds nothing identifying.
      for (const Finding& f : report->findings)
        EXPECT_EQ(f.kind, FindingKind::kOther) << f.field << "=" << f.value;
      EXPECT_FALSE(report->location.has_value());
    }
  }
}

TEST(TiffTestdata, InspectAndScrubTheSharedSamples) {
  if (!std::filesystem::exists(kTestdata)) GTEST_SKIP() << "no " << kTestdata;
  struct Sample {
    const char* path;
    std::vector<std::string> fields;
  };
  const std::vector<Sample> samples = {
      {"/synthetic/photo.tif",
       {"Make", "Model", "Software", "Artist", "DateTimeOriginal", "GPSPosition", "XMP", "Creator",
        "IPTC", "By-line", "City"}},
      {"/mat2-tests/dirty.tiff",
       {"Make", "Model", "ImageDescription", "Software", "ModifyDate", "DateTimeOriginal",
        "MakerNotes", "SerialNumber", "ThumbnailImage"}},
  };
  for (const Sample& s : samples) {
    SCOPED_TRACE(s.path);
    std::string tiff = ReadFile(kTestdata + s.path);
    if (tiff.empty()) continue;
    PrivacyReport report = MustInspect(tiff);
    SCOPED_TRACE(Describe(report));
    for (const std::string& field : s.fields) EXPECT_NE(FindField(report, field), nullptr) << field;
    EXPECT_GT(report.width, 0);

    auto clean = Scrub(tiff);
    ASSERT_TRUE(clean.ok()) << clean.status().message();
    PrivacyReport after = MustInspect(*clean);
    EXPECT_TRUE(after.IsClean()) << Describe(after);
    EXPECT_EQ(after.orientation, report.orientation);
    EXPECT_EQ(after.has_icc_profile, report.has_icc_profile);
    auto before_pixels = DecodePages(tiff);
    ASSERT_FALSE(before_pixels.empty());
    auto after_pixels = DecodePages(*clean);
    ASSERT_FALSE(after_pixels.empty());
    EXPECT_EQ(after_pixels[0], before_pixels[0]);
    ExpectExiftoolFindsNothing(*clean, ".tif");
  }
}

}  // namespace
}  // namespace rempart
