// HEIC/HEIF and AVIF decoding with libheif: the primary image, with the transformations the
// file stores (irot rotation, imir mirror, clap crop) applied, so pixels come out upright. An
// EXIF orientation inside a HEIF file is ignored, as the HEIF standard says and viewers do.
#include <libheif/heif.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "media/image_decode_internal.h"

namespace rempart::decode_internal {
namespace {

// libheif wants heif_init before use; it is reference counted and thread-safe, and unloading
// between images would reload the codecs each time, so it is done once and never undone.
void InitOnce() {
  static const bool initialised = [] {
    heif_init(nullptr);
    return true;
  }();
  (void)initialised;
}

struct ContextCloser {
  void operator()(heif_context* context) const { heif_context_free(context); }
};
struct HandleCloser {
  void operator()(heif_image_handle* handle) const { heif_image_handle_release(handle); }
};
struct ImageCloser {
  void operator()(heif_image* image) const { heif_image_release(image); }
};
struct OptionsCloser {
  void operator()(heif_decoding_options* options) const { heif_decoding_options_free(options); }
};

using ContextPtr = std::unique_ptr<heif_context, ContextCloser>;
using HandlePtr = std::unique_ptr<heif_image_handle, HandleCloser>;
using ImagePtr = std::unique_ptr<heif_image, ImageCloser>;

Status FromHeifError(const heif_error& error) {
  if (error.subcode == heif_suberror_Security_limit_exceeded) return Invalid(kTooLarge);
  if (error.code == heif_error_Memory_allocation_error) return Status(Code::kFailed, kNoMemory);
  if (error.code == heif_error_Unsupported_feature &&
      error.subcode == heif_suberror_Unsupported_codec) {
    return Invalid(kUnsupportedCodec);
  }
  return Invalid(kDamaged);
}

// Straight alpha is Image's convention; a file may store premultiplied colours.
void Unpremultiply(std::vector<uint8_t>& pixels) {
  for (size_t i = 0; i + 3 < pixels.size(); i += 4) {
    const unsigned alpha = pixels[i + 3];
    if (alpha == 0 || alpha == 255) continue;
    for (int c = 0; c < 3; ++c) {
      pixels[i + c] =
          static_cast<uint8_t>(std::min(255u, (pixels[i + c] * 255u + alpha / 2) / alpha));
    }
  }
}

// Copies libheif's interleaved RGBA plane (rows may be padded) into a tight buffer.
Result<Image> CopyPlane(const heif_image* decoded, bool premultiplied, const DecodeLimits& limits) {
  const int width = heif_image_get_width(decoded, heif_channel_interleaved);
  const int height = heif_image_get_height(decoded, heif_channel_interleaved);
  int stride = 0;
  const uint8_t* plane = heif_image_get_plane_readonly(decoded, heif_channel_interleaved, &stride);
  if (plane == nullptr || stride < width * kImageChannels) return Invalid(kDamaged);
  REMPART_RETURN_IF_ERROR(CheckSize(width, height, limits));
  REMPART_ASSIGN_OR_RETURN(auto pixels, AllocatePixels(width, height, kImageChannels));
  const size_t row_bytes = static_cast<size_t>(width) * kImageChannels;
  for (int y = 0; y < height; ++y) {
    std::memcpy(&pixels[y * row_bytes], plane + static_cast<size_t>(y) * stride, row_bytes);
  }
  if (premultiplied) Unpremultiply(pixels);
  return Image{width, height, std::move(pixels)};
}

// libheif refuses images wider or taller than this before allocating anything.
int SideLimit(const DecodeLimits& limits) {
  const double side = std::sqrt(static_cast<double>(limits.max_pixels)) * 4;
  return static_cast<int>(std::clamp(side, 64.0, 32768.0));
}

// Decodes with the stored rotation, mirroring and cropping applied, as 8-bit interleaved RGBA.
Result<ImagePtr> DecodeRgba(const heif_image_handle* handle) {
  std::unique_ptr<heif_decoding_options, OptionsCloser> options(heif_decoding_options_alloc());
  if (!options) return Status(Code::kFailed, kNoDecoder);
  options->ignore_transformations = 0;
  options->convert_hdr_to_8bit = 1;  // 10-bit AVIF and HDR HEIC become ordinary 8-bit RGBA
  options->strict_decoding = 1;      // truncated data is an error, not a grey lower half
  // libheif 1.15 leaks dav1d's state and a picture on each AV1 stream dav1d refuses (about
  // 28 KB per hostile file, found by fuzzing); its libaom decoder cleans up after itself. The
  // name only picks among decoders of the image's codec: HEVC still goes to libde265.
  options->decoder_id = "aom";
  heif_image* raw_image = nullptr;
  const heif_error error = heif_decode_image(handle, &raw_image, heif_colorspace_RGB,
                                             heif_chroma_interleaved_RGBA, options.get());
  ImagePtr decoded(raw_image);
  if (error.code != heif_error_Ok) return FromHeifError(error);
  return decoded;
}

}  // namespace

Result<Image> DecodeHeif(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
  InitOnce();
  ContextPtr context(heif_context_alloc());
  if (!context) return Status(Code::kFailed, kNoDecoder);
  heif_context_set_maximum_image_size_limit(context.get(), SideLimit(limits));
  heif_error error = heif_context_read_from_memory_without_copy(context.get(), bytes.data(),
                                                                bytes.size(), nullptr);
  if (error.code != heif_error_Ok) return FromHeifError(error);
  heif_image_handle* raw_handle = nullptr;
  error = heif_context_get_primary_image_handle(context.get(), &raw_handle);
  HandlePtr handle(raw_handle);
  if (error.code != heif_error_Ok) return FromHeifError(error);
  // The size after rotation and cropping, known from the boxes before any decoding.
  REMPART_RETURN_IF_ERROR(CheckSize(heif_image_handle_get_width(handle.get()),
                                    heif_image_handle_get_height(handle.get()), limits));
  REMPART_ASSIGN_OR_RETURN(ImagePtr decoded, DecodeRgba(handle.get()));
  const bool premultiplied = heif_image_handle_is_premultiplied_alpha(handle.get()) != 0;
  REMPART_ASSIGN_OR_RETURN(Image image, CopyPlane(decoded.get(), premultiplied, limits));
  return Fit(std::move(image), limits);
}

}  // namespace rempart::decode_internal
