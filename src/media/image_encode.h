// Image encoding: an RGBA Image into JPEG, PNG or WebP bytes, for redacted photos and previews.
//
// The output carries nothing but pixels: no EXIF, XMP, IPTC, ICC profile, comment, text chunk
// or timestamp. Only what decoders need remains: a JPEG's bare JFIF header, a PNG's one-byte
// sRGB chunk; neither says anything about a person, place or device. Colours hidden under fully
// transparent pixels are blanked (PNG, lossless WebP) or dropped (JPEG, which has no alpha and
// is flattened onto white), so what is invisible in the picture is not in the file either.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "media/image_decode.h"
#include "media/media_format.h"

namespace rempart {

inline constexpr int kDefaultJpegQuality = 92;
inline constexpr int kDefaultWebpQuality = 90;

struct EncodeOptions {
  // JPEG and lossy WebP, 1 (smallest) to 100 (best); 0 means the format's default above.
  // JPEG from 90 up keeps full colour resolution (4:4:4), below it halves it (4:2:0), the way
  // cameras and editors trade size for quality.
  int quality = 0;
  // WebP only: lossless (larger files, exact pixels). PNG is always lossless.
  bool lossless = false;
};

// Encodes to `format`, which must be kJpeg, kPng or kWebp (kInvalidInput otherwise). Empty or
// inconsistent images and sizes the format cannot hold (JPEG 65535, WebP 16383 pixels a side)
// give kInvalidInput; an encoder failure gives kFailed.
Result<std::vector<uint8_t>> EncodeImage(const Image& image, MediaFormat format,
                                         const EncodeOptions& options = {});

// True for the formats EncodeImage writes.
bool CanEncode(MediaFormat format);

// The format to re-encode `image`, decoded from a `source` file, in: the same format when
// EncodeImage writes it; otherwise PNG for GIF (flat colours JPEG would smear) and for images
// with transparency, and JPEG for the rest (HEIC, AVIF, TIFF photos).
MediaFormat ReencodeFormatFor(MediaFormat source, const Image& image);
// The file name extension for an encodable format: "jpg", "png" or "webp" ("" otherwise).
std::string_view FileExtensionFor(MediaFormat format);
// True when some pixel is not fully opaque.
bool HasTransparency(const Image& image);

}  // namespace rempart
