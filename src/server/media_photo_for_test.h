// Test-only: a small JPEG that gives its location away, made in memory so that tests need no
// fixture file: encoded by Rempart, then an APP1 Exif block spliced in after the JFIF header,
// with Make "Canon" and GPS 48°51'29.56" N, 2°17'40" E (48.85821, 2.29444).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "media/image_encode.h"

namespace rempart::server::testing {

inline std::string Be16(uint32_t v) {
  return {static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)};
}
inline std::string Be32(uint32_t v) { return Be16(v >> 16) + Be16(v & 0xFFFF); }

// One 12-byte IFD entry.
inline std::string IfdEntry(uint16_t tag, uint16_t type, uint32_t count, std::string value) {
  value.resize(4, '\0');
  return Be16(tag) + Be16(type) + Be32(count) + value;
}

inline std::string Rationals(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e,
                             uint32_t f) {
  return Be32(a) + Be32(b) + Be32(c) + Be32(d) + Be32(e) + Be32(f);
}

inline std::string ExifWithGps() {
  constexpr uint16_t kAscii = 2, kLong = 4, kRational = 5;
  // Offsets from the TIFF header: IFD0 at 8 (2 entries, 30 bytes), "Canon" at 38, the GPS IFD
  // at 44 (4 entries, 54 bytes), latitude at 98, longitude at 122.
  std::string tiff = std::string("MM\0\x2A", 4) + Be32(8);
  tiff += Be16(2) + IfdEntry(0x010F, kAscii, 6, Be32(38)) + IfdEntry(0x8825, kLong, 1, Be32(44)) +
          Be32(0);
  tiff += std::string("Canon\0", 6);
  tiff += Be16(4) + IfdEntry(1, kAscii, 2, std::string("N", 1)) +
          IfdEntry(2, kRational, 3, Be32(98)) + IfdEntry(3, kAscii, 2, std::string("E", 1)) +
          IfdEntry(4, kRational, 3, Be32(122)) + Be32(0);
  tiff += Rationals(48, 1, 51, 1, 2956, 100) + Rationals(2, 1, 17, 1, 4000, 100);
  std::string payload = std::string("Exif\0\0", 6) + tiff;
  return "\xFF\xE1" + Be16(static_cast<uint32_t>(payload.size() + 2)) + payload;
}

inline std::string JpegWithGps(int width = 96, int height = 64) {
  Image image;
  image.width = width;
  image.height = height;
  image.pixels.resize(static_cast<size_t>(width) * height * kImageChannels);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * width + x) * kImageChannels];
      p[0] = static_cast<uint8_t>(x * 255 / width);
      p[1] = static_cast<uint8_t>(y * 255 / height);
      p[2] = static_cast<uint8_t>((x + y) & 0xFF);
      p[3] = 255;
    }
  }
  auto encoded = EncodeImage(image, MediaFormat::kJpeg);
  if (!encoded.ok()) return "";
  std::string jpeg(encoded->begin(), encoded->end());
  size_t at = 2;  // after SOI, and after the JFIF APP0 segment when there is one
  if (jpeg.size() > 6 && static_cast<uint8_t>(jpeg[3]) == 0xE0) {
    at = 4 + (static_cast<uint8_t>(jpeg[4]) << 8 | static_cast<uint8_t>(jpeg[5]));
  }
  return jpeg.substr(0, at) + ExifWithGps() + jpeg.substr(at);
}

// From the first SOS marker to the end: the entropy-coded data a lossless scrub keeps.
inline std::string_view ScanData(std::string_view jpeg) {
  size_t sos = jpeg.find("\xFF\xDA");
  return sos == std::string_view::npos ? std::string_view() : jpeg.substr(sos);
}

}  // namespace rempart::server::testing
