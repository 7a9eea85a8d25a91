#include "media/redact.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "media/image_test_support.h"

namespace rempart {
namespace {

using imagetest::PixelAt;
using imagetest::TestPattern;

bool Inside(const Box& box, int x, int y) {
  return x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
}

bool SamePixel(const Image& a, const Image& b, int x, int y) {
  return std::equal(PixelAt(a, x, y), PixelAt(a, x, y) + 4, PixelAt(b, x, y));
}

// Every pixel inside `box` differs from `before`, every pixel outside is untouched.
void ExpectOnlyBoxChanged(const Image& before, const Image& after, const Box& box) {
  for (int y = 0; y < before.height; ++y) {
    for (int x = 0; x < before.width; ++x) {
      ASSERT_EQ(SamePixel(before, after, x, y), !Inside(box, x, y)) << x << "," << y;
    }
  }
}

// A picture with detail everywhere, so pixelation has something to destroy.
Image Noisy(int width, int height) {
  Image image = TestPattern(width, height);
  for (size_t i = 0; i < image.pixels.size(); ++i) {
    if (i % 4 != 3) image.pixels[i] = static_cast<uint8_t>(image.pixels[i] ^ (i * 37 % 64));
  }
  return image;
}

TEST(RedactTest, SolidFillsTheBoxWithOpaqueBlack) {
  const Image original = Noisy(100, 80);
  Image image = original;
  const Box box{10, 20, 30, 25};
  Redact(image, {box}, RedactStyle::kSolid, 1);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const uint8_t* p = PixelAt(image, x, y);
      if (Inside(box, x, y)) {
        EXPECT_TRUE(p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 255) << x << "," << y;
      } else {
        EXPECT_TRUE(SamePixel(original, image, x, y)) << x << "," << y;
      }
    }
  }
}

TEST(RedactTest, PixelationReplacesEveryPixelInTheBoxAndNothingElse) {
  const Image original = Noisy(200, 150);
  Image image = original;
  const Box box{37, 11, 120, 90};
  Redact(image, {box}, RedactStyle::kPixelate, 42);
  ExpectOnlyBoxChanged(original, image, box);
}

TEST(RedactTest, PixelationBlocksAreCoarse) {
  // A 160-pixel box: blocks of max(16, 160 / 8) = 20 pixels, so at most 8 x 8 blocks, each
  // flat but for a little per-pixel grain.
  Image image = Noisy(160, 160);
  Redact(image, {{0, 0, 160, 160}}, RedactStyle::kPixelate, 7);
  std::set<std::array<int, 3>> block_colours;
  for (int by = 0; by < 8; ++by) {
    for (int bx = 0; bx < 8; ++bx) {
      const uint8_t* centre = PixelAt(image, bx * 20 + 10, by * 20 + 10);
      for (int y = by * 20; y < by * 20 + 20; ++y) {
        for (int x = bx * 20; x < bx * 20 + 20; ++x) {
          for (int c = 0; c < 3; ++c) {
            ASSERT_LE(std::abs(PixelAt(image, x, y)[c] - centre[c]), 2 * kPixelNoise + 1);
          }
        }
      }
      block_colours.insert({centre[0] / 8, centre[1] / 8, centre[2] / 8});
    }
  }
  EXPECT_GT(block_colours.size(), 8u);  // blocks still follow the picture's broad colours
}

TEST(RedactTest, SmallBoxesStillGetBlocksOfSixteen) {
  Image image = Noisy(64, 64);
  const Box box{5, 5, 40, 24};  // 2 x 1 blocks of at least 16 pixels
  const Image original = image;
  Redact(image, {box}, RedactStyle::kPixelate, 3);
  ExpectOnlyBoxChanged(original, image, box);
  // The left block spans x 5..24, the right 25..44: pixels 10 apart in one block stay close.
  for (int c = 0; c < 3; ++c) {
    EXPECT_LE(std::abs(PixelAt(image, 6, 6)[c] - PixelAt(image, 23, 27)[c]), 2 * kPixelNoise + 1);
  }
}

TEST(RedactTest, NoiseMovesBlockColoursAwayFromTheMean) {
  // A flat grey box: without noise every block would be exactly 128 again.
  Image image{64, 64, std::vector<uint8_t>(64 * 64 * 4, 128)};
  Redact(image, {{0, 0, 64, 64}}, RedactStyle::kPixelate, 11);
  int moved = 0;
  for (int by = 0; by < 4; ++by) {
    for (int bx = 0; bx < 4; ++bx) {
      const uint8_t* p = PixelAt(image, bx * 16 + 8, by * 16 + 8);
      for (int c = 0; c < 3; ++c) {
        EXPECT_LE(std::abs(p[c] - 128), kBlockNoise + kPixelNoise + 1);
        moved += std::abs(p[c] - 128) > kPixelNoise;
      }
    }
  }
  EXPECT_GT(moved, 10);
}

TEST(RedactTest, TheSeedDecidesTheNoise) {
  const Image original = Noisy(80, 80);
  Image a = original, b = original, c = original;
  Redact(a, {{0, 0, 80, 80}}, RedactStyle::kPixelate, 1);
  Redact(b, {{0, 0, 80, 80}}, RedactStyle::kPixelate, 1);
  Redact(c, {{0, 0, 80, 80}}, RedactStyle::kPixelate, 2);
  EXPECT_EQ(a.pixels, b.pixels);
  EXPECT_NE(a.pixels, c.pixels);
}

TEST(RedactTest, TransparencyInTheBoxBecomesOpaque) {
  Image image = Noisy(40, 40);
  for (size_t i = 3; i < image.pixels.size(); i += 4) image.pixels[i] = 0;
  Redact(image, {{0, 0, 20, 20}}, RedactStyle::kPixelate, 5);
  EXPECT_EQ(PixelAt(image, 5, 5)[3], 255);
  EXPECT_EQ(PixelAt(image, 30, 30)[3], 0);
}

TEST(RedactTest, BoxesAreClippedAndOutsideOnesIgnored) {
  const Image original = Noisy(50, 40);
  Image image = original;
  Redact(image, {{-10, -10, 30, 25}, {100, 100, 10, 10}, {0, 0, 0, 0}}, RedactStyle::kPixelate, 9);
  ExpectOnlyBoxChanged(original, image, {0, 0, 20, 15});
  Image untouched = original;
  Redact(untouched, {}, RedactStyle::kSolid, 0);
  EXPECT_EQ(untouched.pixels, original.pixels);
}

TEST(RedactTest, OverlappingBoxesAreBothRedacted) {
  const Image original = Noisy(100, 100);
  Image image = original;
  Redact(image, {{10, 10, 50, 50}, {40, 40, 50, 50}}, RedactStyle::kPixelate, 4);
  for (int y = 0; y < 100; ++y) {
    for (int x = 0; x < 100; ++x) {
      const bool inside = Inside({10, 10, 50, 50}, x, y) || Inside({40, 40, 50, 50}, x, y);
      ASSERT_EQ(SamePixel(original, image, x, y), !inside) << x << "," << y;
    }
  }
}

// ---- Preview ----

TEST(DrawPreviewTest, FramesAndNumbersEachBoxAndLeavesTheOriginalAlone) {
  const Image original = Noisy(300, 200);
  const Box first{40, 60, 80, 70}, second{180, 20, 90, 150};
  const Image preview = DrawPreview(original, {first, second});
  ASSERT_EQ(preview.width, 300);
  ASSERT_EQ(preview.height, 200);
  EXPECT_EQ(original.pixels, Noisy(300, 200).pixels);
  // The frames: coloured just inside the box edges, different colours for the two boxes.
  const uint8_t* left_edge = PixelAt(preview, first.x + 1, first.y + 35);
  const uint8_t* right_edge = PixelAt(preview, second.x + 1, second.y + 75);
  EXPECT_FALSE(std::equal(left_edge, left_edge + 3, right_edge));
  EXPECT_GT(std::max({left_edge[0], left_edge[1], left_edge[2]}), 200);
  // The middle of each box and the far corner of the picture are untouched.
  EXPECT_TRUE(SamePixel(original, preview, first.x + 40, first.y + 35));
  EXPECT_TRUE(SamePixel(original, preview, second.x + 45, second.y + 100));
  EXPECT_TRUE(SamePixel(original, preview, 5, 195));
  // The first label sits above the first box (there is room), the second inside its box.
  EXPECT_FALSE(SamePixel(original, preview, first.x + 2, first.y - 4));
  EXPECT_FALSE(SamePixel(original, preview, second.x + 5, second.y + 5));
}

TEST(DrawPreviewTest, DigitsAreDrawnInTheLabel) {
  Image white{200, 200, std::vector<uint8_t>(200 * 200 * 4, 255)};
  std::vector<Box> boxes(12, Box{50, 100, 60, 60});  // the twelfth label says "12"
  const Image preview = DrawPreview(white, {boxes.back()});
  // One box, numbered 1: the label (above the box) has dark ink pixels for the digit.
  int ink = 0;
  for (int y = 60; y < 100; ++y) {
    for (int x = 50; x < 80; ++x) ink += PixelAt(preview, x, y)[0] < 60;
  }
  EXPECT_GT(ink, 5);
  const Image many = DrawPreview(white, boxes);
  EXPECT_NE(many.pixels, preview.pixels);  // "12" is not "1"
}

TEST(DrawPreviewTest, BoxesAtTheEdgesAndOutsideAreSafe) {
  const Image original = Noisy(64, 48);
  const Image preview =
      DrawPreview(original, {{-5, -5, 20, 20}, {60, 40, 30, 30}, {500, 500, 5, 5}, {0, 0, 1, 1}});
  EXPECT_EQ(preview.pixels.size(), original.pixels.size());
  EXPECT_TRUE(SamePixel(original, preview, 32, 24));
}

}  // namespace
}  // namespace rempart
