// Feeds arbitrary bytes to BundleReader as a zip bundle, lists the entries and streams each one
// with small limits. Besides crashes and leaks, it checks the reader's promise that a stream never
// delivers more bytes than the entry declared.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "evidence/bundle_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rempart::BundleLimits limits;
  limits.max_entries = 256;
  limits.max_total_size = 1 << 22;
  limits.max_entry_size = 1 << 20;
  limits.ratio_exempt_size = 1 << 12;
  auto reader =
      rempart::BundleReader::OpenZipBytes(std::vector<uint8_t>(data, data + size), limits);
  if (!reader.ok()) {
    if (reader.status().message().empty()) abort();  // every refusal must explain itself
    return 0;
  }
  for (const rempart::BundleEntry& entry : reader->entries()) {
    if (reader->Find(entry.name) != &entry) abort();
    uint64_t total = 0;
    const rempart::Status streamed =
        reader->Stream(entry.name, [&](std::span<const uint8_t> chunk) {
          total += chunk.size();
          if (total > entry.size) abort();
          return rempart::Status::Ok();
        });
    if (streamed.ok() && total != entry.size) abort();
    auto bytes = reader->ReadAll(entry.name, 1 << 16);
    if (bytes.ok() && bytes->size() != entry.size) abort();
  }
  return 0;
}
