// Fuzzes the metadata block readers that every container parser hands embedded bytes to:
// EXIF/TIFF IFDs (and maker notes), XMP packets, IPTC-IIM records, Photoshop resources.
// They must never crash, whatever the block holds.
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/metadata_blocks.h"
#include "media/metadata_internal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  rempart::PrivacyReport report;
  rempart::ReadExif(bytes, report);
  rempart::ReadXmp(bytes, report);
  rempart::ReadIptc(bytes, report);
  rempart::metadata::ReadPhotoshopResources(bytes, report);
  return 0;
}
