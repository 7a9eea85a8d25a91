// Fuzzes the parser of WebP files (RIFF size, chunk sizes and padding, VP8X flags, animation
// frames and their sub-chunks), which reads photos from anyone. Whatever the inspection finds,
// the scrub plan must apply cleanly and give a file that reads again and that a second scrub
// leaves unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "media/edit_plan.h"
#include "media/media_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rempart::MemorySource source(std::span<const uint8_t>(data, size));
  (void)rempart::InspectWebp(source);
  for (bool strip_icc : {false, true}) {
    auto plan = rempart::PlanWebpScrub(source, {.strip_icc = strip_icc});
    if (!plan.ok()) continue;
    auto clean = rempart::ApplyPlanToString(source, *plan);
    if (!clean.ok()) std::abort();  // a plan must only refer to bytes of the input
    rempart::MemorySource again(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(clean->data()), clean->size()));
    if (!rempart::InspectWebp(again).ok()) std::abort();
    auto plan2 = rempart::PlanWebpScrub(again, {.strip_icc = strip_icc});
    if (!plan2.ok() || !plan2->IsIdentity(clean->size())) std::abort();
  }
  return 0;
}
