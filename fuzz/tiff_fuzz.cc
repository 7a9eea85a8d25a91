// Fuzzes the TIFF parser: IFD chains, sub-IFDs, maker notes, the XMP/IPTC/Photoshop blocks in
// tags, and the rebuild of a cleaned file. Whatever the inspection finds, the scrub plan must
// apply cleanly, and the cleaned file must read again, reveal nothing, and clean to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "media/edit_plan.h"
#include "media/media_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rempart::MemorySource source(std::span<const uint8_t>(data, size));
  (void)rempart::InspectTiff(source);
  for (bool strip_icc : {false, true}) {
    auto plan = rempart::PlanTiffScrub(source, {.strip_icc = strip_icc});
    if (!plan.ok()) continue;
    auto clean = rempart::ApplyPlanToString(source, *plan);
    if (!clean.ok()) std::abort();  // a plan must only refer to bytes of the input
    rempart::MemorySource again(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(clean->data()), clean->size()));
    auto report = rempart::InspectTiff(again);
    if (!report.ok() || !report->IsClean()) std::abort();
    auto plan2 = rempart::PlanTiffScrub(again, {.strip_icc = strip_icc});
    if (!plan2.ok() || !plan2->IsIdentity(clean->size())) std::abort();
  }
  return 0;
}
