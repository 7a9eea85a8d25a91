#include <gtest/gtest.h>
#include <turbojpeg.h>

#include <random>
#include <string>
#include <vector>

#include "media/edit_plan.h"
#include "media/media_format.h"
#include "media/metadata_blocks.h"
#include "media/scrub_test_util.h"
#include "media/tiff_test_builder.h"

namespace rempart {
namespace {

using testing::TestEntry;
using testing::TestIfd;
using testing::TiffBuilder;

using testing::Bytes;
using testing::Describe;
using testing::ExpectExiftoolFindsNothing;
using testing::FindField;
using testing::kTestdata;
using testing::ReadFile;
using testing::ValueOf;

std::string EncodeJpeg(int width, int height, int subsampling = TJSAMP_420) {
  std::vector<uint8_t> rgb(size_t(width) * height * 3);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &rgb[(size_t(y) * width + x) * 3];
      p[0] = uint8_t(x * 255 / width);
      p[1] = uint8_t(y * 255 / height);
      p[2] = uint8_t((x ^ y) & 0xFF);
    }
  tjhandle tj = tjInitCompress();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  EXPECT_EQ(
      tjCompress2(tj, rgb.data(), width, 0, height, TJPF_RGB, &out, &size, subsampling, 90, 0), 0);
  std::string bytes(reinterpret_cast<char*>(out), size);
  tjFree(out);
  tjDestroy(tj);
  return bytes;
}

// Decoded RGB pixels, or an empty vector when TurboJPEG refuses the data.
std::vector<uint8_t> Decode(const std::string& jpeg) {
  tjhandle tj = tjInitDecompress();
  int w = 0, h = 0, sub = 0, cs = 0;
  std::vector<uint8_t> pixels;
  auto* data = reinterpret_cast<const unsigned char*>(jpeg.data());
  if (tjDecompressHeader3(tj, data, jpeg.size(), &w, &h, &sub, &cs) == 0) {
    pixels.resize(size_t(w) * h * 3);
    if (tjDecompress2(tj, data, jpeg.size(), pixels.data(), w, 0, h, TJPF_RGB, 0) != 0 &&
        tjGetErrorCode(tj) == TJERR_FATAL)
      pixels.clear();
  }
  tjDestroy(tj);
  return pixels;
}

std::string Segment(uint8_t marker, const std::string& payload) {
  size_t n = payload.size() + 2;
  return std::string{char(0xFF), char(marker), char(n >> 8), char(n & 0xFF)} + payload;
}

// Inserts segments right after SOI and the encoder's JFIF APP0.
std::string Splice(const std::string& jpeg, const std::string& segments) {
  size_t after_jfif = 2;
  if (jpeg.compare(2, 2, "\xFF\xE0") == 0)
    after_jfif = 4 + (uint8_t(jpeg[4]) << 8 | uint8_t(jpeg[5]));
  return jpeg.substr(0, after_jfif) + segments + jpeg.substr(after_jfif);
}

std::string CameraExif() {
  TiffBuilder b(/*big_endian=*/true);
  TestIfd ifd0, exif, gps, thumb;
  ifd0.entries = {b.Ascii(0x010F, "Canon"), b.Ascii(0x0110, "Canon EOS R5"),
                  b.Short(0x0112, 6),       b.Ascii(0x013B, "Jane Doe"),
                  b.Pointer(0x8769, 1),     b.Pointer(0x8825, 2)};
  ifd0.next = 3;
  TestEntry maker = b.Bytes(0x927C, 7, std::string(64, 'M'));
  exif.entries = {b.Ascii(0x9003, "2024:05:01 21:10:00"), maker, b.Ascii(0xA431, "SN-0042")};
  gps.entries = {b.Ascii(1, "N"), b.Rationals(2, {{48, 1}, {51, 1}, {2376, 100}}), b.Ascii(3, "E"),
                 b.Rationals(4, {{2, 1}, {21, 1}, {792, 100}})};
  thumb.entries = {b.Short(0x0103, 6), b.BlobOffset(0x0201, EncodeJpeg(16, 16)),
                   b.Long(0x0202, uint32_t(EncodeJpeg(16, 16).size()))};
  return b.Build({ifd0, exif, gps, thumb});
}

std::string Iptc(uint8_t dataset, const std::string& v) {
  return std::string{0x1C, 2, char(dataset), char(v.size() >> 8), char(v.size())} + v;
}

std::string PhotoshopSegmentPayload() {
  std::string iptc = Iptc(80, "Jane Doe") + Iptc(90, "Paris");
  uint32_t n = uint32_t(iptc.size());
  std::string res = std::string("8BIM\x04\x04\0\0", 8) +
                    std::string{char(n >> 24), char(n >> 16), char(n >> 8), char(n)} + iptc;
  if (n & 1) res += '\0';
  return std::string("Photoshop 3.0\0", 14) + res;
}

const char kXmp[] =
    "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description "
    "xmp:CreatorTool='Lightroom' tiff:Make='Canon'><dc:creator><rdf:Seq><rdf:li>Jane "
    "Doe</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>";

// A camera-like JPEG: EXIF (GPS, serial, maker note, thumbnail), XMP, IPTC, a comment, an
// ICC profile, an unknown APP segment, and a video appended after EOI.
std::string DirtyJpeg() {
  std::string segments =
      Segment(0xE1, std::string("Exif\0\0", 6) + CameraExif()) +
      Segment(0xE1, std::string("http://ns.adobe.com/xap/1.0/\0", 29) + kXmp) +
      Segment(0xE2, std::string("ICC_PROFILE\0\1\1", 14) + std::string(128, 'C')) +
      Segment(0xED, PhotoshopSegmentPayload()) + Segment(0xFE, "taken at Jane's flat") +
      Segment(0xE9, "vendor secrets") + Segment(0xEE, std::string("Adobe\0\x64\0\0\0\0\1", 12));
  std::string video = std::string(
                          "\0\0\0\x18"
                          "ftypmp42",
                          12) +
                      std::string(500, 'V');
  return Splice(EncodeJpeg(64, 48), segments) + video;
}

// True when the output's image data — from its first SOS through EOI — is a byte-for-byte
// copy of a range of the input (the scrubber must never touch entropy-coded data).
bool ScanDataCopied(const std::string& in, const std::string& out) {
  size_t sos = out.find("\xFF\xDA");
  return sos != std::string::npos && in.find(out.substr(sos)) != std::string::npos;
}

Result<std::string> Scrub(const std::string& jpeg, ScrubOptions options = {}) {
  MemorySource source(Bytes(jpeg));
  REMPART_ASSIGN_OR_RETURN(EditPlan plan, PlanJpegScrub(source, options));
  return ApplyPlanToString(source, plan);
}

PrivacyReport MustInspect(const std::string& jpeg) {
  MemorySource source(Bytes(jpeg));
  auto report = InspectJpeg(source);
  EXPECT_TRUE(report.ok()) << report.status().message();
  return report.ok() ? *report : PrivacyReport{};
}

TEST(InspectJpeg, ReportsEverythingACameraAndEditorsLeave) {
  PrivacyReport report = MustInspect(DirtyJpeg());
  SCOPED_TRACE(Describe(report));
  EXPECT_EQ(report.format, "jpeg");
  EXPECT_EQ(report.width, 64);
  EXPECT_EQ(report.height, 48);
  EXPECT_EQ(report.orientation, 6);
  EXPECT_TRUE(report.has_icc_profile);
  ASSERT_TRUE(report.location);
  EXPECT_NEAR(report.location->latitude, 48.8566, 1e-6);
  EXPECT_EQ(ValueOf(report, "Make"), "Canon");
  EXPECT_EQ(ValueOf(report, "SerialNumber"), "SN-0042");
  EXPECT_EQ(ValueOf(report, "Artist"), "Jane Doe");
  EXPECT_EQ(ValueOf(report, "DateTimeOriginal"), "2024:05:01 21:10:00");
  EXPECT_EQ(ValueOf(report, "MakerNotes"), "64 bytes");
  EXPECT_EQ(FindField(report, "ThumbnailImage")->kind, FindingKind::kPreview);
  EXPECT_EQ(ValueOf(report, "CreatorTool"), "Lightroom");
  EXPECT_EQ(ValueOf(report, "Creator"), "Jane Doe");
  EXPECT_EQ(ValueOf(report, "By-line"), "Jane Doe");
  EXPECT_EQ(ValueOf(report, "City"), "Paris");
  EXPECT_EQ(ValueOf(report, "Comment"), "taken at Jane's flat");
  EXPECT_EQ(ValueOf(report, "APP9"), "14 bytes");
  EXPECT_EQ(ValueOf(report, "EmbeddedVideo"), "512 bytes");
  EXPECT_EQ(FindField(report, "EmbeddedVideo")->kind, FindingKind::kAppendedData);
  EXPECT_NE(FindField(report, "Photoshop"), nullptr);
  EXPECT_NE(FindField(report, "XMP"), nullptr);
  EXPECT_NE(FindField(report, "IPTC"), nullptr);
  EXPECT_FALSE(report.IsClean());
}

TEST(InspectJpeg, PlainEncoderOutputIsClean) {
  PrivacyReport report = MustInspect(EncodeJpeg(32, 32));
  EXPECT_TRUE(report.IsClean()) << Describe(report);
  EXPECT_EQ(report.width, 32);
  EXPECT_FALSE(report.has_icc_profile);
}

TEST(PlanJpegScrub, RemovesMetadataKeepsPixelsOrientationAndIcc) {
  std::string dirty = DirtyJpeg();
  auto clean = Scrub(dirty);
  ASSERT_TRUE(clean.ok()) << clean.status().message();

  PrivacyReport report = MustInspect(*clean);
  EXPECT_TRUE(report.IsClean()) << Describe(report);
  EXPECT_EQ(report.orientation, 6);
  EXPECT_TRUE(report.has_icc_profile);
  EXPECT_EQ(report.width, 64);

  EXPECT_TRUE(ScanDataCopied(dirty, *clean));  // entropy-coded data byte-identical
  std::vector<uint8_t> before = Decode(dirty), after = Decode(*clean);
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(before, after);

  // Nothing of the metadata survives anywhere in the bytes.
  for (const char* secret : {"Canon", "Jane", "SN-0042", "ftyp", "vendor", "Lightroom", "Photoshop",
                             "8BIM", "http://ns.adobe.com"})
    EXPECT_EQ(clean->find(secret), std::string::npos) << secret;
  // Order: SOI, JFIF, the orientation-only EXIF, then ICC and Adobe.
  EXPECT_EQ(clean->substr(0, 4), "\xFF\xD8\xFF\xE0");
  size_t exif = clean->find("Exif");
  ASSERT_NE(exif, std::string::npos);
  EXPECT_EQ(clean->substr(exif + 6, 26), BuildOrientationExif(6));
  EXPECT_LT(exif, clean->find("ICC_PROFILE"));
  EXPECT_NE(clean->find("Adobe"), std::string::npos);
  EXPECT_EQ(clean->substr(clean->size() - 2), "\xFF\xD9");

  // Cleaning a cleaned file changes nothing.
  MemorySource again(Bytes(*clean));
  auto plan = PlanJpegScrub(again, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->IsIdentity(clean->size()));
}

TEST(PlanJpegScrub, StripIccAndUprightPhotos) {
  std::string dirty = DirtyJpeg();
  ScrubOptions strip;
  strip.strip_icc = true;
  auto clean = Scrub(dirty, strip);
  ASSERT_TRUE(clean.ok());
  EXPECT_FALSE(MustInspect(*clean).has_icc_profile);
  EXPECT_EQ(Decode(*clean), Decode(dirty));

  // Orientation 1: no EXIF at all in the output.
  std::string upright = Splice(EncodeJpeg(16, 16),
                               Segment(0xE1, std::string("Exif\0\0", 6) + BuildOrientationExif(1)));
  auto out = Scrub(upright);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->find("Exif"), std::string::npos);
  EXPECT_EQ(*out, EncodeJpeg(16, 16));
}

TEST(PlanJpegScrub, CleanFileGivesAnIdentityPlan) {
  std::string jpeg = EncodeJpeg(40, 30);
  MemorySource source(Bytes(jpeg));
  auto plan = PlanJpegScrub(source, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->IsIdentity(jpeg.size()));
}

TEST(PlanJpegScrub, JfifThumbnailIsDropped) {
  std::string jpeg = EncodeJpeg(16, 16);
  ASSERT_EQ(jpeg.compare(2, 2, "\xFF\xE0"), 0);
  size_t jfif_end = 4 + (uint8_t(jpeg[4]) << 8 | uint8_t(jpeg[5]));
  std::string jfif = jpeg.substr(6, 14);
  jfif[12] = 2;
  jfif[13] = 1;
  std::string with_thumb =
      jpeg.substr(0, 2) + Segment(0xE0, jfif + std::string(6, 'R')) + jpeg.substr(jfif_end);
  PrivacyReport report = MustInspect(with_thumb);
  EXPECT_EQ(ValueOf(report, "ThumbnailImage"), "2x1");
  auto clean = Scrub(with_thumb);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(*clean, jpeg);

  // Thumbnail dimensions without the pixels: rewritten too, so the output reads as clean.
  std::string lying = jpeg.substr(0, 2) + Segment(0xE0, jfif) + jpeg.substr(jfif_end);
  auto fixed = Scrub(lying);
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(*fixed, jpeg);
}

// Builds a JPEG whose MPF segment points at a second JPEG stored after EOI.
std::string MpfJpeg() {
  std::string second = EncodeJpeg(8, 8);
  auto build = [&](uint32_t primary_size, uint32_t mp_base) {
    TiffBuilder b(/*big_endian=*/true);
    std::string entries = b.U32(0x030000) + b.U32(primary_size) + b.U32(0) + b.U32(0) +
                          b.U32(0x010001) + b.U32(uint32_t(second.size())) +
                          b.U32(primary_size - mp_base) + b.U32(0);
    TestIfd index;
    index.entries = {b.Bytes(0xB000, 7, "0100"), b.Long(0xB001, 2), b.Bytes(0xB002, 7, entries)};
    std::string mpf = std::string("MPF\0", 4) + b.Build({index});
    return Splice(EncodeJpeg(32, 32), Segment(0xE2, mpf));
  };
  std::string draft = build(0, 0);
  size_t app2 = draft.find("\xFF\xE2");
  std::string primary = build(uint32_t(draft.size()), uint32_t(app2 + 8));
  return primary + second;
}

TEST(InspectJpeg, MpfImagesArePreviews) {
  std::string jpeg = MpfJpeg();
  PrivacyReport report = MustInspect(jpeg);
  SCOPED_TRACE(Describe(report));
  EXPECT_EQ(FindField(report, "MPImage2")->kind, FindingKind::kPreview);
  EXPECT_EQ(FindField(report, "EmbeddedImage"), nullptr);  // the trailer is that image
  auto clean = Scrub(jpeg);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(*clean, EncodeJpeg(32, 32));

  // Extra bytes beyond the MPF image are reported as appended data.
  PrivacyReport more = MustInspect(jpeg + "SECRET");
  EXPECT_EQ(ValueOf(more, "TrailerData"), "6 bytes");
  // Zero padding after EOI is not.
  PrivacyReport padded = MustInspect(EncodeJpeg(16, 16) + std::string(100, '\0'));
  EXPECT_TRUE(padded.IsClean()) << Describe(padded);
}

TEST(JpegHostileInput, TruncatedEvery97Bytes) {
  std::string dirty = DirtyJpeg();
  for (size_t cut = 0; cut < dirty.size(); cut += 97) {
    std::string part = dirty.substr(0, cut);
    MemorySource source(Bytes(part));
    auto report = InspectJpeg(source);
    if (!report.ok()) {
      EXPECT_EQ(report.status().code(), Code::kInvalidInput);
    }
    auto plan = PlanJpegScrub(source, {});
    size_t eoi = dirty.rfind("\xFF\xD9");
    if (cut < eoi + 2) {
      EXPECT_FALSE(plan.ok()) << cut;
      EXPECT_EQ(plan.status().code(), Code::kInvalidInput);
    } else if (plan.ok()) {
      EXPECT_TRUE(ApplyPlanToString(source, *plan).ok());
    }
  }
}

TEST(JpegHostileInput, BadLengthsMissingEoiAndGarbage) {
  std::string base = EncodeJpeg(16, 16);
  const std::vector<std::string> cases = {
      "",
      "\xFF",
      "\xFF\xD8",
      "\xFF\xD8\xFF",
      std::string("\xFF\xD8\xFF\xE1\0\0", 6),
      std::string("\xFF\xD8\xFF\xE1\0\1", 6),
      std::string("\xFF\xD8\xFF\xE1\xFF\xFF", 6),
      std::string("\xFF\xD8\0\0\0\0", 6),
      "\xFF\xD8\xFF\xFF\xFF\xFF\xFF",
      std::string("\xFF\xD8\xFF\xDA\0\2", 6) + std::string(100, '\xFF'),
      base.substr(0, base.size() - 2),  // no EOI
      base.substr(0, 2) + base.substr(2).insert(0, std::string("\xFF\xFE\0\1", 4)),
      "not a jpeg at all"};
  for (const std::string& jpeg : cases) {
    MemorySource source(Bytes(jpeg));
    auto report = InspectJpeg(source);
    if (!report.ok()) {
      EXPECT_EQ(report.status().code(), Code::kInvalidInput);
    }
    auto plan = PlanJpegScrub(source, {});
    EXPECT_FALSE(plan.ok());
    EXPECT_EQ(plan.status().code(), Code::kInvalidInput);
  }
  // A JPEG without EOI still shows what its headers reveal.
  std::string no_eoi = Splice(base, Segment(0xFE, "hello")).substr(0, base.size() + 9 - 2);
  PrivacyReport report = MustInspect(no_eoi);
  EXPECT_EQ(ValueOf(report, "Comment"), "hello");
}

TEST(JpegHostileInput, RandomMutationsNeverCrash) {
  std::string dirty = DirtyJpeg();
  std::mt19937 rng(12345);
  for (int round = 0; round < 1500; ++round) {
    std::string m = dirty;
    int edits = 1 + rng() % 8;
    for (int k = 0; k < edits; ++k) m[rng() % std::min<size_t>(m.size(), 2000)] = char(rng());
    MemorySource source(Bytes(m));
    (void)InspectJpeg(source);
    auto plan = PlanJpegScrub(source, {});
    if (plan.ok()) {
      auto out = ApplyPlanToString(source, *plan);
      ASSERT_TRUE(out.ok());
      MemorySource again(Bytes(*out));
      EXPECT_TRUE(InspectJpeg(again).ok());
    }
  }
}

TEST(JpegTestdata, InspectAndScrubTheSharedSamples) {
  if (!std::filesystem::exists(kTestdata)) GTEST_SKIP() << "no " << kTestdata;
  struct Sample {
    const char* path;
    std::vector<std::string> fields;
  };
  const std::vector<Sample> samples = {
      {"/synthetic/photo.jpg",
       {"Make", "Model", "Artist", "Copyright", "SerialNumber", "ImageUniqueID", "LensModel",
        "DateTimeOriginal", "MakerNotes", "OwnerName", "By-line", "City", "Keywords"}},
      {"/mat2-tests/dirty.jpg", {"Comment"}},
      {"/mat2-tests/control_chars.jpg", {"Comment"}},
  };
  for (const Sample& s : samples) {
    SCOPED_TRACE(s.path);
    std::string jpeg = ReadFile(kTestdata + s.path);
    if (jpeg.empty()) continue;
    PrivacyReport report = MustInspect(jpeg);
    SCOPED_TRACE(Describe(report));
    for (const std::string& field : s.fields) EXPECT_NE(FindField(report, field), nullptr) << field;
    EXPECT_GT(report.width, 0);

    auto clean = Scrub(jpeg);
    ASSERT_TRUE(clean.ok()) << clean.status().message();
    PrivacyReport after = MustInspect(*clean);
    EXPECT_TRUE(after.IsClean()) << Describe(after);
    EXPECT_EQ(after.orientation, report.orientation);
    EXPECT_EQ(after.has_icc_profile, report.has_icc_profile);
    EXPECT_TRUE(ScanDataCopied(jpeg, *clean));
    std::vector<uint8_t> before_pixels = Decode(jpeg);
    EXPECT_FALSE(before_pixels.empty());
    EXPECT_EQ(Decode(*clean), before_pixels);
    ExpectExiftoolFindsNothing(*clean, ".jpg");
  }
}

TEST(JpegTestdata, ControlCharactersAreNotPrinted) {
  std::string jpeg = ReadFile(kTestdata + "/mat2-tests/control_chars.jpg");
  if (jpeg.empty()) GTEST_SKIP() << "no " << kTestdata;
  PrivacyReport report = MustInspect(jpeg);
  for (const Finding& f : report.findings)
    for (char c : f.value) EXPECT_FALSE(uint8_t(c) < 0x20 || c == 0x7F) << f.field;
}

}  // namespace
}  // namespace rempart
