// Fuzzes the parser of PNG files (chunks, CRCs, compressed text, eXIf, hex-encoded raw
// profiles), which reads photos from anyone. Whatever the inspection finds, the scrub plan must
// apply cleanly and give a file that reads again and that a second scrub leaves unchanged.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "media/edit_plan.h"
#include "media/media_format.h"

namespace {

void Check(std::span<const uint8_t> bytes) {
  rempart::MemorySource source(bytes);
  (void)rempart::InspectPng(source);
  for (bool strip_icc : {false, true}) {
    auto plan = rempart::PlanPngScrub(source, {.strip_icc = strip_icc});
    if (!plan.ok()) continue;
    auto clean = rempart::ApplyPlanToString(source, *plan);
    if (!clean.ok()) std::abort();  // a plan must only refer to bytes of the input
    rempart::MemorySource again(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(clean->data()), clean->size()));
    if (!rempart::InspectPng(again).ok()) std::abort();
    auto plan2 = rempart::PlanPngScrub(again, {.strip_icc = strip_icc});
    if (!plan2.ok() || !plan2->IsIdentity(clean->size())) std::abort();
  }
}

uint32_t Be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

// A copy whose chunk CRCs are all right, so that mutations reach past the checksums.
std::vector<uint8_t> WithGoodCrcs(std::span<const uint8_t> bytes) {
  std::vector<uint8_t> out(bytes.begin(), bytes.end());
  for (size_t pos = 8; pos + 12 <= out.size();) {
    const uint64_t length = Be32(&out[pos]);
    if (length > out.size() - pos - 12) break;
    const uint32_t crc = crc32(0, &out[pos + 4], static_cast<uInt>(length + 4));
    for (int i = 0; i < 4; ++i)
      out[pos + 8 + length + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
    pos += 12 + length;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  Check(bytes);
  Check(WithGoodCrcs(bytes));
  return 0;
}
