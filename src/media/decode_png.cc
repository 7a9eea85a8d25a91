// PNG decoding with libpng's simplified API: no setjmp in our code, conversions done by libpng.
#include <png.h>

#include <cstring>
#include <memory>

#include "media/image_decode_internal.h"

namespace rempart::decode_internal {

Result<Image> DecodePng(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  // png_image_free is safe to call again after libpng freed the image itself on failure.
  std::unique_ptr<png_image, void (*)(png_image*)> guard(&png,
                                                         [](png_image* p) { png_image_free(p); });
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size())) {
    return Invalid(kDamaged);
  }
  REMPART_RETURN_IF_ERROR(CheckSize(png.width, png.height, limits));
  png.format = PNG_FORMAT_RGBA;
  REMPART_ASSIGN_OR_RETURN(auto pixels, AllocatePixels(png.width, png.height, kImageChannels));
  if (!png_image_finish_read(&png, nullptr, pixels.data(), 0, nullptr)) return Invalid(kDamaged);
  return Fit({static_cast<int>(png.width), static_cast<int>(png.height), std::move(pixels)},
             limits);
}

}  // namespace rempart::decode_internal
