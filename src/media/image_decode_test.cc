#include "media/image_decode.h"

#include <gtest/gtest.h>
#include <png.h>
#include <turbojpeg.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <utility>

#include "media/image_decode_internal.h"
#include "media/image_test_support.h"

namespace rempart {
namespace {

using imagetest::MeanAbsDifference;
using imagetest::PixelAt;
using imagetest::ReadFileBytes;
using imagetest::TestPattern;

std::vector<uint8_t> EncodeJpeg(const Image& image, int pixel_format = TJPF_RGBA) {
  tjhandle tj = tjInitCompress();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  EXPECT_EQ(tjCompress2(tj, image.pixels.data(), image.width, 0, image.height, pixel_format, &out,
                        &size, TJSAMP_444, 95, 0),
            0)
      << tjGetErrorStr2(tj);
  std::vector<uint8_t> bytes(out, out + size);
  tjFree(out);
  tjDestroy(tj);
  return bytes;
}

std::vector<uint8_t> EncodePng(const Image& image) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  png.width = image.width;
  png.height = image.height;
  png.format = PNG_FORMAT_RGBA;
  png_alloc_size_t size = 0;
  EXPECT_TRUE(png_image_write_to_memory(&png, nullptr, &size, 0, image.pixels.data(), 0, nullptr));
  std::vector<uint8_t> bytes(size);
  EXPECT_TRUE(
      png_image_write_to_memory(&png, bytes.data(), &size, 0, image.pixels.data(), 0, nullptr));
  bytes.resize(size);
  return bytes;
}

uint32_t Crc32(const uint8_t* data, size_t size) {
  uint32_t crc = 0xFFFFFFFF;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
  }
  return ~crc;
}

void PutBigEndian32(uint8_t* p, uint32_t v) {
  p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

TEST(DecodeImageTest, JpegRoundTrip) {
  const Image original = TestPattern(64, 48);
  auto decoded = DecodeImage(EncodeJpeg(original));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->width, 64);
  EXPECT_EQ(decoded->height, 48);
  ASSERT_EQ(decoded->pixels.size(), 64u * 48 * 4);
  EXPECT_LT(MeanAbsDifference(original, *decoded), 4.0);
  EXPECT_GT(PixelAt(*decoded, 2, 2)[0], 200);  // the red corner
  EXPECT_EQ(PixelAt(*decoded, 40, 40)[3], 255);
}

TEST(DecodeImageTest, JpegMaxDimensionUsesScalingAndFits) {
  auto decoded = DecodeImage(EncodeJpeg(TestPattern(800, 600)), 100);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->width, 100);
  EXPECT_EQ(decoded->height, 75);
  EXPECT_GT(PixelAt(*decoded, 5, 5)[0], 200);
  EXPECT_LT(PixelAt(*decoded, 90, 70)[0], 60);
}

TEST(DecodeImageTest, SmallImageIsNotEnlarged) {
  auto decoded = DecodeImage(EncodeJpeg(TestPattern(40, 30)), 500);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->width, 40);
  EXPECT_EQ(decoded->height, 30);
}

TEST(DecodeImageTest, CmykJpegBecomesRgb) {
  // Adobe CMYK stores inverted inks: 255 everywhere is white, C = M = 0 leaves blue.
  Image cmyk{8, 8, std::vector<uint8_t>(8 * 8 * 4, 255)};
  for (size_t i = 0; i < cmyk.pixels.size(); i += 4) cmyk.pixels[i] = cmyk.pixels[i + 1] = 0;
  auto decoded = DecodeImage(EncodeJpeg(cmyk, TJPF_CMYK));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  const uint8_t* p = PixelAt(*decoded, 4, 4);
  EXPECT_LT(p[0], 20);
  EXPECT_LT(p[1], 20);
  EXPECT_GT(p[2], 235);
  EXPECT_EQ(p[3], 255);
}

TEST(DecodeImageTest, PngRoundTripKeepsAlphaExactly) {
  Image original = TestPattern(33, 17);
  for (size_t i = 3; i < original.pixels.size(); i += 16) original.pixels[i] = 77;
  auto decoded = DecodeImage(EncodePng(original));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->width, 33);
  EXPECT_EQ(decoded->height, 17);
  EXPECT_EQ(decoded->pixels, original.pixels);
}

TEST(DecodeImageTest, PngMaxDimension) {
  auto decoded = DecodeImage(EncodePng(TestPattern(300, 1200)), 120);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->width, 30);
  EXPECT_EQ(decoded->height, 120);
}

// A JPEG with an EXIF APP1 segment whose IFD0 holds only Orientation (0x0112) = value.
std::vector<uint8_t> WithOrientation(std::vector<uint8_t> jpeg, uint8_t value) {
  const uint8_t app1[] = {0xFF, 0xE1,  0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
                          'M',  'M',   0x00, 0x2A, 0,   0,   0,   8,   0, 1,  // IFD0: 1 entry
                          0x01, 0x12,  0x00, 0x03, 0,   0,   0,   1,          // SHORT x 1
                          0x00, value, 0x00, 0x00, 0,   0,   0,   0};         // value, next 0
  jpeg.insert(jpeg.begin() + 2, std::begin(app1), std::end(app1));
  return jpeg;
}

TEST(DecodeImageTest, ExifOrientationIsApplied) {
  // The stored 80x40 picture has its red quarter top-left; each orientation must move it where
  // a photo viewer shows it (5 to 8 also swap width and height).
  struct Case {
    uint8_t orientation;
    int width, height, red_x, red_y;
  };
  const std::vector<uint8_t> jpeg = EncodeJpeg(TestPattern(80, 40));
  for (const Case& c : {Case{1, 80, 40, 3, 3}, Case{2, 80, 40, 76, 3}, Case{3, 80, 40, 76, 36},
                        Case{4, 80, 40, 3, 36}, Case{5, 40, 80, 3, 3}, Case{6, 40, 80, 36, 3},
                        Case{7, 40, 80, 36, 76}, Case{8, 40, 80, 3, 76}}) {
    auto decoded = DecodeImage(WithOrientation(jpeg, c.orientation));
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(decoded->width, c.width) << int{c.orientation};
    EXPECT_EQ(decoded->height, c.height) << int{c.orientation};
    EXPECT_GT(PixelAt(*decoded, c.red_x, c.red_y)[0], 200) << int{c.orientation};
    // The opposite corner is never red.
    EXPECT_LT(PixelAt(*decoded, c.width - 1 - c.red_x, c.height - 1 - c.red_y)[0], 60);
  }
  auto scaled = DecodeImage(WithOrientation(EncodeJpeg(TestPattern(800, 400)), 6), 100);
  ASSERT_TRUE(scaled.ok());
  EXPECT_EQ(scaled->width, 50);
  EXPECT_EQ(scaled->height, 100);
}

TEST(DecodeImageTest, TruncatedDataIsAnError) {
  std::vector<uint8_t> jpeg = EncodeJpeg(TestPattern(200, 200));
  jpeg.resize(jpeg.size() / 2);
  auto bad_jpeg = DecodeImage(jpeg);
  ASSERT_FALSE(bad_jpeg.ok());
  EXPECT_EQ(bad_jpeg.status().code(), Code::kInvalidInput);

  std::vector<uint8_t> png = EncodePng(TestPattern(200, 200));
  png.resize(png.size() / 2);
  auto bad_png = DecodeImage(png);
  ASSERT_FALSE(bad_png.ok());
  EXPECT_EQ(bad_png.status().code(), Code::kInvalidInput);

  EXPECT_FALSE(DecodeImage(std::vector<uint8_t>{0xFF, 0xD8, 0xFF}).ok());
  EXPECT_FALSE(DecodeImage(std::vector<uint8_t>{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}).ok());
}

TEST(DecodeImageTest, GarbageIsAnError) {
  std::string text = "BM, a bitmap, or anything else Rempart does not decode";
  auto result = DecodeImage(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kInvalidInput);
  EXPECT_FALSE(result.status().message().empty());
  EXPECT_FALSE(DecodeImage({}).ok());
}

TEST(DecodeImageTest, HugeJpegHeaderIsRefusedBeforeDecoding) {
  std::vector<uint8_t> jpeg = EncodeJpeg(TestPattern(16, 16));
  // SOF0 (FF C0): length(2) precision(1) height(2) width(2).
  bool patched = false;
  for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 5] = 60000 >> 8, jpeg[i + 6] = 60000 & 0xFF;
      jpeg[i + 7] = 60000 >> 8, jpeg[i + 8] = 60000 & 0xFF;
      patched = true;
      break;
    }
  }
  ASSERT_TRUE(patched);
  auto result = DecodeImage(jpeg);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kInvalidInput);
  EXPECT_NE(result.status().message().find("too large"), std::string::npos);
}

TEST(DecodeImageTest, HugePngHeaderIsRefusedBeforeDecoding) {
  std::vector<uint8_t> png = EncodePng(TestPattern(16, 16));
  // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), ..., CRC over type+data.
  PutBigEndian32(&png[16], 60000);
  PutBigEndian32(&png[20], 60000);
  PutBigEndian32(&png[29], Crc32(&png[12], 17));
  auto result = DecodeImage(png);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kInvalidInput);
  EXPECT_NE(result.status().message().find("too large"), std::string::npos);
}

TEST(DecodeImageTest, MutatedFilesNeverCrash) {
  const std::vector<std::vector<uint8_t>> seeds = {EncodeJpeg(TestPattern(48, 40)),
                                                   EncodePng(TestPattern(48, 40))};
  std::mt19937 rng(1234);
  for (const auto& seed : seeds) {
    for (int round = 0; round < 300; ++round) {
      std::vector<uint8_t> bytes = seed;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int i = 0; i < flips; ++i) bytes[4 + rng() % (bytes.size() - 4)] = rng();
      if (round % 3 == 0) bytes.resize(rng() % bytes.size());
      auto result = DecodeImage(bytes, round % 2 ? 16 : 0);
      if (result.ok()) {
        EXPECT_EQ(result->pixels.size(), static_cast<size_t>(result->width) * result->height * 4);
      }
    }
  }
}

TEST(DownscaleTest, AveragesAreas) {
  Image image{4, 2, {}};
  for (int i = 0; i < 8; ++i) {
    const uint8_t v = i % 4 < 2 ? 0 : 200;  // left half black, right half grey
    image.pixels.insert(image.pixels.end(), {v, v, v, 255});
  }
  Image small = Downscale(image, 2);
  ASSERT_EQ(small.width, 2);
  ASSERT_EQ(small.height, 1);
  EXPECT_EQ(PixelAt(small, 0, 0)[0], 0);
  EXPECT_EQ(PixelAt(small, 1, 0)[0], 200);
  EXPECT_EQ(PixelAt(small, 1, 0)[3], 255);
}

TEST(DownscaleTest, TransparentPixelsDoNotDarken) {
  Image image{2, 1, {0, 0, 0, 0, 255, 255, 255, 255}};  // transparent black, opaque white
  Image small = Downscale(image, 1);
  ASSERT_EQ(small.width, 1);
  EXPECT_EQ(PixelAt(small, 0, 0)[0], 255);
  EXPECT_NEAR(PixelAt(small, 0, 0)[3], 128, 1);
}

TEST(DownscaleTest, NonIntegerRatioKeepsAspectAndMean) {
  Image image{7, 3, std::vector<uint8_t>(7 * 3 * 4, 100)};
  Image small = Downscale(image, 5);
  EXPECT_EQ(small.width, 5);
  EXPECT_EQ(small.height, 2);
  for (uint8_t v : small.pixels) EXPECT_TRUE(v == 100 || v == 255);
  EXPECT_EQ(Downscale(image, 0).width, 7);
  EXPECT_EQ(Downscale(image, 7).pixels, image.pixels);
}

// ---- The shared test photos: one synthetic picture in five formats, and mat2's samples ----

TEST(DecodeImageTest, SharedPhotosInEveryFormatShowTheSamePicture) {
  const std::filesystem::path dir = imagetest::SharedTestData() / "media/synthetic";
  if (!std::filesystem::exists(dir / "photo.png")) {
    GTEST_SKIP() << "no shared test data in " << dir << " (it lives beside the repository)";
  }
  auto reference = DecodeImage(ReadFileBytes(dir / "photo.png"));
  ASSERT_TRUE(reference.ok()) << reference.status().message();
  for (const char* name : {"photo.jpg", "photo.webp", "photo.heic", "photo.tif"}) {
    if (!std::filesystem::exists(dir / name)) continue;
    auto decoded = DecodeImage(ReadFileBytes(dir / name));
    ASSERT_TRUE(decoded.ok()) << name << ": " << decoded.status().message();
    ASSERT_EQ(decoded->width, 1200) << name;
    ASSERT_EQ(decoded->height, 800) << name;
    // Lossy formats differ a little; a rotated, mirrored or colour-swapped picture a lot.
    EXPECT_LT(MeanAbsDifference(*reference, *decoded), 8.0) << name;
    auto thumb = DecodeImage(ReadFileBytes(dir / name), 256);
    ASSERT_TRUE(thumb.ok()) << name;
    EXPECT_EQ(thumb->width, 256) << name;
    EXPECT_EQ(thumb->height, 171) << name;
  }
}

TEST(DecodeImageTest, Mat2SamplesDecode) {
  const std::filesystem::path dir = imagetest::SharedTestData() / "media/mat2-tests";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no shared test data in " << dir;
  struct Sample {
    const char* name;
    int width, height;
  };
  for (const Sample& sample : {Sample{"dirty.gif", 50, 50}, Sample{"dirty.avif", 800, 600},
                               Sample{"dirty.heic", 1024, 768}, Sample{"dirty.webp", 800, 600},
                               Sample{"dirty.tiff", 640, 480}}) {
    if (!std::filesystem::exists(dir / sample.name)) continue;
    auto decoded = DecodeImage(ReadFileBytes(dir / sample.name));
    ASSERT_TRUE(decoded.ok()) << sample.name << ": " << decoded.status().message();
    EXPECT_EQ(decoded->width, sample.width) << sample.name;
    EXPECT_EQ(decoded->height, sample.height) << sample.name;
  }
  for (const char* refused : {"dirty.bmp", "dirty.jxl", "dirty.svg"}) {
    if (!std::filesystem::exists(dir / refused)) continue;
    auto result = DecodeImage(ReadFileBytes(dir / refused));
    ASSERT_FALSE(result.ok()) << refused;
    EXPECT_EQ(result.status().code(), Code::kInvalidInput);
  }
}

// ---- WebP ----

TEST(DecodeImageTest, WebpLosslessKeepsPixelsAndAlpha) {
  Image original = TestPattern(37, 21);
  for (size_t i = 3; i < original.pixels.size(); i += 12) original.pixels[i] = 100;
  auto decoded = DecodeImage(imagetest::WebpLossless(original));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->width, 37);
  EXPECT_EQ(decoded->height, 21);
  EXPECT_EQ(decoded->pixels, original.pixels);
}

TEST(DecodeImageTest, WebpMaxDimensionShrinksWhileDecoding) {
  auto decoded = DecodeImage(imagetest::WebpLossless(TestPattern(400, 300)), 100);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->width, 100);
  EXPECT_EQ(decoded->height, 75);
  EXPECT_GT(PixelAt(*decoded, 5, 5)[0], 200);
  EXPECT_LT(PixelAt(*decoded, 90, 70)[0], 60);
}

TEST(DecodeImageTest, AnimatedWebpGivesItsFirstFrameOnTheCanvas) {
  const auto webp = imagetest::AnimatedWebp(
      32, 24,
      {{imagetest::Solid(16, 12, 255, 0, 0), 4, 2}, {imagetest::Solid(32, 24, 0, 0, 255), 0, 0}});
  auto decoded = DecodeImage(webp);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->width, 32);
  EXPECT_EQ(decoded->height, 24);
  EXPECT_EQ(PixelAt(*decoded, 10, 8)[0], 255);  // inside the red first frame
  EXPECT_EQ(PixelAt(*decoded, 10, 8)[2], 0);
  EXPECT_EQ(PixelAt(*decoded, 30, 22)[3], 0);  // outside it: transparent, not the blue frame
}

TEST(DecodeImageTest, HugeWebpCanvasIsRefusedBeforeDecoding) {
  auto webp = imagetest::AnimatedWebp(16, 16, {{imagetest::Solid(16, 16, 1, 2, 3), 0, 0}});
  // VP8X canvas fields: RIFF(12) + "VP8X" + size (8) + flags (4), then width-1, height-1.
  for (int i = 0; i < 3; ++i) {  // 16000 x 16000: within WebP's limits, beyond ours
    webp[24 + i] = webp[27 + i] = static_cast<uint8_t>(15999 >> (8 * i));
  }
  auto result = DecodeImage(webp);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kInvalidInput);
  EXPECT_NE(result.status().message().find("too large"), std::string::npos);
}

// ---- GIF ----

std::vector<GifPixelType> Indices(int width, int height, GifPixelType value) {
  return std::vector<GifPixelType>(static_cast<size_t>(width) * height, value);
}

TEST(DecodeImageTest, GifFirstFrameWithTransparencyAndOffset) {
  imagetest::GifFrame first{2, 3, 4, 5, false, 0, Indices(4, 5, 1)};  // red, index 0 transparent
  first.indices[0] = 0;                                               // one transparent pixel
  imagetest::GifFrame second{0, 0, 10, 10, false, NO_TRANSPARENT_COLOR, Indices(10, 10, 3)};
  auto decoded = DecodeImage(imagetest::MakeGif(10, 10, {first, second}));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->width, 10);
  EXPECT_EQ(decoded->height, 10);
  EXPECT_EQ(PixelAt(*decoded, 3, 4)[0], 255);  // red frame
  EXPECT_EQ(PixelAt(*decoded, 3, 4)[3], 255);
  EXPECT_EQ(PixelAt(*decoded, 2, 3)[3], 0);  // its transparent pixel
  EXPECT_EQ(PixelAt(*decoded, 9, 9)[3], 0);  // outside the first frame; the blue one is not drawn
}

TEST(DecodeImageTest, InterlacedGifRowsLandInPlace) {
  imagetest::GifFrame frame{0, 0, 3, 11, true, NO_TRANSPARENT_COLOR, {}};
  for (int y = 0; y < 11; ++y) {
    for (int x = 0; x < 3; ++x) frame.indices.push_back(static_cast<GifPixelType>(y % 4));
  }
  auto decoded = DecodeImage(imagetest::MakeGif(3, 11, {frame}));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  const uint8_t expected[4][3] = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
  for (int y = 0; y < 11; ++y) {
    EXPECT_EQ(PixelAt(*decoded, 1, y)[0], expected[y % 4][0]) << y;
    EXPECT_EQ(PixelAt(*decoded, 1, y)[1], expected[y % 4][1]) << y;
    EXPECT_EQ(PixelAt(*decoded, 1, y)[2], expected[y % 4][2]) << y;
  }
}

TEST(DecodeImageTest, HugeGifScreenIsRefusedBeforeDecoding) {
  imagetest::GifFrame frame{0, 0, 2, 2, false, NO_TRANSPARENT_COLOR, Indices(2, 2, 1)};
  auto result = DecodeImage(imagetest::MakeGif(65535, 65535, {frame}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kInvalidInput);
  EXPECT_NE(result.status().message().find("too large"), std::string::npos);
}

// ---- TIFF ----

TEST(DecodeImageTest, TiffRoundTripInSeveralCompressions) {
  const Image original = TestPattern(40, 30);
  for (uint16_t compression : {COMPRESSION_NONE, COMPRESSION_LZW, COMPRESSION_ADOBE_DEFLATE}) {
    auto decoded = DecodeImage(imagetest::MakeTiff(original, {.compression = compression}));
    ASSERT_TRUE(decoded.ok()) << compression << ": " << decoded.status().message();
    EXPECT_EQ(decoded->pixels, original.pixels) << compression;
  }
  // libtiff hands out premultiplied colours: a transparent pixel's colour is gone (as it
  // should be), a half-transparent one comes back within rounding.
  Image transparent = TestPattern(8, 8);
  transparent.pixels[3] = 0;
  transparent.pixels[7] = 128;
  auto with_alpha = DecodeImage(imagetest::MakeTiff(transparent, {.alpha = true}));
  ASSERT_TRUE(with_alpha.ok()) << with_alpha.status().message();
  EXPECT_EQ(std::vector<uint8_t>(with_alpha->pixels.begin(), with_alpha->pixels.begin() + 4),
            (std::vector<uint8_t>{0, 0, 0, 0}));
  for (int c = 0; c < 4; ++c) EXPECT_NEAR(with_alpha->pixels[4 + c], transparent.pixels[4 + c], 2);
  EXPECT_TRUE(std::equal(with_alpha->pixels.begin() + 8, with_alpha->pixels.end(),
                         transparent.pixels.begin() + 8));
}

TEST(DecodeImageTest, TiffOrientationIsApplied) {
  struct Case {
    uint16_t orientation;
    int width, height, red_x, red_y;
  };
  const Image stored = TestPattern(80, 40);
  for (const Case& c : {Case{1, 80, 40, 3, 3}, Case{2, 80, 40, 76, 3}, Case{3, 80, 40, 76, 36},
                        Case{4, 80, 40, 3, 36}, Case{5, 40, 80, 3, 3}, Case{6, 40, 80, 36, 3},
                        Case{7, 40, 80, 36, 76}, Case{8, 40, 80, 3, 76}}) {
    auto decoded = DecodeImage(imagetest::MakeTiff(stored, {.orientation = c.orientation}));
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(decoded->width, c.width) << c.orientation;
    EXPECT_EQ(decoded->height, c.height) << c.orientation;
    EXPECT_GT(PixelAt(*decoded, c.red_x, c.red_y)[0], 200) << c.orientation;
    EXPECT_LT(PixelAt(*decoded, c.width - 1 - c.red_x, c.height - 1 - c.red_y)[0], 60);
  }
}

// Rewrites the first IFD's ImageWidth and ImageLength (little-endian TIFF from libtiff).
void PatchTiffSize(std::vector<uint8_t>& tiff, uint32_t width, uint32_t height) {
  const uint32_t ifd =
      tiff[4] | tiff[5] << 8 | tiff[6] << 16 | static_cast<uint32_t>(tiff[7]) << 24;
  const int count = tiff[ifd] | tiff[ifd + 1] << 8;
  for (int i = 0; i < count; ++i) {
    uint8_t* entry = &tiff[ifd + 2 + 12 * i];
    const int tag = entry[0] | entry[1] << 8;
    if (tag != TIFFTAG_IMAGEWIDTH && tag != TIFFTAG_IMAGELENGTH) continue;
    const uint32_t value = tag == TIFFTAG_IMAGEWIDTH ? width : height;
    entry[2] = 4, entry[3] = 0;  // LONG
    for (int b = 0; b < 4; ++b) entry[8 + b] = static_cast<uint8_t>(value >> (8 * b));
  }
}

TEST(DecodeImageTest, HugeTiffIsRefusedBeforeDecoding) {
  std::vector<uint8_t> tiff = imagetest::MakeTiff(TestPattern(16, 16));
  PatchTiffSize(tiff, 60000, 60000);
  auto result = DecodeImage(tiff);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kInvalidInput);
  EXPECT_NE(result.status().message().find("too large"), std::string::npos);
}

// ---- HEIC / AVIF ----

TEST(DecodeImageTest, HeicAndAvifRoundTrip) {
  const Image original = TestPattern(64, 48);
  int encoded = 0;
  for (heif_compression_format format : {heif_compression_HEVC, heif_compression_AV1}) {
    const std::vector<uint8_t> bytes = imagetest::MakeHeif(original, format);
    if (bytes.empty()) continue;
    ++encoded;
    auto decoded = DecodeImage(bytes);
    ASSERT_TRUE(decoded.ok()) << format << ": " << decoded.status().message();
    EXPECT_EQ(decoded->width, 64);
    EXPECT_EQ(decoded->height, 48);
    EXPECT_LT(MeanAbsDifference(original, *decoded), 6.0) << format;
    EXPECT_GT(PixelAt(*decoded, 4, 4)[0], 180) << format;
    EXPECT_EQ(PixelAt(*decoded, 40, 40)[3], 255) << format;
  }
  if (encoded == 0) GTEST_SKIP() << "this libheif has no HEVC or AV1 encoder";
  RecordProperty("formats_encoded", encoded);
}

// Rewrites every 'ispe' (image spatial extents) property: version/flags, then width, height.
void PatchIspe(std::vector<uint8_t>& heif, uint32_t width, uint32_t height) {
  for (size_t i = 0; i + 16 <= heif.size(); ++i) {
    if (std::memcmp(&heif[i], "ispe", 4) != 0) continue;
    PutBigEndian32(&heif[i + 8], width);
    PutBigEndian32(&heif[i + 12], height);
  }
}

TEST(DecodeImageTest, HugeHeifIsRefusedBeforeDecoding) {
  const std::vector<uint8_t> heic = imagetest::MakeHeif(TestPattern(64, 48), heif_compression_HEVC);
  if (heic.empty()) GTEST_SKIP() << "this libheif has no HEVC encoder";
  // Beyond our 100 megapixels, then beyond libheif's own limit on a side.
  for (uint32_t side : {20000u, 60000u}) {
    std::vector<uint8_t> huge = heic;
    PatchIspe(huge, side, side);
    auto result = DecodeImage(huge);
    ASSERT_FALSE(result.ok()) << side;
    EXPECT_EQ(result.status().code(), Code::kInvalidInput) << side;
    EXPECT_NE(result.status().message().find("too large"), std::string::npos)
        << side << ": " << result.status().message();
  }
}

// ---- Damaged input, every format ----

std::vector<std::pair<std::string, std::vector<uint8_t>>> SmallFilesOfEveryFormat() {
  const Image picture = TestPattern(48, 40);
  std::vector<GifPixelType> indices;
  for (int i = 0; i < 48 * 40; ++i) indices.push_back(static_cast<GifPixelType>(i * 7 % 4));
  std::vector<std::pair<std::string, std::vector<uint8_t>>> files = {
      {"jpeg", EncodeJpeg(picture)},
      {"png", EncodePng(picture)},
      {"webp", imagetest::WebpLossless(picture)},
      {"gif", imagetest::MakeGif(48, 40, {{0, 0, 48, 40, false, NO_TRANSPARENT_COLOR, indices}})},
      {"tiff", imagetest::MakeTiff(picture, {.compression = COMPRESSION_LZW})},
  };
  for (auto [name, format] :
       {std::pair{"heic", heif_compression_HEVC}, std::pair{"avif", heif_compression_AV1}}) {
    std::vector<uint8_t> bytes = imagetest::MakeHeif(picture, format);
    if (!bytes.empty()) files.emplace_back(name, std::move(bytes));
  }
  return files;
}

TEST(DecodeImageTest, TruncatedFilesOfEveryFormatAreInvalidInput) {
  for (const auto& [name, bytes] : SmallFilesOfEveryFormat()) {
    ASSERT_TRUE(DecodeImage(bytes).ok()) << name;
    for (size_t keep : {bytes.size() * 3 / 4, bytes.size() / 2, size_t{20}}) {
      auto result = DecodeImage(std::span(bytes.data(), keep));
      ASSERT_FALSE(result.ok()) << name << " cut to " << keep;
      EXPECT_EQ(result.status().code(), Code::kInvalidInput) << name << " cut to " << keep;
      EXPECT_FALSE(result.status().message().empty());
    }
  }
}

TEST(DecodeImageTest, MutatedFilesOfEveryFormatNeverCrash) {
  std::mt19937 rng(99);
  for (const auto& [name, seed] : SmallFilesOfEveryFormat()) {
    const int rounds = name == "heic" || name == "avif" ? 60 : 200;  // slower codecs
    for (int round = 0; round < rounds; ++round) {
      std::vector<uint8_t> bytes = seed;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int i = 0; i < flips; ++i) bytes[8 + rng() % (bytes.size() - 8)] = rng();
      if (round % 3 == 0) bytes.resize(8 + rng() % (bytes.size() - 8));
      auto result = decode_internal::DecodeImageWithLimits(
          bytes, {.max_dimension = round % 2 ? 16 : 0, .max_pixels = 1 << 20});
      if (result.ok()) {
        EXPECT_EQ(result->pixels.size(), static_cast<size_t>(result->width) * result->height * 4);
      } else {
        EXPECT_NE(result.status().code(), Code::kOk) << name;
      }
    }
  }
}

}  // namespace
}  // namespace rempart
