// WebP decoding with libwebp. Still images go through the advanced API, which can shrink while
// decoding; animations give their first frame, composited on the canvas by libwebp's demuxer.
#include <webp/decode.h>
#include <webp/demux.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "media/image_decode_internal.h"

namespace rempart::decode_internal {
namespace {

struct AnimDecoderCloser {
  void operator()(WebPAnimDecoder* decoder) const { WebPAnimDecoderDelete(decoder); }
};

// The size libwebp's own rescaler should produce, matching what Downscale would give.
void ScaledSize(int width, int height, int max_dimension, int* out_width, int* out_height) {
  *out_width = width, *out_height = height;
  const int longest = std::max(width, height);
  if (max_dimension <= 0 || longest <= max_dimension) return;
  const double ratio = static_cast<double>(max_dimension) / longest;
  *out_width = std::max(1, static_cast<int>(std::lround(width * ratio)));
  *out_height = std::max(1, static_cast<int>(std::lround(height * ratio)));
}

Result<Image> DecodeStill(std::span<const uint8_t> bytes, WebPDecoderConfig& config,
                          const DecodeLimits& limits) {
  int width = 0, height = 0;
  ScaledSize(config.input.width, config.input.height, limits.max_dimension, &width, &height);
  REMPART_ASSIGN_OR_RETURN(auto pixels, AllocatePixels(width, height, kImageChannels));
  if (width != config.input.width || height != config.input.height) {
    config.options.use_scaling = 1;
    config.options.scaled_width = width;
    config.options.scaled_height = height;
  }
  config.output.colorspace = MODE_RGBA;  // straight alpha; opaque images get A = 255
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = pixels.data();
  config.output.u.RGBA.stride = width * kImageChannels;
  config.output.u.RGBA.size = pixels.size();
  const VP8StatusCode status = WebPDecode(bytes.data(), bytes.size(), &config);
  WebPFreeDecBuffer(&config.output);  // external memory: frees only libwebp's bookkeeping
  if (status == VP8_STATUS_OUT_OF_MEMORY) return Status(Code::kFailed, kNoMemory);
  if (status != VP8_STATUS_OK) return Invalid(kDamaged);
  return Image{width, height, std::move(pixels)};
}

Result<Image> DecodeFirstFrame(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
  WebPAnimDecoderOptions options;
  if (!WebPAnimDecoderOptionsInit(&options)) return Status(Code::kFailed, kNoDecoder);
  options.color_mode = MODE_RGBA;
  options.use_threads = 0;
  const WebPData data{bytes.data(), bytes.size()};
  std::unique_ptr<WebPAnimDecoder, AnimDecoderCloser> decoder(WebPAnimDecoderNew(&data, &options));
  if (!decoder) return Invalid(kDamaged);
  WebPAnimInfo info;
  if (!WebPAnimDecoderGetInfo(decoder.get(), &info)) return Invalid(kDamaged);
  REMPART_RETURN_IF_ERROR(CheckSize(info.canvas_width, info.canvas_height, limits));
  uint8_t* canvas = nullptr;
  int timestamp = 0;
  if (!WebPAnimDecoderGetNext(decoder.get(), &canvas, &timestamp)) return Invalid(kDamaged);
  REMPART_ASSIGN_OR_RETURN(auto pixels,
                           AllocatePixels(info.canvas_width, info.canvas_height, kImageChannels));
  std::memcpy(pixels.data(), canvas, pixels.size());
  return Fit({static_cast<int>(info.canvas_width), static_cast<int>(info.canvas_height),
              std::move(pixels)},
             limits);
}

}  // namespace

Result<Image> DecodeWebp(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return Status(Code::kFailed, kNoDecoder);
  // The header gives the canvas size, checked before libwebp allocates anything for pixels.
  if (WebPGetFeatures(bytes.data(), bytes.size(), &config.input) != VP8_STATUS_OK) {
    return Invalid(kDamaged);
  }
  REMPART_RETURN_IF_ERROR(CheckSize(config.input.width, config.input.height, limits));
  if (config.input.has_animation) return DecodeFirstFrame(bytes, limits);
  return DecodeStill(bytes, config, limits);
}

}  // namespace rempart::decode_internal
