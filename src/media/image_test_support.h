// Test helpers for the pixel side (decode, encode, faces, redaction): pictures made in code,
// files written by the reference libraries, and the shared test data. Tests only.
#pragma once

#include <gif_lib.h>
#include <gtest/gtest.h>
#include <libheif/heif.h>
#include <tiffio.h>
#include <unistd.h>
#include <webp/encode.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "media/image_decode.h"

#if defined(__SANITIZE_ADDRESS__)
#define REMPART_IMAGETEST_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REMPART_IMAGETEST_LSAN 1
#endif
#endif
#ifdef REMPART_IMAGETEST_LSAN
#include <sanitizer/lsan_interface.h>
#endif

namespace rempart::imagetest {

// libx265 keeps some memory for the life of the process once it has encoded: not our leak.
class ScopedLeakCheckOff {
 public:
#ifdef REMPART_IMAGETEST_LSAN
  ScopedLeakCheckOff() { __lsan_disable(); }
  ~ScopedLeakCheckOff() { __lsan_enable(); }
#endif
};

// A test picture: red top-left quarter, the rest a blue/green gradient, opaque.
inline Image TestPattern(int width, int height) {
  Image image{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height * 4)};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * width + x) * 4];
      const bool corner = x < width / 4 && y < height / 4;
      p[0] = corner ? 230 : 20;
      p[1] = corner ? 20 : static_cast<uint8_t>(255 * x / width);
      p[2] = corner ? 20 : static_cast<uint8_t>(255 * y / height);
      p[3] = 255;
    }
  }
  return image;
}

inline const uint8_t* PixelAt(const Image& image, int x, int y) {
  return &image.pixels[(static_cast<size_t>(y) * image.width + x) * 4];
}

inline double MeanAbsDifference(const Image& a, const Image& b) {
  double total = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) total += std::abs(a.pixels[i] - b.pixels[i]);
  return total / static_cast<double>(a.pixels.size());
}

inline std::vector<uint8_t> ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline std::filesystem::path SharedTestData() { return REMPART_SOURCE_DIR "/../shared/testdata"; }
inline std::filesystem::path FaceFixture() {
  return REMPART_SOURCE_DIR "/tests/fixtures/faces/astronaut.jpg";
}

// ---- WebP (libwebp's simple encoder) ----

inline std::vector<uint8_t> WebpLossless(const Image& image) {
  uint8_t* out = nullptr;
  const size_t size =
      WebPEncodeLosslessRGBA(image.pixels.data(), image.width, image.height, image.width * 4, &out);
  std::vector<uint8_t> bytes(out, out + size);
  WebPFree(out);
  return bytes;
}

inline void PutLittleEndian(std::vector<uint8_t>& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

inline void PutChunk(std::vector<uint8_t>& out, const char* tag,
                     const std::vector<uint8_t>& payload) {
  out.insert(out.end(), tag, tag + 4);
  PutLittleEndian(out, static_cast<uint32_t>(payload.size()), 4);
  out.insert(out.end(), payload.begin(), payload.end());
  if (payload.size() % 2) out.push_back(0);
}

// An animated WebP: canvas_width x canvas_height, each frame a lossless picture at (x, y).
struct WebpFrame {
  Image image;
  int x, y;
};
inline std::vector<uint8_t> AnimatedWebp(int canvas_width, int canvas_height,
                                         const std::vector<WebpFrame>& frames) {
  std::vector<uint8_t> body = {'W', 'E', 'B', 'P'};
  std::vector<uint8_t> vp8x = {0x12, 0, 0, 0};  // animation + alpha
  PutLittleEndian(vp8x, canvas_width - 1, 3);
  PutLittleEndian(vp8x, canvas_height - 1, 3);
  PutChunk(body, "VP8X", vp8x);
  PutChunk(body, "ANIM", {255, 255, 255, 255, 0, 0});
  for (const WebpFrame& frame : frames) {
    const std::vector<uint8_t> still = WebpLossless(frame.image);
    std::vector<uint8_t> anmf;
    PutLittleEndian(anmf, frame.x / 2, 3);
    PutLittleEndian(anmf, frame.y / 2, 3);
    PutLittleEndian(anmf, frame.image.width - 1, 3);
    PutLittleEndian(anmf, frame.image.height - 1, 3);
    PutLittleEndian(anmf, 100, 3);
    anmf.push_back(0);
    anmf.insert(anmf.end(), still.begin() + 12, still.end());  // its VP8L chunk
    PutChunk(body, "ANMF", anmf);
  }
  std::vector<uint8_t> file = {'R', 'I', 'F', 'F'};
  PutLittleEndian(file, static_cast<uint32_t>(body.size()), 4);
  file.insert(file.end(), body.begin(), body.end());
  return file;
}

inline Image Solid(int width, int height, uint8_t r, uint8_t g, uint8_t b) {
  Image image{width, height, {}};
  for (int i = 0; i < width * height; ++i) image.pixels.insert(image.pixels.end(), {r, g, b, 255});
  return image;
}

// ---- GIF (giflib's encoder, to memory) ----

struct GifFrame {
  int left = 0, top = 0, width = 0, height = 0;
  bool interlace = false;
  int transparent = NO_TRANSPARENT_COLOR;
  std::vector<GifPixelType> indices;  // width * height, in display order
};

inline int AppendToVector(GifFileType* gif, const GifByteType* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(gif->UserData);
  out->insert(out->end(), data, data + size);
  return size;
}

// A GIF89a with a 4-colour palette: 0 black, 1 red, 2 green, 3 blue.
inline std::vector<uint8_t> MakeGif(int screen_width, int screen_height,
                                    const std::vector<GifFrame>& frames) {
  std::vector<uint8_t> bytes;
  int error = 0;
  GifFileType* gif = EGifOpen(&bytes, AppendToVector, &error);
  const GifColorType colours[4] = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
  ColorMapObject* palette = GifMakeMapObject(4, colours);
  EGifSetGifVersion(gif, true);
  EXPECT_EQ(EGifPutScreenDesc(gif, screen_width, screen_height, 8, 0, palette), GIF_OK);
  for (const GifFrame& frame : frames) {
    GraphicsControlBlock gcb{0, false, 10, frame.transparent};
    GifByteType extension[4];
    const size_t length = EGifGCBToExtension(&gcb, extension);
    EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(length), extension);
    EXPECT_EQ(EGifPutImageDesc(gif, frame.left, frame.top, frame.width, frame.height,
                               frame.interlace, nullptr),
              GIF_OK);
    std::vector<int> order;  // rows in stored order
    if (frame.interlace) {
      for (int pass : {0, 4, 2, 1}) {
        for (int y = pass; y < frame.height; y += pass == 0 ? 8 : pass == 4 ? 8 : pass == 2 ? 4 : 2)
          order.push_back(y);
      }
    } else {
      for (int y = 0; y < frame.height; ++y) order.push_back(y);
    }
    for (int y : order) {
      auto* row = const_cast<GifPixelType*>(&frame.indices[static_cast<size_t>(y) * frame.width]);
      EXPECT_EQ(EGifPutLine(gif, row, frame.width), GIF_OK);
    }
  }
  EGifCloseFile(gif, &error);
  GifFreeMapObject(palette);
  return bytes;
}

// ---- TIFF (libtiff, through a temporary file) ----

struct TiffOptions {
  uint16_t orientation = ORIENTATION_TOPLEFT;
  uint16_t compression = COMPRESSION_NONE;
  bool alpha = false;
};

inline std::vector<uint8_t> MakeTiff(const Image& image, const TiffOptions& options = {}) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("rempart-test-" + std::to_string(::getpid()) + ".tif");
  TIFF* tiff = TIFFOpen(path.c_str(), "w");
  EXPECT_NE(tiff, nullptr);
  const int channels = options.alpha ? 4 : 3;
  TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, image.width);
  TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, image.height);
  TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, channels);
  TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
  TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tiff, TIFFTAG_COMPRESSION, options.compression);
  TIFFSetField(tiff, TIFFTAG_ORIENTATION, options.orientation);
  TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, 8);
  if (options.alpha) {
    const uint16_t extra[] = {EXTRASAMPLE_UNASSALPHA};
    TIFFSetField(tiff, TIFFTAG_EXTRASAMPLES, 1, extra);
  }
  std::vector<uint8_t> row(static_cast<size_t>(image.width) * channels);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      for (int c = 0; c < channels; ++c) row[x * channels + c] = PixelAt(image, x, y)[c];
    }
    EXPECT_EQ(TIFFWriteScanline(tiff, row.data(), y, 0), 1);
  }
  TIFFClose(tiff);
  std::vector<uint8_t> bytes = ReadFileBytes(path);
  std::filesystem::remove(path);
  return bytes;
}

// ---- HEIF / AVIF (libheif's encoders, when this libheif has them) ----

inline heif_error AppendHeif(heif_context*, const void* data, size_t size, void* user) {
  auto* out = static_cast<std::vector<uint8_t>*>(user);
  const auto* bytes = static_cast<const uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
  return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

// Empty when libheif has no encoder for `format` (the test then skips).
inline std::vector<uint8_t> MakeHeif(const Image& image, heif_compression_format format) {
  [[maybe_unused]] ScopedLeakCheckOff encoders_keep_memory;
  heif_init(nullptr);
  std::vector<uint8_t> bytes;
  if (!heif_have_encoder_for_format(format)) return bytes;
  heif_context* context = heif_context_alloc();
  heif_encoder* encoder = nullptr;
  heif_context_get_encoder_for_format(context, format, &encoder);
  heif_image* picture = nullptr;
  heif_image_create(image.width, image.height, heif_colorspace_RGB, heif_chroma_interleaved_RGBA,
                    &picture);
  heif_image_add_plane(picture, heif_channel_interleaved, image.width, image.height, 8);
  int stride = 0;
  uint8_t* plane = heif_image_get_plane(picture, heif_channel_interleaved, &stride);
  for (int y = 0; y < image.height; ++y) {
    std::copy_n(PixelAt(image, 0, y), image.width * 4, plane + static_cast<size_t>(y) * stride);
  }
  heif_encoder_set_lossy_quality(encoder, 95);
  heif_image_handle* handle = nullptr;
  if (heif_context_encode_image(context, picture, encoder, nullptr, &handle).code ==
      heif_error_Ok) {
    heif_writer writer{1, AppendHeif};
    heif_context_write(context, &writer, &bytes);
  }
  heif_image_handle_release(handle);
  heif_image_release(picture);
  heif_encoder_release(encoder);
  heif_context_free(context);
  heif_deinit();
  return bytes;
}

}  // namespace rempart::imagetest
