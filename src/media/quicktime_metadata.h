// Readers for the metadata that MP4 and QuickTime files carry beside their streams: movie and
// track header dates, the 'udta' user-data list (©xyz location, ©mak make, XMP_, vendor boxes
// that hold serial numbers), Apple's 'meta' with 'keys' + 'ilst', and iTunes-style 'ilst'.
// They only report: the scrubber removes these boxes whole, so a reader that meets damage
// notes "other metadata" and goes on rather than failing the inspection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "media/byte_source.h"
#include "media/iso_bmff_boxes.h"
#include "media/privacy_report.h"

namespace rempart::bmff {

// Seconds since 1904-01-01 00:00:00 UTC (QuickTime's epoch) as "YYYY:MM:DD HH:MM:SS".
std::string Mac1904ToString(uint64_t seconds);

// An ISO 6709 point ("+48.8566+002.3522+35.000/"), with the precision its digits give.
std::optional<GeoPoint> ParseIso6709(std::string_view text);

// mvhd, tkhd or mdhd: their creation and modification dates (0 means unset). `prefix` names
// them as exiftool does: "" for the movie, "Track" or "Media".
void ReadHeaderDates(const ByteSource& source, const Box& box, std::string_view prefix,
                     PrivacyReport& report);

// A 'udta' box and everything in it.
void ReadUserData(const ByteSource& source, const Box& udta, PrivacyReport& report);

// A QuickTime or ISO 'meta' box outside HEIF: Apple keys/ilst, iTunes ilst, or anything else.
void ReadMovieMeta(const ByteSource& source, const Box& meta, PrivacyReport& report);

}  // namespace rempart::bmff
