// TIFF decoding with libtiff, from memory (TIFFClientOpenExt), first directory only, through
// libtiff's RGBA interface, which converts every photometric and bit depth it knows to 8-bit
// RGBA. libtiff's own messages are silenced per handle: the caller gets our kInvalidInput.
#include <tiffio.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/i18n.h"
#include "media/image_decode_internal.h"

namespace rempart::decode_internal {
namespace {

const char* const kUnsupportedTiff =
    N_("This TIFF image stores its colours in a way Rempart cannot open.");

// The read-only "file" libtiff's callbacks walk.
struct MemoryFile {
  std::span<const uint8_t> bytes;
  uint64_t position = 0;
};

tmsize_t Read(thandle_t handle, void* out, tmsize_t wanted) {
  auto* file = static_cast<MemoryFile*>(handle);
  if (wanted <= 0 || file->position >= file->bytes.size()) return 0;
  const uint64_t count = std::min<uint64_t>(wanted, file->bytes.size() - file->position);
  std::memcpy(out, file->bytes.data() + file->position, count);
  file->position += count;
  return static_cast<tmsize_t>(count);
}

tmsize_t Write(thandle_t, void*, tmsize_t) { return -1; }  // opened read-only

toff_t Seek(thandle_t handle, toff_t offset, int whence) {
  auto* file = static_cast<MemoryFile*>(handle);
  uint64_t base = 0;
  if (whence == SEEK_CUR) base = file->position;
  if (whence == SEEK_END) base = file->bytes.size();
  // Seeking past the end is allowed (like a file); reads there return nothing.
  file->position = base + offset;
  return file->position;
}

int Close(thandle_t) { return 0; }
toff_t Size(thandle_t handle) { return static_cast<MemoryFile*>(handle)->bytes.size(); }
int Map(thandle_t, void**, toff_t*) { return 0; }  // no mapping: libtiff copies what it reads
void Unmap(thandle_t, void*, toff_t) {}

// Keeps libtiff quiet on stderr: a hostile file's complaints are not the user's business.
int Silence(TIFF*, void*, const char*, const char*, va_list) { return 1; }

struct TiffCloser {
  void operator()(TIFF* tiff) const { TIFFClose(tiff); }
};
using TiffPtr = std::unique_ptr<TIFF, TiffCloser>;

TiffPtr Open(MemoryFile& file, const DecodeLimits& limits) {
  std::unique_ptr<TIFFOpenOptions, void (*)(TIFFOpenOptions*)> options(TIFFOpenOptionsAlloc(),
                                                                       TIFFOpenOptionsFree);
  if (!options) return nullptr;
  // A strip can hold at most the whole image at 16 bits per channel: a bigger allocation asked
  // for by a forged header is refused by libtiff itself.
  const tmsize_t max_alloc = std::max<int64_t>(limits.max_pixels * 8, 16 << 20);
  TIFFOpenOptionsSetMaxSingleMemAlloc(options.get(), max_alloc);
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), Silence, nullptr);
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), Silence, nullptr);
  // "m": no memory mapping, so libtiff never works on our buffer in place.
  return TiffPtr(TIFFClientOpenExt("memory", "rm", &file, Read, Write, Seek, Close, Size, Map,
                                   Unmap, options.get()));
}

// TIFFReadRGBAImage packs each pixel in a uint32 (R in the low byte), with colours multiplied
// by alpha (it converts unassociated alpha too): spread into bytes, back to straight alpha.
void UnpackAbgr(std::vector<uint8_t>& pixels) {
  for (size_t i = 0; i + 3 < pixels.size(); i += 4) {
    uint32_t packed;
    std::memcpy(&packed, &pixels[i], sizeof packed);
    const unsigned alpha = TIFFGetA(packed);
    const unsigned rgb[3] = {TIFFGetR(packed), TIFFGetG(packed), TIFFGetB(packed)};
    for (int c = 0; c < 3; ++c) {
      const unsigned straight =
          alpha == 255 || alpha == 0 ? rgb[c] : (rgb[c] * 255 + alpha / 2) / alpha;
      pixels[i + c] = static_cast<uint8_t>(std::min(straight, 255u));
    }
    pixels[i + 3] = static_cast<uint8_t>(alpha);
  }
}

}  // namespace

Result<Image> DecodeTiff(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
  MemoryFile file{bytes};
  TiffPtr tiff = Open(file, limits);
  if (!tiff) return Invalid(kDamaged);
  uint32_t width = 0, height = 0;
  uint16_t orientation = ORIENTATION_TOPLEFT;
  if (!TIFFGetField(tiff.get(), TIFFTAG_IMAGEWIDTH, &width) ||
      !TIFFGetField(tiff.get(), TIFFTAG_IMAGELENGTH, &height)) {
    return Invalid(kDamaged);
  }
  REMPART_RETURN_IF_ERROR(CheckSize(width, height, limits));
  char why[1024] = {};
  if (!TIFFRGBAImageOK(tiff.get(), why)) return Invalid(kUnsupportedTiff);
  TIFFGetFieldDefaulted(tiff.get(), TIFFTAG_ORIENTATION, &orientation);
  if (orientation < ORIENTATION_TOPLEFT || orientation > ORIENTATION_LEFTBOT) {
    orientation = ORIENTATION_TOPLEFT;  // an invalid tag: show the rows as stored
  }
  REMPART_ASSIGN_OR_RETURN(auto pixels, AllocatePixels(width, height, kImageChannels));
  // Asking for the file's own orientation gives the rows as stored (libtiff only knows flips,
  // not the transpositions of orientations 5 to 8); ApplyOrientation then does all eight.
  auto* raster = reinterpret_cast<uint32_t*>(pixels.data());
  if (!TIFFReadRGBAImageOriented(tiff.get(), width, height, raster, orientation, 1)) {
    return Invalid(kDamaged);
  }
  UnpackAbgr(pixels);
  Image image{static_cast<int>(width), static_cast<int>(height), std::move(pixels)};
  return Fit(ApplyOrientation(std::move(image), orientation), limits);
}

}  // namespace rempart::decode_internal
