#include "media/image_encode.h"

#include <png.h>
#include <turbojpeg.h>
#include <webp/encode.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>

#include "core/i18n.h"

namespace rempart {
namespace {

const char* const kCannotWrite = N_("Rempart cannot write {} images: choose JPEG, PNG or WebP.");
const char* const kEmptyImage = N_("There is no picture to save (the image is empty).");
const char* const kTooLargeFor =
    N_("The image is too large to save as {} (at most {} pixels wide and high).");
const char* const kEncoderFailed = N_("The image could not be encoded as {}.");
const char* const kNoMemory = N_("There is not enough memory to save the image.");

constexpr int kMaxJpegSide = 65535;
constexpr int kMaxPngSide = 1'000'000;  // PNG allows 2^31 - 1; our images never come close

bool Consistent(const Image& image) {
  return image.width > 0 && image.height > 0 &&
         image.pixels.size() == static_cast<size_t>(image.width) * image.height * kImageChannels;
}

int MaxSide(MediaFormat format) {
  if (format == MediaFormat::kJpeg) return kMaxJpegSide;
  if (format == MediaFormat::kWebp) return WEBP_MAX_DIMENSION;
  return kMaxPngSide;
}

int QualityOr(int quality, int fallback) {
  return quality <= 0 ? fallback : std::clamp(quality, 1, 100);
}

// Transparent pixels keep whatever colour they had (a cut-out background, an erased face):
// blank it so that what nobody can see is not in the file either.
std::vector<uint8_t> BlankTransparent(const Image& image) {
  std::vector<uint8_t> pixels = image.pixels;
  for (size_t i = 0; i + 3 < pixels.size(); i += 4) {
    if (pixels[i + 3] == 0) pixels[i] = pixels[i + 1] = pixels[i + 2] = 0;
  }
  return pixels;
}

// RGB for the formats (or images) without alpha: composite onto white, as most viewers show
// transparency; opaque pixels are copied unchanged.
std::vector<uint8_t> FlattenOnWhite(const Image& image) {
  std::vector<uint8_t> rgb(static_cast<size_t>(image.width) * image.height * 3);
  for (size_t i = 0, o = 0; i + 3 < image.pixels.size(); i += 4, o += 3) {
    const unsigned alpha = image.pixels[i + 3];
    for (int c = 0; c < 3; ++c) {
      rgb[o + c] =
          static_cast<uint8_t>((image.pixels[i + c] * alpha + 255 * (255 - alpha) + 127) / 255);
    }
  }
  return rgb;
}

struct TjCloser {
  void operator()(void* handle) const { tjDestroy(handle); }
};

Result<std::vector<uint8_t>> EncodeJpeg(const Image& image, int quality) {
  std::unique_ptr<void, TjCloser> tj(tjInitCompress());
  if (!tj) return Error(Code::kFailed, kEncoderFailed, "JPEG");
  const std::vector<uint8_t> rgb = FlattenOnWhite(image);
  // 4:4:4 at high quality: halving colour resolution would undo what the quality buys.
  const int subsampling = quality >= 90 ? TJSAMP_444 : TJSAMP_420;
  unsigned char* out = nullptr;
  unsigned long size = 0;
  const int failed = tjCompress2(tj.get(), rgb.data(), image.width, 0, image.height, TJPF_RGB, &out,
                                 &size, subsampling, quality, 0);
  std::unique_ptr<unsigned char, void (*)(unsigned char*)> owned(out, tjFree);
  if (failed != 0 || out == nullptr) return Error(Code::kFailed, kEncoderFailed, "JPEG");
  return std::vector<uint8_t>(out, out + size);
}

bool IsOpaque(const Image& image) { return !HasTransparency(image); }

Result<std::vector<uint8_t>> EncodePng(const Image& image) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  png.width = image.width;
  png.height = image.height;
  // Opaque pictures drop the alpha channel (a quarter smaller). libpng's simplified writer adds
  // one sRGB chunk (one byte: "these colours are sRGB", which they are) and nothing else.
  const bool opaque = IsOpaque(image);
  png.format = opaque ? PNG_FORMAT_RGB : PNG_FORMAT_RGBA;
  const std::vector<uint8_t> source = opaque ? FlattenOnWhite(image) : BlankTransparent(image);
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&png, nullptr, &size, 0, source.data(), 0, nullptr)) {
    return Error(Code::kFailed, kEncoderFailed, "PNG");
  }
  std::vector<uint8_t> bytes(size);
  if (!png_image_write_to_memory(&png, bytes.data(), &size, 0, source.data(), 0, nullptr)) {
    return Error(Code::kFailed, kEncoderFailed, "PNG");
  }
  bytes.resize(size);
  return bytes;
}

Result<std::vector<uint8_t>> EncodeWebp(const Image& image, int quality, bool lossless) {
  // libwebp leaves out the alpha chunk by itself when every pixel is opaque.
  const std::vector<uint8_t> pixels = BlankTransparent(image);
  const int stride = image.width * kImageChannels;
  uint8_t* out = nullptr;
  const size_t size =
      lossless ? WebPEncodeLosslessRGBA(pixels.data(), image.width, image.height, stride, &out)
               : WebPEncodeRGBA(pixels.data(), image.width, image.height, stride,
                                static_cast<float>(quality), &out);
  std::unique_ptr<uint8_t, void (*)(void*)> owned(out, WebPFree);
  if (size == 0 || out == nullptr) return Error(Code::kFailed, kEncoderFailed, "WebP");
  return std::vector<uint8_t>(out, out + size);
}

Result<std::vector<uint8_t>> Encode(const Image& image, MediaFormat format,
                                    const EncodeOptions& options) {
  switch (format) {
    case MediaFormat::kJpeg:
      return EncodeJpeg(image, QualityOr(options.quality, kDefaultJpegQuality));
    case MediaFormat::kPng:
      return EncodePng(image);
    case MediaFormat::kWebp:
      return EncodeWebp(image, QualityOr(options.quality, kDefaultWebpQuality), options.lossless);
    default:
      return Error(Code::kInvalidInput, kCannotWrite, MediaFormatName(format));
  }
}

std::string_view DisplayName(MediaFormat format) {
  if (format == MediaFormat::kJpeg) return "JPEG";
  if (format == MediaFormat::kPng) return "PNG";
  return "WebP";
}

}  // namespace

bool CanEncode(MediaFormat format) {
  return format == MediaFormat::kJpeg || format == MediaFormat::kPng ||
         format == MediaFormat::kWebp;
}

bool HasTransparency(const Image& image) {
  for (size_t i = 3; i < image.pixels.size(); i += kImageChannels) {
    if (image.pixels[i] != 255) return true;
  }
  return false;
}

Result<std::vector<uint8_t>> EncodeImage(const Image& image, MediaFormat format,
                                         const EncodeOptions& options) {
  if (!CanEncode(format)) {
    return Error(Code::kInvalidInput, kCannotWrite, MediaFormatName(format));
  }
  if (!Consistent(image)) return Status(Code::kInvalidInput, kEmptyImage);
  if (std::max(image.width, image.height) > MaxSide(format)) {
    return Error(Code::kInvalidInput, kTooLargeFor, DisplayName(format), MaxSide(format));
  }
  try {
    return Encode(image, format, options);
  } catch (const std::bad_alloc&) {
    return Status(Code::kFailed, kNoMemory);
  }
}

MediaFormat ReencodeFormatFor(MediaFormat source, const Image& image) {
  if (CanEncode(source)) return source;
  if (source == MediaFormat::kGif || HasTransparency(image)) return MediaFormat::kPng;
  return MediaFormat::kJpeg;
}

std::string_view FileExtensionFor(MediaFormat format) {
  switch (format) {
    case MediaFormat::kJpeg:
      return "jpg";
    case MediaFormat::kPng:
      return "png";
    case MediaFormat::kWebp:
      return "webp";
    default:
      return "";
  }
}

}  // namespace rempart
