// Fuzzes image decoding in every format (JPEG, PNG, WebP, GIF, TIFF, HEIC, AVIF): the format
// comes from the magic bytes, as for a real upload. A 4-megapixel budget keeps each run fast
// and lets libFuzzer's memory limit catch decoders that allocate beyond what we allow.
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/image_decode_internal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using rempart::decode_internal::DecodeImageWithLimits;
  // Odd sizes also take the shrinking paths (DCT scaling, WebP's rescaler, Downscale).
  const int max_dimension = size % 2 ? 64 : 0;
  auto image = DecodeImageWithLimits(std::span(data, size),
                                     {.max_dimension = max_dimension, .max_pixels = 4'000'000});
  if (image.ok() && image->pixels.size() != static_cast<size_t>(image->width) * image->height *
                                                rempart::kImageChannels) {
    __builtin_trap();  // a decoder returned a picture whose buffer does not match its size
  }
  return 0;
}
