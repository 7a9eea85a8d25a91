#include "media/image_encode.h"

#include <gtest/gtest.h>
#include <turbojpeg.h>

#include <filesystem>
#include <string>
#include <vector>

#include "media/image_test_support.h"

namespace rempart {
namespace {

using imagetest::MeanAbsDifference;
using imagetest::PixelAt;
using imagetest::TestPattern;

std::vector<uint8_t> Encode(const Image& image, MediaFormat format, EncodeOptions options = {}) {
  auto bytes = EncodeImage(image, format, options);
  EXPECT_TRUE(bytes.ok()) << bytes.status().message();
  return bytes.ok() ? *bytes : std::vector<uint8_t>{};
}

// The JPEG markers before the image data (0xDA), in order.
std::vector<int> JpegMarkers(const std::vector<uint8_t>& jpeg) {
  std::vector<int> markers;
  for (size_t pos = 2; pos + 4 <= jpeg.size();) {
    const int marker = jpeg[pos + 1];
    markers.push_back(marker);
    if (marker == 0xDA) break;
    pos += 2 + (jpeg[pos + 2] << 8 | jpeg[pos + 3]);
  }
  return markers;
}

// PNG chunk types in order.
std::vector<std::string> PngChunks(const std::vector<uint8_t>& png) {
  std::vector<std::string> chunks;
  for (size_t pos = 8; pos + 8 <= png.size();) {
    const size_t length = png[pos] << 24 | png[pos + 1] << 16 | png[pos + 2] << 8 | png[pos + 3];
    chunks.emplace_back(png.begin() + pos + 4, png.begin() + pos + 8);
    pos += 12 + length;
  }
  return chunks;
}

// RIFF chunk fourccs of a WebP file in order.
std::vector<std::string> WebpChunks(const std::vector<uint8_t>& webp) {
  std::vector<std::string> chunks;
  for (size_t pos = 12; pos + 8 <= webp.size();) {
    const size_t length = webp[pos + 4] | webp[pos + 5] << 8 | webp[pos + 6] << 16 |
                          static_cast<size_t>(webp[pos + 7]) << 24;
    chunks.emplace_back(webp.begin() + pos, webp.begin() + pos + 4);
    pos += 8 + length + (length & 1);
  }
  return chunks;
}

int JpegSubsampling(const std::vector<uint8_t>& jpeg) {
  tjhandle tj = tjInitDecompress();
  int width = 0, height = 0, subsampling = -1, colorspace = 0;
  tjDecompressHeader3(tj, const_cast<uint8_t*>(jpeg.data()), jpeg.size(), &width, &height,
                      &subsampling, &colorspace);
  tjDestroy(tj);
  return subsampling;
}

TEST(EncodeImageTest, JpegRoundTripWithOnlyTheBareHeader) {
  const Image original = TestPattern(120, 80);
  const std::vector<uint8_t> jpeg = Encode(original, MediaFormat::kJpeg);
  auto decoded = DecodeImage(jpeg);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->width, 120);
  EXPECT_EQ(decoded->height, 80);
  EXPECT_LT(MeanAbsDifference(original, *decoded), 3.0);
  // JFIF (APP0) only: no EXIF/XMP (APP1), ICC (APP2), IPTC (APP13), comment (COM).
  const std::vector<int> markers = JpegMarkers(jpeg);
  ASSERT_FALSE(markers.empty());
  EXPECT_EQ(markers.front(), 0xE0);
  for (size_t i = 1; i < markers.size(); ++i) {
    EXPECT_FALSE(markers[i] >= 0xE0 && markers[i] <= 0xEF) << std::hex << markers[i];
    EXPECT_NE(markers[i], 0xFE);
  }
  EXPECT_EQ(jpeg[jpeg.size() - 2], 0xFF);
  EXPECT_EQ(jpeg.back(), 0xD9);
}

TEST(EncodeImageTest, JpegQualityChoosesChromaResolution) {
  const Image image = TestPattern(64, 64);
  EXPECT_EQ(JpegSubsampling(Encode(image, MediaFormat::kJpeg)), TJSAMP_444);  // default 92
  EXPECT_EQ(JpegSubsampling(Encode(image, MediaFormat::kJpeg, {.quality = 80})), TJSAMP_420);
  const size_t small = Encode(image, MediaFormat::kJpeg, {.quality = 30}).size();
  const size_t large = Encode(image, MediaFormat::kJpeg, {.quality = 100}).size();
  EXPECT_LT(small, large);
  EXPECT_FALSE(Encode(image, MediaFormat::kJpeg, {.quality = 500}).empty());  // clamped
}

TEST(EncodeImageTest, JpegFlattensTransparencyOntoWhite) {
  Image image = TestPattern(16, 16);
  for (size_t i = 3; i < image.pixels.size(); i += 4) image.pixels[i] = 0;
  auto decoded = DecodeImage(Encode(image, MediaFormat::kJpeg));
  ASSERT_TRUE(decoded.ok());
  EXPECT_GT(PixelAt(*decoded, 2, 2)[1], 245);  // the red corner is invisible, so gone
  EXPECT_GT(PixelAt(*decoded, 12, 12)[0], 245);
}

TEST(EncodeImageTest, PngIsExactAndHoldsNothingButPixels) {
  Image original = TestPattern(33, 21);
  for (size_t i = 3; i < original.pixels.size(); i += 20) original.pixels[i] = 90;
  const std::vector<uint8_t> png = Encode(original, MediaFormat::kPng);
  EXPECT_EQ(PngChunks(png), (std::vector<std::string>{"IHDR", "sRGB", "IDAT", "IEND"}));
  auto decoded = DecodeImage(png);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->pixels, original.pixels);
}

TEST(EncodeImageTest, OpaquePngDropsTheAlphaChannel) {
  const std::vector<uint8_t> png = Encode(TestPattern(10, 10), MediaFormat::kPng);
  ASSERT_GT(png.size(), 26u);
  EXPECT_EQ(png[25], 2);  // IHDR colour type: truecolour without alpha
  auto decoded = DecodeImage(png);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->pixels, TestPattern(10, 10).pixels);
}

TEST(EncodeImageTest, ColoursUnderFullTransparencyAreBlanked) {
  Image image = TestPattern(8, 8);
  image.pixels[0] = 230, image.pixels[3] = 0;  // a red pixel nobody can see
  for (MediaFormat format : {MediaFormat::kPng, MediaFormat::kWebp}) {
    auto decoded = DecodeImage(Encode(image, format, {.lossless = true}));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(PixelAt(*decoded, 0, 0)[0], 0) << MediaFormatName(format);
    EXPECT_EQ(PixelAt(*decoded, 0, 0)[3], 0) << MediaFormatName(format);
  }
}

TEST(EncodeImageTest, WebpLossyAndLosslessWithoutMetadataChunks) {
  Image original = TestPattern(64, 40);
  const std::vector<uint8_t> lossy = Encode(original, MediaFormat::kWebp);
  EXPECT_EQ(WebpChunks(lossy), (std::vector<std::string>{"VP8 "}));  // opaque: no ALPH, no VP8X
  auto decoded = DecodeImage(lossy);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_LT(MeanAbsDifference(original, *decoded), 4.0);

  original.pixels[3] = 10;
  const std::vector<uint8_t> lossless = Encode(original, MediaFormat::kWebp, {.lossless = true});
  EXPECT_EQ(WebpChunks(lossless), (std::vector<std::string>{"VP8L"}));
  auto exact = DecodeImage(lossless);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->pixels, original.pixels);

  for (const std::string& chunk : WebpChunks(Encode(original, MediaFormat::kWebp))) {
    EXPECT_TRUE(chunk == "VP8X" || chunk == "ALPH" || chunk == "VP8 ") << chunk;
  }
}

TEST(EncodeImageTest, RefusesWhatItCannotWrite) {
  const Image image = TestPattern(8, 8);
  for (MediaFormat format : {MediaFormat::kGif, MediaFormat::kHeif, MediaFormat::kUnknown}) {
    auto result = EncodeImage(image, format);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), Code::kInvalidInput);
  }
  auto empty = EncodeImage(Image{}, MediaFormat::kPng);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), Code::kInvalidInput);
  auto inconsistent = EncodeImage(Image{4, 4, std::vector<uint8_t>(10)}, MediaFormat::kJpeg);
  EXPECT_EQ(inconsistent.status().code(), Code::kInvalidInput);
  auto too_wide =
      EncodeImage(Image{20000, 1, std::vector<uint8_t>(20000 * 4, 255)}, MediaFormat::kWebp);
  ASSERT_FALSE(too_wide.ok());
  EXPECT_EQ(too_wide.status().code(), Code::kInvalidInput);
  EXPECT_NE(too_wide.status().message().find("16383"), std::string::npos);
}

TEST(EncodeImageTest, ReencodeFormatFollowsTheSource) {
  const Image opaque = TestPattern(4, 4);
  Image transparent = opaque;
  transparent.pixels[3] = 0;
  EXPECT_EQ(ReencodeFormatFor(MediaFormat::kJpeg, opaque), MediaFormat::kJpeg);
  EXPECT_EQ(ReencodeFormatFor(MediaFormat::kWebp, transparent), MediaFormat::kWebp);
  EXPECT_EQ(ReencodeFormatFor(MediaFormat::kHeif, opaque), MediaFormat::kJpeg);
  EXPECT_EQ(ReencodeFormatFor(MediaFormat::kAvif, transparent), MediaFormat::kPng);
  EXPECT_EQ(ReencodeFormatFor(MediaFormat::kGif, opaque), MediaFormat::kPng);
  EXPECT_EQ(ReencodeFormatFor(MediaFormat::kTiff, opaque), MediaFormat::kJpeg);
  EXPECT_EQ(FileExtensionFor(MediaFormat::kJpeg), "jpg");
  EXPECT_EQ(FileExtensionFor(MediaFormat::kWebp), "webp");
  EXPECT_EQ(FileExtensionFor(MediaFormat::kTiff), "");
}

TEST(EncodeImageTest, ReencodedSharedPhotoLosesItsMetadata) {
  const auto path = imagetest::SharedTestData() / "media/mat2-tests/dirty.jpg";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no shared test data at " << path;
  const std::vector<uint8_t> original = imagetest::ReadFileBytes(path);
  auto decoded = DecodeImage(original);
  ASSERT_TRUE(decoded.ok());
  const std::vector<uint8_t> jpeg = Encode(*decoded, MediaFormat::kJpeg);
  const std::string text(jpeg.begin(), jpeg.end());
  for (const char* needle : {"Exif", "http://ns.adobe.com", "Photoshop", "ICC_PROFILE"}) {
    EXPECT_EQ(text.find(needle), std::string::npos) << needle;
  }
}

}  // namespace
}  // namespace rempart
