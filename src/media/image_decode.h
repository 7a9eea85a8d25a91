// Image decoding: JPEG, PNG, WebP, GIF, TIFF, HEIC/HEIF and AVIF bytes into an 8-bit RGBA
// pixel buffer.
//
// Input is treated as hostile: the format comes from the magic bytes (never the file name), the
// size is checked against kMaxImagePixels before any pixel memory is allocated, and damaged or
// truncated data gives kInvalidInput instead of a crash or a half-grey picture. Pixels come out
// the way a photo viewer shows them: JPEG EXIF and TIFF orientation are applied, and so are
// HEIF/AVIF rotation, mirroring and cropping. Animated GIF and WebP give their first frame.
// Errors carry English msgids: show them with Translator::Explain().
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/status.h"

namespace rempart {

// Decoded pixels: rows from the top-left, no padding, 4 bytes per pixel in R, G, B, A order,
// straight (not premultiplied) alpha. Opaque formats get A = 255.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height * kImageChannels bytes
};

inline constexpr int kImageChannels = 4;
// Larger images are refused (a 65535 x 65535 JPEG header would otherwise ask for 16 GiB).
inline constexpr int64_t kMaxImagePixels = 100'000'000;

// Decodes an image. With max_dimension > 0 the result is shrunk, aspect ratio kept, so that
// neither side exceeds it (JPEG uses the decoder's DCT scaling and WebP its own rescaler, much
// faster and lighter than decoding at full size); images already small enough keep their size.
Result<Image> DecodeImage(std::span<const uint8_t> bytes, int max_dimension = 0);

// Shrinks by area averaging (each output pixel is the mean of the input area it covers, alpha
// weighted so transparent pixels do not darken edges) until neither side exceeds
// max_dimension. Never enlarges: returns a copy when the image already fits or max_dimension
// is not positive.
Image Downscale(const Image& image, int max_dimension);

}  // namespace rempart
