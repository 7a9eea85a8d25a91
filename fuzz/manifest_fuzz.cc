// Fuzzes the parser of a bundle's manifest.json (and the entry leaves inside it), which reads
// text from anyone who sends a bundle.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "evidence/bundle_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto manifest = rempart::ParseManifest(text);
  if (manifest.ok()) {
    // Whatever parsed must serialise again without trouble.
    (void)rempart::ManifestToJson(*manifest);
  }
  (void)rempart::EntryFromLeaf(text);
  return 0;
}
