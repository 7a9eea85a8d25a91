// The container formats Rempart reads and cleans, recognised from their first bytes, and the
// entry points that dispatch to each format's parser. Every parser treats its input as hostile:
// offsets and lengths are checked against the source, loops in linked structures are refused,
// and failures are kInvalidInput errors that say what is wrong, never a crash.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/status.h"
#include "media/byte_source.h"
#include "media/edit_plan.h"
#include "media/privacy_report.h"

namespace rempart {

enum class MediaFormat {
  kUnknown,
  kJpeg,
  kPng,
  kWebp,
  kGif,
  kTiff,
  kHeif,  // HEIC/HEIF still images (ISO BMFF, brands heic/heix/mif1/msf1)
  kAvif,  // ISO BMFF, brands avif/avis
  kMp4,   // ISO BMFF video (isom, mp41, mp42, …)
  kMov,   // QuickTime (brand "qt  ", or a moov/mdat/wide first box)
  // Recognised only to be refused with a clear message (no safe lossless cleaning):
  kRawCamera,  // CR2, NEF, ARW, DNG, ORF, RW2, RAF, … (TIFF-like but full of maker data)
  kPsd,
  kOtherKnown,  // BMP, JPEG XL, AVI, WMV, SVG, PDF: named, not cleaned
};

// Detects the format from at least the first 64 bytes (fewer only if the file is shorter).
MediaFormat SniffMediaFormat(std::span<const uint8_t> head);
// "jpeg", "png", … as used in PrivacyReport::format and --json output.
std::string_view MediaFormatName(MediaFormat format);

// What the file reveals. The caller may add faces afterwards.
Result<PrivacyReport> InspectMedia(const ByteSource& input);
// How to write a cleaned copy (see edit_plan.h). Unsupported formats give kInvalidInput.
Result<EditPlan> PlanScrub(const ByteSource& input, const ScrubOptions& options);

// Per-format entry points, called by the dispatchers above (and by fuzzers).
Result<PrivacyReport> InspectJpeg(const ByteSource& input);
Result<EditPlan> PlanJpegScrub(const ByteSource& input, const ScrubOptions& options);
Result<PrivacyReport> InspectTiff(const ByteSource& input);
Result<EditPlan> PlanTiffScrub(const ByteSource& input, const ScrubOptions& options);
Result<PrivacyReport> InspectPng(const ByteSource& input);
Result<EditPlan> PlanPngScrub(const ByteSource& input, const ScrubOptions& options);
Result<PrivacyReport> InspectWebp(const ByteSource& input);
Result<EditPlan> PlanWebpScrub(const ByteSource& input, const ScrubOptions& options);
Result<PrivacyReport> InspectGif(const ByteSource& input);
Result<EditPlan> PlanGifScrub(const ByteSource& input, const ScrubOptions& options);
// ISO base media files: HEIF, AVIF, MP4, MOV.
Result<PrivacyReport> InspectIsoBmff(const ByteSource& input);
Result<EditPlan> PlanIsoBmffScrub(const ByteSource& input, const ScrubOptions& options);

}  // namespace rempart
