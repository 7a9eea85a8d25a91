#include "media/face_detect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "media/image_test_support.h"
#include "media/redact.h"

namespace rempart {
namespace {

// The fixture's face (NASA portrait, public domain; tests/fixtures/faces/LICENCE): eyes, nose
// and mouth lie within x 185..265, y 95..175 of the 512 x 512 picture.
constexpr int kFaceCentreX = 224, kFaceCentreY = 135;

Image Astronaut() {
  auto image = DecodeImage(imagetest::ReadFileBytes(imagetest::FaceFixture()));
  EXPECT_TRUE(image.ok()) << imagetest::FaceFixture() << ": " << image.status().message();
  return image.ok() ? *image : Image{};
}

// The top `height` rows: the head and collar, without the mission patch lower down, which
// dlib scores just around its threshold (a patch with a face-like drawing on it).
Image TopRows(const Image& image, int height) {
  Image top{image.width, height, image.pixels};
  top.pixels.resize(static_cast<size_t>(image.width) * height * 4);
  return top;
}

bool Contains(const Box& box, int x, int y) {
  return x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
}

// Puts `source` (scaled by `scale`, nearest pixel) at (left, top) on a grey canvas.
Image Paste(const Image& source, int width, int height, int left, int top, double scale) {
  Image canvas{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height * 4, 128)};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int sx = static_cast<int>((x - left) / scale), sy = static_cast<int>((y - top) / scale);
      if (x < left || y < top || sx >= source.width || sy >= source.height) continue;
      std::copy_n(imagetest::PixelAt(source, sx, sy), 4,
                  &canvas.pixels[(static_cast<size_t>(y) * width + x) * 4]);
    }
  }
  return canvas;
}

TEST(FaceDetectTest, FindsTheFaceAndCoversHairAndChin) {
  const Image image = Astronaut();
  FaceDetector detector;
  auto faces = detector.Detect(image);
  ASSERT_TRUE(faces.ok()) << faces.status().message();
  ASSERT_EQ(faces->size(), 1u);
  const Box& face = faces->front();
  EXPECT_TRUE(Contains(face, kFaceCentreX, kFaceCentreY));
  // Forehead to chin and ear to ear, with the margins, but not half the picture.
  for (auto [x, y] : {std::pair{185, 95}, std::pair{265, 95}, std::pair{185, 175},
                      std::pair{265, 175}, std::pair{224, 60}}) {
    EXPECT_TRUE(Contains(face, x, y)) << x << "," << y;
  }
  EXPECT_GT(face.width, 100);
  EXPECT_LT(face.width, 220);
  EXPECT_LT(face.height, 240);
  EXPECT_LE(face.x + face.width, image.width);

  // Redacting what was found replaces every pixel of the box and touches nothing else:
  // pixelation leaves no pixel at its old value, solid fill leaves only black.
  const uint8_t black[4] = {0, 0, 0, 255};
  for (RedactStyle style : {RedactStyle::kPixelate, RedactStyle::kSolid}) {
    Image redacted = image;
    Redact(redacted, *faces, style, 0x5eed);
    for (int y = 0; y < image.height; ++y) {
      for (int x = 0; x < image.width; ++x) {
        const uint8_t* before = imagetest::PixelAt(image, x, y);
        const uint8_t* after = imagetest::PixelAt(redacted, x, y);
        if (!Contains(face, x, y)) {
          ASSERT_TRUE(std::equal(before, before + 4, after)) << x << "," << y;
        } else if (style == RedactStyle::kPixelate) {
          ASSERT_FALSE(std::equal(before, before + 4, after)) << x << "," << y;
        } else {
          ASSERT_TRUE(std::equal(black, black + 4, after)) << x << "," << y;
        }
      }
    }
  }
}

TEST(FaceDetectTest, TwoFacesComeLeftToRight) {
  const Image one = TopRows(Astronaut(), 300);
  // The portrait twice, side by side, the right one mirrored.
  Image two{one.width * 2, one.height,
            std::vector<uint8_t>(static_cast<size_t>(one.width) * 2 * one.height * 4)};
  for (int y = 0; y < one.height; ++y) {
    for (int x = 0; x < one.width; ++x) {
      const uint8_t* p = imagetest::PixelAt(one, x, y);
      std::copy_n(p, 4, &two.pixels[(static_cast<size_t>(y) * two.width + x) * 4]);
      std::copy_n(p, 4, &two.pixels[(static_cast<size_t>(y) * two.width + two.width - 1 - x) * 4]);
    }
  }
  auto faces = DetectFaces(two);
  ASSERT_TRUE(faces.ok());
  ASSERT_EQ(faces->size(), 2u);
  EXPECT_TRUE(Contains((*faces)[0], kFaceCentreX, kFaceCentreY));
  EXPECT_TRUE(Contains((*faces)[1], two.width - 1 - kFaceCentreX, kFaceCentreY));
}

TEST(FaceDetectTest, SmallFacesInSmallPicturesAreFound) {
  // Shrunk to half the face is about 45 pixels high: only found on an enlarged copy.
  const Image small = Downscale(TopRows(Astronaut(), 300), 256);
  auto faces = DetectFaces(small);
  ASSERT_TRUE(faces.ok());
  ASSERT_EQ(faces->size(), 1u);
  EXPECT_TRUE(Contains(faces->front(), kFaceCentreX / 2, kFaceCentreY / 2));
}

TEST(FaceDetectTest, LargePhotoIsSearchedOnAShrunkCopyAndBoxesMapBack) {
  // A 3000 x 2000 photo with the portrait enlarged 3 times at (1200, 300).
  const Image large = Paste(Astronaut(), 3000, 2000, 1200, 300, 3.0);
  FaceDetector detector;
  const auto start = std::chrono::steady_clock::now();
  auto faces = detector.Detect(large);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  RecordProperty("detect_3000x2000_ms", static_cast<int>(elapsed.count()));
  ASSERT_TRUE(faces.ok());
  ASSERT_EQ(faces->size(), 1u);
  EXPECT_TRUE(Contains(faces->front(), 1200 + 3 * kFaceCentreX, 300 + 3 * kFaceCentreY));
  EXPECT_GT(faces->front().width, 300);
}

TEST(FaceDetectTest, NoFaceNoBox) {
  FaceDetector detector;
  auto none = detector.Detect(imagetest::TestPattern(240, 160));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto empty = detector.Detect(Image{});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto inconsistent = detector.Detect(Image{10, 10, std::vector<uint8_t>(3)});
  ASSERT_TRUE(inconsistent.ok());
  EXPECT_TRUE(inconsistent->empty());
}

TEST(FaceDetectTest, DetectorsAreReusableAndMovable) {
  const Image image = Downscale(TopRows(Astronaut(), 300), 256);
  FaceDetector first;
  FaceDetector second = std::move(first);
  auto a = second.Detect(image);
  auto b = second.Detect(image);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->size(), 1u);
}

}  // namespace
}  // namespace rempart
