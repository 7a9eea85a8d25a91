// Shared pieces of the per-format decoders behind DecodeImage (decode_*.cc). Not a public API:
// only image_decode*.cc, decode_*.cc and the image_decode fuzzer include it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/status.h"
#include "media/image_decode.h"

namespace rempart::decode_internal {

// Messages are msgids, defined in image_decode.cc (xgettext reads only .cc files); the edge
// translates them (Translator::Explain).
extern const char* const kNotAnImage;
extern const char* const kTooLarge;
extern const char* const kDamaged;
extern const char* const kNoMemory;
extern const char* const kNoDecoder;
extern const char* const kUnsupportedCodec;

// What a decoder may produce: the pixel budget is checked before any pixel memory is
// allocated; max_dimension > 0 shrinks the result (see DecodeImage).
struct DecodeLimits {
  int max_dimension = 0;
  int64_t max_pixels = kMaxImagePixels;
};

inline Status Invalid(const char* msgid) { return Status(Code::kInvalidInput, msgid); }

// kInvalidInput unless 0 < width, 0 < height and width * height <= limits.max_pixels.
Status CheckSize(int64_t width, int64_t height, const DecodeLimits& limits);
// A zeroed width * height * channels buffer, or kFailed instead of std::bad_alloc.
Result<std::vector<uint8_t>> AllocatePixels(int64_t width, int64_t height, int channels);
// Shrinks only when limits.max_dimension asks for it.
Image Fit(Image image, const DecodeLimits& limits);
// Rotates/flips so that a picture stored with EXIF/TIFF orientation 1..8 displays upright.
Image ApplyOrientation(Image image, int orientation);

// DecodeImage with an explicit pixel budget (the fuzzer uses a small one to stay fast).
Result<Image> DecodeImageWithLimits(std::span<const uint8_t> bytes, const DecodeLimits& limits);

// One per format; `bytes` already has the format's magic.
Result<Image> DecodeJpeg(std::span<const uint8_t> bytes, const DecodeLimits& limits);
Result<Image> DecodePng(std::span<const uint8_t> bytes, const DecodeLimits& limits);
Result<Image> DecodeWebp(std::span<const uint8_t> bytes, const DecodeLimits& limits);
Result<Image> DecodeGif(std::span<const uint8_t> bytes, const DecodeLimits& limits);
Result<Image> DecodeTiff(std::span<const uint8_t> bytes, const DecodeLimits& limits);
Result<Image> DecodeHeif(std::span<const uint8_t> bytes, const DecodeLimits& limits);

}  // namespace rempart::decode_internal
