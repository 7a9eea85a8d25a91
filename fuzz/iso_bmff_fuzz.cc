// Fuzzes the ISO base media parser (HEIF, AVIF, MP4, MOV): the privacy report, the scrub plan,
// and the cleaned file the plan writes, all from bytes anyone can send.
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/edit_plan.h"
#include "media/media_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rempart::MemorySource source(std::span<const uint8_t>(data, size));
  (void)rempart::InspectIsoBmff(source);
  for (bool strip_icc : {false, true}) {
    auto plan = rempart::PlanIsoBmffScrub(source, rempart::ScrubOptions{.strip_icc = strip_icc});
    if (!plan.ok()) continue;
    auto cleaned = rempart::ApplyPlanToString(source, *plan);
    if (!cleaned.ok()) __builtin_trap();  // a plan must only copy bytes that exist
    // The cleaned file must read back, and cleaning it again must change nothing.
    rempart::MemorySource again(std::span<const uint8_t>(
        reinterpret_cast<const uint8_t*>(cleaned->data()), cleaned->size()));
    if (!rempart::InspectIsoBmff(again).ok()) __builtin_trap();
    auto replan = rempart::PlanIsoBmffScrub(again, {});
    if (!replan.ok()) __builtin_trap();
  }
  return 0;
}
