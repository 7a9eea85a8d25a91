// Format recognition from magic bytes (never from the file name).
#include <cstring>

#include "media/media_format.h"

namespace rempart {

namespace {

bool StartsWith(std::span<const uint8_t> head, size_t at, std::string_view magic) {
  return head.size() >= at + magic.size() &&
         std::memcmp(head.data() + at, magic.data(), magic.size()) == 0;
}

uint32_t Be32(std::span<const uint8_t> b, size_t at) {
  return uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 | b[at + 3];
}

// ISO BMFF: the major brand, then the compatible brands, decide.
MediaFormat SniffFtyp(std::span<const uint8_t> head) {
  uint32_t box_size = Be32(head, 0);
  size_t end = std::min<size_t>(head.size(), box_size < 16 ? 16 : box_size);
  auto has_brand = [&](std::string_view brand) {
    if (StartsWith(head, 8, brand)) return true;
    for (size_t at = 16; at + 4 <= end; at += 4)
      if (StartsWith(head, at, brand)) return true;
    return false;
  };
  if (StartsWith(head, 8, "qt  ")) return MediaFormat::kMov;
  if (StartsWith(head, 8, "crx ")) return MediaFormat::kRawCamera;  // Canon CR3
  if (has_brand("avif") || has_brand("avis")) return MediaFormat::kAvif;
  for (std::string_view b : {"heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"})
    if (StartsWith(head, 8, b)) return MediaFormat::kHeif;
  if (has_brand("heic") || has_brand("heix") || has_brand("mif1")) return MediaFormat::kHeif;
  return MediaFormat::kMp4;
}

// TIFF-based raw formats announce themselves in the header or right after it.
MediaFormat SniffTiff(std::span<const uint8_t> head) {
  if (StartsWith(head, 8, "CR")) return MediaFormat::kRawCamera;  // Canon CR2
  return MediaFormat::kTiff;
}

}  // namespace

MediaFormat SniffMediaFormat(std::span<const uint8_t> head) {
  if (StartsWith(head, 0, "\xFF\xD8\xFF")) return MediaFormat::kJpeg;
  if (StartsWith(head, 0, "\x89PNG\r\n\x1A\n")) return MediaFormat::kPng;
  if (StartsWith(head, 0, "RIFF") && StartsWith(head, 8, "WEBP")) return MediaFormat::kWebp;
  if (StartsWith(head, 0, "GIF87a") || StartsWith(head, 0, "GIF89a")) return MediaFormat::kGif;
  if (StartsWith(head, 0, std::string_view("II*\0", 4)) ||
      StartsWith(head, 0, std::string_view("MM\0*", 4)))
    return SniffTiff(head);
  if (StartsWith(head, 0, std::string_view("II\x55\0", 4)) || StartsWith(head, 0, "IIRO") ||
      StartsWith(head, 0, "FUJIFILMCCD-RAW"))
    return MediaFormat::kRawCamera;  // Panasonic RW2, Olympus ORF, Fujifilm RAF
  if (StartsWith(head, 0, "8BPS")) return MediaFormat::kPsd;
  if (StartsWith(head, 4, "ftyp")) return SniffFtyp(head);
  for (std::string_view box : {"moov", "mdat", "wide", "free", "skip", "pnot"})
    if (StartsWith(head, 4, box)) return MediaFormat::kMov;
  if (StartsWith(head, 0, "BM") || StartsWith(head, 0, "\xFF\x0A") ||
      StartsWith(head, 0, std::string_view("\0\0\0\x0CJXL ", 8)) ||
      (StartsWith(head, 0, "RIFF") && StartsWith(head, 8, "AVI ")) ||
      StartsWith(head, 0, "\x30\x26\xB2\x75\x8E\x66\xCF\x11") || StartsWith(head, 0, "%PDF") ||
      StartsWith(head, 0, "<svg") || StartsWith(head, 0, "<?xml") ||
      StartsWith(head, 0, "\x1A\x45\xDF\xA3"))
    return MediaFormat::kOtherKnown;
  return MediaFormat::kUnknown;
}

std::string_view MediaFormatName(MediaFormat format) {
  switch (format) {
    case MediaFormat::kJpeg:
      return "jpeg";
    case MediaFormat::kPng:
      return "png";
    case MediaFormat::kWebp:
      return "webp";
    case MediaFormat::kGif:
      return "gif";
    case MediaFormat::kTiff:
      return "tiff";
    case MediaFormat::kHeif:
      return "heif";
    case MediaFormat::kAvif:
      return "avif";
    case MediaFormat::kMp4:
      return "mp4";
    case MediaFormat::kMov:
      return "mov";
    case MediaFormat::kRawCamera:
      return "raw";
    case MediaFormat::kPsd:
      return "psd";
    case MediaFormat::kOtherKnown:
      return "other";
    case MediaFormat::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace rempart
