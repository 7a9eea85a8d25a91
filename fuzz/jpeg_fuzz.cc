// Fuzzes the JPEG parser: marker segments, scan data, EXIF/XMP/IPTC/MPF blocks inside, the
// trailer after EOI — bytes from anyone who sends a photo. Whatever the inspection finds, the
// scrub plan must apply cleanly, and the cleaned file must read again, reveal nothing, and
// clean to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "media/edit_plan.h"
#include "media/media_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rempart::MemorySource source(std::span<const uint8_t>(data, size));
  (void)rempart::InspectJpeg(source);
  for (bool strip_icc : {false, true}) {
    auto plan = rempart::PlanJpegScrub(source, {.strip_icc = strip_icc});
    if (!plan.ok()) continue;
    auto clean = rempart::ApplyPlanToString(source, *plan);
    if (!clean.ok()) std::abort();  // a plan must only refer to bytes of the input
    rempart::MemorySource again(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(clean->data()), clean->size()));
    auto report = rempart::InspectJpeg(again);
    if (!report.ok() || !report->IsClean()) std::abort();
    auto plan2 = rempart::PlanJpegScrub(again, {.strip_icc = strip_icc});
    if (!plan2.ok() || !plan2->IsIdentity(clean->size())) std::abort();
  }
  return 0;
}
