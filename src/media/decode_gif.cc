// GIF decoding with giflib, from memory. Only the first frame is read (record by record, not with
// DGifSlurp, which would load every frame of a long animation), drawn where the frame sits on
// the logical screen, over a transparent background, the way browsers show a GIF's first frame.
#include <gif_lib.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "media/image_decode_internal.h"

namespace rempart::decode_internal {
namespace {

struct Reader {
  std::span<const uint8_t> bytes;
  size_t position = 0;
};

// giflib's read callback: returns how many bytes it copied; short reads mean truncation.
int ReadFromMemory(GifFileType* gif, GifByteType* out, int wanted) {
  auto* reader = static_cast<Reader*>(gif->UserData);
  const size_t available = reader->bytes.size() - reader->position;
  const size_t count = std::min<size_t>(available, static_cast<size_t>(std::max(wanted, 0)));
  std::memcpy(out, reader->bytes.data() + reader->position, count);
  reader->position += count;
  return static_cast<int>(count);
}

struct GifCloser {
  void operator()(GifFileType* gif) const {
    int error = 0;
    DGifCloseFile(gif, &error);
  }
};
using GifPtr = std::unique_ptr<GifFileType, GifCloser>;

// Reads one extension record; remembers the transparent colour of a Graphic Control Extension.
bool ReadExtension(GifFileType* gif, int* transparent) {
  int code = 0;
  GifByteType* block = nullptr;
  if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) return false;
  if (code == GRAPHICS_EXT_FUNC_CODE && block != nullptr) {
    GraphicsControlBlock gcb;
    if (DGifExtensionToGCB(block[0], block + 1, &gcb) == GIF_OK)
      *transparent = gcb.TransparentColor;
  }
  while (block != nullptr) {
    if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) return false;
  }
  return true;
}

// Stored row i of an interlaced frame is displayed at this row (GIF89a appendix E).
int InterlacedRow(int i, int height) {
  constexpr int kStart[] = {0, 4, 2, 1}, kStep[] = {8, 8, 4, 2};
  for (int pass = 0; pass < 4; ++pass) {
    const int rows =
        height > kStart[pass] ? (height - kStart[pass] + kStep[pass] - 1) / kStep[pass] : 0;
    if (i < rows) return kStart[pass] + i * kStep[pass];
    i -= rows;
  }
  return 0;
}

// Decodes the frame described by gif->Image onto `canvas` (already sized and transparent).
Status DrawFrame(GifFileType* gif, int transparent, Image& canvas) {
  const GifImageDesc& desc = gif->Image;
  const ColorMapObject* colors = desc.ColorMap ? desc.ColorMap : gif->SColorMap;
  if (colors == nullptr) return Invalid(kDamaged);
  std::vector<GifPixelType> line(static_cast<size_t>(desc.Width));
  for (int i = 0; i < desc.Height; ++i) {
    if (DGifGetLine(gif, line.data(), desc.Width) == GIF_ERROR) return Invalid(kDamaged);
    const int y = desc.Top + (desc.Interlace ? InterlacedRow(i, desc.Height) : i);
    uint8_t* row = &canvas.pixels[static_cast<size_t>(y) * canvas.width * kImageChannels];
    for (int x = 0; x < desc.Width; ++x) {
      const int index = line[x];
      if (index == transparent || index >= colors->ColorCount) continue;
      uint8_t* p = row + static_cast<size_t>(desc.Left + x) * kImageChannels;
      const GifColorType& c = colors->Colors[index];
      p[0] = c.Red, p[1] = c.Green, p[2] = c.Blue, p[3] = 255;
    }
  }
  return Status::Ok();
}

// The canvas covers the logical screen and the frame, in case a writer got the screen wrong.
Result<Image> FirstFrame(GifFileType* gif, int transparent, const DecodeLimits& limits) {
  if (DGifGetImageDesc(gif) == GIF_ERROR) return Invalid(kDamaged);
  const GifImageDesc& desc = gif->Image;
  if (desc.Left < 0 || desc.Top < 0 || desc.Width <= 0 || desc.Height <= 0) {
    return Invalid(kDamaged);
  }
  const int64_t width = std::max<int64_t>(gif->SWidth, int64_t{desc.Left} + desc.Width);
  const int64_t height = std::max<int64_t>(gif->SHeight, int64_t{desc.Top} + desc.Height);
  REMPART_RETURN_IF_ERROR(CheckSize(width, height, limits));
  REMPART_ASSIGN_OR_RETURN(auto pixels, AllocatePixels(width, height, kImageChannels));
  Image canvas{static_cast<int>(width), static_cast<int>(height), std::move(pixels)};
  REMPART_RETURN_IF_ERROR(DrawFrame(gif, transparent, canvas));
  return Fit(std::move(canvas), limits);
}

}  // namespace

Result<Image> DecodeGif(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
  Reader reader{bytes};
  int error = 0;
  GifPtr gif(DGifOpen(&reader, ReadFromMemory, &error));
  if (!gif)
    return error == D_GIF_ERR_NOT_ENOUGH_MEM ? Status(Code::kFailed, kNoMemory) : Invalid(kDamaged);
  int transparent = NO_TRANSPARENT_COLOR;
  GifRecordType record = UNDEFINED_RECORD_TYPE;
  do {
    if (DGifGetRecordType(gif.get(), &record) == GIF_ERROR) return Invalid(kDamaged);
    if (record == IMAGE_DESC_RECORD_TYPE) return FirstFrame(gif.get(), transparent, limits);
    if (record == EXTENSION_RECORD_TYPE && !ReadExtension(gif.get(), &transparent)) {
      return Invalid(kDamaged);
    }
  } while (record != TERMINATE_RECORD_TYPE);
  return Invalid(kDamaged);  // a GIF without a single frame
}

}  // namespace rempart::decode_internal
