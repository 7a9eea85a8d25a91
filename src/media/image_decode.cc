#include "media/image_decode.h"

#include <png.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>

#include "core/i18n.h"

namespace rempart {
namespace {

// Messages are msgids: callers translate them with Translator::tr().
const char* const kNotAnImage = N_("This file is not a JPEG or PNG image.");
const char* const kTooLarge = N_("The image is too large to open (more than 100 megapixels).");
const char* const kDamaged = N_("The image is damaged or incomplete and cannot be opened.");
const char* const kNoMemory = N_("There is not enough memory to open the image.");
const char* const kNoDecoder = N_("The image decoder could not be started.");

Status Invalid(const char* msgid) { return Status(Code::kInvalidInput, msgid); }

bool StartsWith(std::span<const uint8_t> bytes, std::string_view magic) {
  return bytes.size() >= magic.size() && std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
}

// Checked before allocating, so a forged header cannot make us ask for gigabytes.
Status CheckSize(int64_t width, int64_t height) {
  if (width <= 0 || height <= 0) return Invalid(kDamaged);
  if (width * height > kMaxImagePixels) return Invalid(kTooLarge);
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
Image Fit(Image image, int max_dimension) {
  if (max_dimension <= 0 || std::max(image.width, image.height) <= max_dimension) return image;
  return Downscale(image, max_dimension);
}

// ---- EXIF orientation (JPEG APP1 "Exif\0\0" + TIFF IFD0 tag 0x0112) ----

class TiffReader {
 public:
  explicit TiffReader(std::span<const uint8_t> data) : data_(data) {}
  bool little_endian = true;  // "II"; "MM" is big-endian
  // Out-of-range reads give 0, which no caller treats as valid.
  uint32_t U16(uint64_t pos) const {
    if (pos + 2 > data_.size()) return 0;
    const uint8_t* p = data_.data() + pos;
    return little_endian ? p[0] | p[1] << 8 : p[0] << 8 | p[1];
  }
  uint32_t U32(uint64_t pos) const {
    return little_endian ? U16(pos) | U16(pos + 2) << 16 : U16(pos) << 16 | U16(pos + 2);
  }
  size_t size() const { return data_.size(); }

 private:
  std::span<const uint8_t> data_;
};

int TiffOrientation(std::span<const uint8_t> tiff) {
  if (!StartsWith(tiff, "II") && !StartsWith(tiff, "MM")) return 1;
  TiffReader r(tiff);
  r.little_endian = StartsWith(tiff, "II");
  if (r.U16(2) != 42) return 1;
  uint64_t ifd = r.U32(4);
  uint32_t count = r.U16(ifd);
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t entry = ifd + 2 + 12ull * i;
    if (entry + 12 > r.size()) break;
    if (r.U16(entry) != 0x0112) continue;
    constexpr uint32_t kShort = 3;
    uint32_t value = r.U16(entry + 8);
    return r.U16(entry + 2) == kShort && value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
  }
  return 1;
}

// Walks the JPEG markers up to the first scan looking for EXIF; 1 (as stored) when absent.
int JpegOrientation(std::span<const uint8_t> jpeg) {
  size_t pos = 2;  // after SOI
  while (pos + 4 <= jpeg.size()) {
    if (jpeg[pos] != 0xFF) return 1;
    uint8_t marker = jpeg[pos + 1];
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return 1;  // image data starts: no more metadata
    size_t length = jpeg[pos + 2] << 8 | jpeg[pos + 3];
    if (length < 2 || pos + 2 + length > jpeg.size()) return 1;
    auto payload = jpeg.subspan(pos + 4, length - 2);
    if (marker == 0xE1 && StartsWith(payload, std::string_view("Exif\0\0", 6))) {
      return TiffOrientation(payload.subspan(6));
    }
    pos += 2 + length;
  }
  return 1;
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

// ---- JPEG ----

struct TjCloser {
  void operator()(void* handle) const { tjDestroy(handle); }
};

// The DCT scaling factor giving the smallest picture whose longer side still reaches
// max_dimension, so the final area-average shrink has enough pixels to stay sharp.
tjscalingfactor PickScale(int width, int height, int max_dimension) {
  tjscalingfactor best{1, 1};
  if (max_dimension <= 0 || std::max(width, height) <= max_dimension) return best;
  int count = 0;
  const tjscalingfactor* factors = tjGetScalingFactors(&count);
  int best_side = std::max(width, height);
  for (int i = 0; factors && i < count; ++i) {
    if (factors[i].num >= factors[i].denom) continue;
    int side = std::max(TJSCALED(width, factors[i]), TJSCALED(height, factors[i]));
    if (side >= max_dimension && side < best_side) best = factors[i], best_side = side;
  }
  return best;
}

// Adobe CMYK JPEGs store inverted inks, so R = C * K / 255 (what browsers do without a profile).
void CmykToRgba(std::vector<uint8_t>& pixels) {
  for (size_t i = 0; i + 3 < pixels.size(); i += 4) {
    const unsigned k = pixels[i + 3];
    for (int c = 0; c < 3; ++c) pixels[i + c] = static_cast<uint8_t>(pixels[i + c] * k / 255);
    pixels[i + 3] = 255;
  }
}

Result<Image> DecodeJpeg(std::span<const uint8_t> bytes, int max_dimension) {
  std::unique_ptr<void, TjCloser> tj(tjInitDecompress());
  if (!tj) return Status(Code::kFailed, kNoDecoder);
  auto* data = const_cast<unsigned char*>(bytes.data());  // TurboJPEG 2 API lacks const
  const auto size = static_cast<unsigned long>(bytes.size());
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(tj.get(), data, size, &width, &height, &subsampling, &colorspace) != 0) {
    return Invalid(kDamaged);
  }
  REMPART_RETURN_IF_ERROR(CheckSize(width, height));
  const tjscalingfactor scale = PickScale(width, height, max_dimension);
  const int scaled_width = TJSCALED(width, scale), scaled_height = TJSCALED(height, scale);
  REMPART_ASSIGN_OR_RETURN(auto pixels,
                           AllocatePixels(scaled_width, scaled_height, kImageChannels));
  const bool cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
  // LIMITSCANS stops progressive files built with thousands of scans to burn CPU.
  if (tjDecompress2(tj.get(), data, size, pixels.data(), scaled_width, 0, scaled_height,
                    cmyk ? TJPF_CMYK : TJPF_RGBA, TJFLAG_LIMITSCANS) != 0) {
    // Warnings (odd but readable files) are accepted, except running out of data: the decoder
    // would then hand back a picture whose lower part is invented grey.
    const bool fatal = tjGetErrorCode(tj.get()) == TJERR_FATAL ||
                       std::strstr(tjGetErrorStr2(tj.get()), "Premature end") != nullptr;
    if (fatal) return Invalid(kDamaged);
  }
  if (cmyk) CmykToRgba(pixels);
  Image image{scaled_width, scaled_height, std::move(pixels)};
  return Fit(ApplyOrientation(std::move(image), JpegOrientation(bytes)), max_dimension);
}

// ---- PNG (libpng's simplified API: no setjmp in our code, conversions done by libpng) ----

Result<Image> DecodePng(std::span<const uint8_t> bytes, int max_dimension) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  // png_image_free is safe to call again after libpng freed the image itself on failure.
  std::unique_ptr<png_image, void (*)(png_image*)> guard(&png,
                                                         [](png_image* p) { png_image_free(p); });
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size())) {
    return Invalid(kDamaged);
  }
  REMPART_RETURN_IF_ERROR(CheckSize(png.width, png.height));
  png.format = PNG_FORMAT_RGBA;
  REMPART_ASSIGN_OR_RETURN(auto pixels, AllocatePixels(png.width, png.height, kImageChannels));
  if (!png_image_finish_read(&png, nullptr, pixels.data(), 0, nullptr)) return Invalid(kDamaged);
  return Fit({static_cast<int>(png.width), static_cast<int>(png.height), std::move(pixels)},
             max_dimension);
}

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
  if (StartsWith(bytes, "\xFF\xD8\xFF")) return DecodeJpeg(bytes, max_dimension);
  if (StartsWith(bytes, "\x89PNG\r\n\x1A\n")) return DecodePng(bytes, max_dimension);
  return Invalid(kNotAnImage);
}

}  // namespace rempart
