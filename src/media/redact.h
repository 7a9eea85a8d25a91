// Redaction: hiding faces, tattoos, reflections or backgrounds so that they cannot be
// recovered, and the preview a person checks before publishing.
//
// Both styles destroy what was there: every pixel of a box is replaced (none keeps its original
// value) and made opaque, so colours hidden under transparency go too. A plain blur is never
// offered: it keeps the information and deblurring or matching undoes it. Pixelation is coarse
// (at most about 8 blocks across a box) and each block's colour is shifted by random noise, so
// the blocks cannot be matched against candidate photos pixelated the same way.
#pragma once

#include <cstdint>
#include <vector>

#include "media/box.h"
#include "media/image_decode.h"

namespace rempart {

enum class RedactStyle {
  kPixelate,  // coarse noisy blocks: still looks like a photo, nothing recognisable left
  kSolid,     // opaque black: the safest
};

// Blocks are at least this many pixels, and at least 1/8 of the box's longer side.
inline constexpr int kMinPixelBlock = 16;
// Each block's colour moves by up to this much per channel (on 0..255), each pixel by a little.
inline constexpr int kBlockNoise = 12;
inline constexpr int kPixelNoise = 4;

// Redacts each box (clipped to the image; boxes entirely outside are ignored). `seed` drives
// the noise: take it from a cryptographic source (libsodium's randombytes_buf) at the edge, so
// nobody can replay it; a fixed seed is for tests. Overlapping boxes are fine.
void Redact(Image& image, const std::vector<Box>& boxes, RedactStyle style, uint64_t seed);

// A copy of `image` with each box outlined in a thick colour frame and numbered from 1 (in the
// order given) in a label at its top-left corner, for `redact --preview`. Colours cycle so that
// neighbouring boxes differ; a thin dark edge keeps frames visible on light and dark photos.
Image DrawPreview(const Image& image, const std::vector<Box>& boxes);

}  // namespace rempart
