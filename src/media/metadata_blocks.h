// Readers for the metadata blocks that many containers embed (EXIF/TIFF IFDs, XMP, IPTC-IIM),
// and the one block the scrubber writes back. Each reader appends what it finds to a
// PrivacyReport and tolerates damage: a block it cannot fully parse still yields an "other
// metadata" finding rather than an error, because the scrubber removes it either way.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "media/privacy_report.h"

namespace rempart {

// A TIFF-structured EXIF block ("II*\0" or "MM\0*" first; no "Exif\0\0" prefix). Fills
// findings (make, model, serials, artist, dates, GPS …), report.location and
// report.orientation; embedded thumbnails (IFD1) become kPreview findings.
void ReadExif(std::span<const uint8_t> tiff, PrivacyReport& report,
              std::string_view where = "EXIF");

// An XMP packet (XML text).
void ReadXmp(std::span<const uint8_t> xml, PrivacyReport& report);

// IPTC-IIM records (as in a Photoshop 8BIM 0x0404 resource).
void ReadIptc(std::span<const uint8_t> records, PrivacyReport& report);

// The only EXIF the scrubber leaves: a little-endian TIFF block with IFD0 holding just the
// Orientation tag (no "Exif\0\0" prefix). Only written when orientation is not 1.
std::string BuildOrientationExif(int orientation);

}  // namespace rempart
