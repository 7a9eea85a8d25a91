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

namespace rempart {
namespace {

// A test picture: red top-left quarter, the rest a blue/green gradient, opaque.
Image TestPattern(int width, int height) {
  Image image{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height * 4)};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * width + x) * 4];
      const bool corner = x < width / 4 && y < height / 4;
      p[0] = corner ? 230 : 20;
      p[1] = corner ? 20 : static_cast<uint8_t>(255 * x / width);
      p[2] = corner ? 20 : static_cast<uint8_t>(255 * y / height);
      p[3] = 255;
    }
  }
  return image;
}

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

const uint8_t* PixelAt(const Image& image, int x, int y) {
  return &image.pixels[(static_cast<size_t>(y) * image.width + x) * 4];
}

double MeanAbsDifference(const Image& a, const Image& b) {
  double total = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) total += std::abs(a.pixels[i] - b.pixels[i]);
  return total / a.pixels.size();
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
  std::string text = "GIF89a, or anything else that is not JPEG or PNG";
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

std::vector<uint8_t> ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(DecodeImageTest, SharedTestPhotos) {
  const std::filesystem::path dir = REMPART_SOURCE_DIR "/../shared/testdata/media/synthetic";
  if (!std::filesystem::exists(dir / "photo.jpg")) GTEST_SKIP() << "no shared test data";
  for (const char* name : {"photo.jpg", "photo.png"}) {
    auto decoded = DecodeImage(ReadFileBytes(dir / name));
    ASSERT_TRUE(decoded.ok()) << name << ": " << decoded.status().message();
    EXPECT_EQ(decoded->width, 1200) << name;
    EXPECT_EQ(decoded->height, 800) << name;
    auto thumb = DecodeImage(ReadFileBytes(dir / name), 256);
    ASSERT_TRUE(thumb.ok());
    EXPECT_EQ(thumb->width, 256) << name;
  }
}

}  // namespace
}  // namespace rempart
