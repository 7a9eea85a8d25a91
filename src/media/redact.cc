#include "media/redact.h"

#include <algorithm>
#include <array>
#include <string>

namespace rempart {
namespace {

// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and good enough to make noise; the
// unpredictability comes from the seed, which the caller draws from libsodium.
class NoiseSource {
 public:
  explicit NoiseSource(uint64_t seed) : state_(seed) {}
  // Uniform in [-amplitude, amplitude].
  int Next(int amplitude) {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return static_cast<int>(z % (2 * amplitude + 1)) - amplitude;
  }

 private:
  uint64_t state_;
};

uint8_t* PixelAt(Image& image, int x, int y) {
  return &image.pixels[(static_cast<size_t>(y) * image.width + x) * kImageChannels];
}

uint8_t Clamp(int value) { return static_cast<uint8_t>(std::clamp(value, 0, 255)); }

void FillSolid(Image& image, const Box& box) {
  for (int y = box.y; y < box.y + box.height; ++y) {
    for (int x = box.x; x < box.x + box.width; ++x) {
      uint8_t* p = PixelAt(image, x, y);
      p[0] = p[1] = p[2] = 0;
      p[3] = 255;
    }
  }
}

// Mean colour of a block, alpha ignored: colours under transparency are averaged away too.
std::array<int, 3> MeanColour(Image& image, const Box& block) {
  std::array<int64_t, 3> sum{};
  for (int y = block.y; y < block.y + block.height; ++y) {
    for (int x = block.x; x < block.x + block.width; ++x) {
      const uint8_t* p = PixelAt(image, x, y);
      for (int c = 0; c < 3; ++c) sum[c] += p[c];
    }
  }
  const int64_t count = block.area();
  return {static_cast<int>(sum[0] / count), static_cast<int>(sum[1] / count),
          static_cast<int>(sum[2] / count)};
}

// Paints one block: its noisy mean plus per-pixel grain, never leaving a pixel as it was.
void PaintBlock(Image& image, const Box& block, NoiseSource& noise) {
  std::array<int, 3> colour = MeanColour(image, block);
  for (int& c : colour) c += noise.Next(kBlockNoise);
  for (int y = block.y; y < block.y + block.height; ++y) {
    for (int x = block.x; x < block.x + block.width; ++x) {
      uint8_t* p = PixelAt(image, x, y);
      std::array<uint8_t, 3> out;
      for (int c = 0; c < 3; ++c) out[c] = Clamp(colour[c] + noise.Next(kPixelNoise));
      if (p[3] == 255 && std::equal(out.begin(), out.end(), p)) {
        out[0] = out[0] < 255 ? out[0] + 1 : 254;  // the rare pixel that landed on itself
      }
      std::copy(out.begin(), out.end(), p);
      p[3] = 255;
    }
  }
}

// Blocks tile the box exactly: n blocks of at least `side` pixels each along a length.
int BlockCount(int length, int side) { return std::max(1, length / side); }
int BlockEdge(int origin, int length, int count, int i) {
  return origin + static_cast<int>(int64_t{length} * i / count);
}

void Pixelate(Image& image, const Box& box, NoiseSource& noise) {
  const int side = std::max(kMinPixelBlock, (std::max(box.width, box.height) + 7) / 8);
  const int across = BlockCount(box.width, side), down = BlockCount(box.height, side);
  for (int j = 0; j < down; ++j) {
    const int top = BlockEdge(box.y, box.height, down, j);
    const int bottom = BlockEdge(box.y, box.height, down, j + 1);
    for (int i = 0; i < across; ++i) {
      const int left = BlockEdge(box.x, box.width, across, i);
      const int right = BlockEdge(box.x, box.width, across, i + 1);
      PaintBlock(image, {left, top, right - left, bottom - top}, noise);
    }
  }
}

// ---- Preview ----

using Colour = std::array<uint8_t, 3>;
constexpr std::array<Colour, 5> kFrameColours = {Colour{255, 0, 200}, Colour{255, 220, 0},
                                                 Colour{0, 230, 255}, Colour{90, 255, 0},
                                                 Colour{255, 120, 0}};
constexpr Colour kDark = {20, 20, 20};

void FillRect(Image& image, const Box& rect, const Colour& colour) {
  const Box clipped = ClipBox(rect, image.width, image.height);
  for (int y = clipped.y; y < clipped.y + clipped.height; ++y) {
    for (int x = clipped.x; x < clipped.x + clipped.width; ++x) {
      uint8_t* p = PixelAt(image, x, y);
      std::copy(colour.begin(), colour.end(), p);
      p[3] = 255;
    }
  }
}

// A frame `thickness` wide just inside `rect`.
void DrawFrame(Image& image, const Box& rect, int thickness, const Colour& colour) {
  const int t = std::min({thickness, rect.width, rect.height});
  FillRect(image, {rect.x, rect.y, rect.width, t}, colour);
  FillRect(image, {rect.x, rect.y + rect.height - t, rect.width, t}, colour);
  FillRect(image, {rect.x, rect.y, t, rect.height}, colour);
  FillRect(image, {rect.x + rect.width - t, rect.y, t, rect.height}, colour);
}

// 3x5 digits, one row of three bits per nibble, top row first.
constexpr std::array<uint32_t, 10> kDigits = {0x75557, 0x26227, 0x71747, 0x71717, 0x55711,
                                              0x74717, 0x74757, 0x71111, 0x75757, 0x75717};

bool DigitBit(int digit, int column, int row) {
  return (kDigits[digit] >> ((4 - row) * 4 + (2 - column))) & 1;
}

void DrawNumber(Image& image, int number, int x, int y, int scale, const Colour& ink) {
  const std::string text = std::to_string(number);
  for (size_t i = 0; i < text.size(); ++i) {
    const int digit = text[i] - '0';
    const int left = x + static_cast<int>(i) * 4 * scale;
    for (int row = 0; row < 5; ++row) {
      for (int column = 0; column < 3; ++column) {
        if (DigitBit(digit, column, row)) {
          FillRect(image, {left + column * scale, y + row * scale, scale, scale}, ink);
        }
      }
    }
  }
}

// The number in a filled tab on the frame's top-left corner, above the box when there is room.
void DrawLabel(Image& image, const Box& box, int number, int thickness, const Colour& colour) {
  const int scale = std::max(2, thickness);
  const int digits = static_cast<int>(std::to_string(number).size());
  const int width = (digits * 4 + 1) * scale, height = 7 * scale;
  const int top = box.y - height >= 0 ? box.y - height : box.y;
  FillRect(image, {box.x, top, width, height}, colour);
  DrawNumber(image, number, box.x + scale, top + scale, scale, kDark);
}

}  // namespace

void Redact(Image& image, const std::vector<Box>& boxes, RedactStyle style, uint64_t seed) {
  NoiseSource noise(seed);
  for (const Box& requested : boxes) {
    const Box box = ClipBox(requested, image.width, image.height);
    if (box.empty()) continue;
    if (style == RedactStyle::kSolid) {
      FillSolid(image, box);
    } else {
      Pixelate(image, box, noise);
    }
  }
}

Image DrawPreview(const Image& image, const std::vector<Box>& boxes) {
  Image preview = image;
  const int thickness = std::clamp(std::max(image.width, image.height) / 250, 3, 16);
  const int edge = std::max(1, thickness / 3);
  for (size_t i = 0; i < boxes.size(); ++i) {
    const Box box = ClipBox(boxes[i], image.width, image.height);
    if (box.empty()) continue;
    const Colour& colour = kFrameColours[i % kFrameColours.size()];
    DrawFrame(preview, {box.x - edge, box.y - edge, box.width + 2 * edge, box.height + 2 * edge},
              thickness + 2 * edge, kDark);
    DrawFrame(preview, box, thickness, colour);
    DrawLabel(preview, box, static_cast<int>(i) + 1, thickness, colour);
  }
  return preview;
}

}  // namespace rempart
