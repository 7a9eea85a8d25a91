#include "media/image_decode.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <string_view>

#include "core/i18n.h"
#include "media/image_decode_internal.h"
#include "media/media_format.h"

namespace rempart {
namespace decode_internal {

const char* const kNotAnImage =
    N_("This file is not an image Rempart can open (JPEG, PNG, WebP, GIF, TIFF, HEIC or AVIF).");
const char* const kTooLarge = N_("The image is too large to open (more than 100 megapixels).");
const char* const kDamaged = N_("The image is damaged or incomplete and cannot be opened.");
const char* const kNoMemory = N_("There is not enough memory to open the image.");
const char* const kNoDecoder = N_("The image decoder could not be started.");
const char* const kUnsupportedCodec =
    N_("This HEIC or AVIF image uses a compression this computer cannot decode.");

// Checked before allocating, so a forged header cannot make us ask for gigabytes.
Status CheckSize(int64_t width, int64_t height, const DecodeLimits& limits) {
  if (width <= 0 || height <= 0) return Invalid(kDamaged);
  if (width > limits.max_pixels || height > limits.max_pixels ||
      width * height > limits.max_pixels) {
    return Invalid(kTooLarge);
  }
  return Status::Ok();
}

// Reserves the pixel buffer without letting std::bad_alloc escape the API.
Result<std::vector<uint8_t>> AllocatePixels(int64_t width, int64_t height, int channels) {
  try {
    return std::vector<uint8_t>(static_cast<size_t>(width * height * channels));
  } catch (const std::bad_alloc&) {
    return Status(Code::kFailed, kNoMemory);
  }
}

// Shrinks only when needed, sparing the copy Downscale makes of an image that already fits.
Image Fit(Image image, const DecodeLimits& limits) {
  const int max_dimension = limits.max_dimension;
  if (max_dimension <= 0 || std::max(image.width, image.height) <= max_dimension) return image;
  return Downscale(image, max_dimension);
}

// Rotates/flips so that the stored orientation (EXIF values 1..8) displays upright.
Image ApplyOrientation(Image in, int orientation) {
  if (orientation <= 1 || orientation > 8) return in;
  const int w = in.width, h = in.height;
  const bool swap = orientation >= 5;
  Image out{swap ? h : w, swap ? w : h, std::vector<uint8_t>(in.pixels.size())};
  for (int sy = 0; sy < h; ++sy) {
    for (int sx = 0; sx < w; ++sx) {
      int dx = sx, dy = sy;
      switch (orientation) {
        case 2:
          dx = w - 1 - sx;
          break;
        case 3:
          dx = w - 1 - sx, dy = h - 1 - sy;
          break;
        case 4:
          dy = h - 1 - sy;
          break;
        case 5:
          dx = sy, dy = sx;
          break;
        case 6:
          dx = h - 1 - sy, dy = sx;
          break;
        case 7:
          dx = h - 1 - sy, dy = w - 1 - sx;
          break;
        case 8:
          dx = sy, dy = w - 1 - sx;
          break;
      }
      std::memcpy(&out.pixels[(static_cast<size_t>(dy) * out.width + dx) * kImageChannels],
                  &in.pixels[(static_cast<size_t>(sy) * w + sx) * kImageChannels], kImageChannels);
    }
  }
  return out;
}

// The format comes from the magic bytes, never from a file name.
Result<Image> DecodeImageWithLimits(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
  switch (SniffMediaFormat(bytes)) {
    case MediaFormat::kJpeg:
      return DecodeJpeg(bytes, limits);
    case MediaFormat::kPng:
      return DecodePng(bytes, limits);
    case MediaFormat::kWebp:
      return DecodeWebp(bytes, limits);
    case MediaFormat::kGif:
      return DecodeGif(bytes, limits);
    case MediaFormat::kTiff:
      return DecodeTiff(bytes, limits);
    case MediaFormat::kHeif:
    case MediaFormat::kAvif:
      return DecodeHeif(bytes, limits);
    default:
      return Invalid(kNotAnImage);
  }
}

}  // namespace decode_internal

namespace {

// ---- Area-average resampling ----

// For each output index, the input indices it covers and their weights (summing to 1).
struct Taps {
  std::vector<size_t> begin;  // output i uses entries [begin[i], begin[i + 1])
  std::vector<int> source;
  std::vector<float> weight;
};

Taps AreaTaps(int in_size, int out_size) {
  Taps taps;
  const double step = static_cast<double>(in_size) / out_size;
  for (int i = 0; i < out_size; ++i) {
    taps.begin.push_back(taps.source.size());
    const double lo = i * step, hi = (i + 1) * step;
    for (int k = static_cast<int>(lo); k < in_size && k < hi; ++k) {
      const double covered = std::min<double>(k + 1, hi) - std::max<double>(k, lo);
      if (covered <= 0) continue;
      taps.source.push_back(k);
      taps.weight.push_back(static_cast<float>(covered / step));
    }
  }
  taps.begin.push_back(taps.source.size());
  return taps;
}

// Shrinks one input row horizontally into premultiplied-alpha floats.
void ShrinkRow(const uint8_t* row, const Taps& taps, int out_width, float* out) {
  for (int x = 0; x < out_width; ++x) {
    float acc[4] = {0, 0, 0, 0};
    for (size_t t = taps.begin[x]; t < taps.begin[x + 1]; ++t) {
      const uint8_t* p = row + static_cast<size_t>(taps.source[t]) * kImageChannels;
      const float alpha_weight = taps.weight[t] * p[3];
      acc[0] += alpha_weight * p[0];
      acc[1] += alpha_weight * p[1];
      acc[2] += alpha_weight * p[2];
      acc[3] += alpha_weight;
    }
    std::copy(acc, acc + 4, out + static_cast<size_t>(x) * 4);
  }
}

uint8_t ToByte(float v) { return static_cast<uint8_t>(std::clamp(v, 0.0f, 255.0f) + 0.5f); }

}  // namespace

Image Downscale(const Image& image, int max_dimension) {
  const int longest = std::max(image.width, image.height);
  if (max_dimension <= 0 || longest <= max_dimension) return image;
  const double ratio = static_cast<double>(max_dimension) / longest;
  const int out_width = std::max(1, static_cast<int>(std::lround(image.width * ratio)));
  const int out_height = std::max(1, static_cast<int>(std::lround(image.height * ratio)));
  const Taps across = AreaTaps(image.width, out_width);
  const Taps down = AreaTaps(image.height, out_height);

  Image out{out_width, out_height,
            std::vector<uint8_t>(static_cast<size_t>(out_width) * out_height * kImageChannels)};
  const size_t in_stride = static_cast<size_t>(image.width) * kImageChannels;
  std::vector<float> shrunk(static_cast<size_t>(out_width) * 4), sum(shrunk.size());
  int shrunk_row = -1;  // an input row feeds at most two output rows: keep the last one
  for (int y = 0; y < out_height; ++y) {
    std::fill(sum.begin(), sum.end(), 0.0f);
    for (size_t t = down.begin[y]; t < down.begin[y + 1]; ++t) {
      if (down.source[t] != shrunk_row) {
        shrunk_row = down.source[t];
        ShrinkRow(image.pixels.data() + shrunk_row * in_stride, across, out_width, shrunk.data());
      }
      for (size_t i = 0; i < sum.size(); ++i) sum[i] += down.weight[t] * shrunk[i];
    }
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * out_width * kImageChannels;
    for (int x = 0; x < out_width; ++x) {
      const float* s = &sum[static_cast<size_t>(x) * 4];
      const float alpha = s[3];
      for (int c = 0; c < 3; ++c) dst[x * 4 + c] = alpha > 0 ? ToByte(s[c] / alpha) : 0;
      dst[x * 4 + 3] = ToByte(alpha);
    }
  }
  return out;
}

Result<Image> DecodeImage(std::span<const uint8_t> bytes, int max_dimension) {
  return decode_internal::DecodeImageWithLimits(bytes, {.max_dimension = max_dimension});
}

}  // namespace rempart
