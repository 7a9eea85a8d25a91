// JPEG decoding with TurboJPEG: DCT scaling for thumbnails, CMYK, and EXIF orientation.
#include <turbojpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>

#include "media/image_decode_internal.h"

namespace rempart::decode_internal {
namespace {

bool StartsWith(std::span<const uint8_t> bytes, std::string_view magic) {
  return bytes.size() >= magic.size() && std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
}

// EXIF orientation: JPEG APP1 "Exif\0\0", then TIFF IFD0 tag 0x0112.
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

}  // namespace

Result<Image> DecodeJpeg(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
  const int max_dimension = limits.max_dimension;
  std::unique_ptr<void, TjCloser> tj(tjInitDecompress());
  if (!tj) return Status(Code::kFailed, kNoDecoder);
  auto* data = const_cast<unsigned char*>(bytes.data());  // TurboJPEG 2 API lacks const
  const auto size = static_cast<unsigned long>(bytes.size());
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(tj.get(), data, size, &width, &height, &subsampling, &colorspace) != 0) {
    return Invalid(kDamaged);
  }
  REMPART_RETURN_IF_ERROR(CheckSize(width, height, limits));
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
  return Fit(ApplyOrientation(std::move(image), JpegOrientation(bytes)), limits);
}

}  // namespace rempart::decode_internal
