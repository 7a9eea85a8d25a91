// Fuzzes the minisign public-key and signature parsers: bundles carry both.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/minisign.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)rempart::ParseMinisignPublicKeyLine(text);
  (void)rempart::ParseMinisignPublicKeyFile(text);
  rempart::MinisignPublicKey key;  // a zero key: parsing must still be safe
  std::string_view message("message");
  (void)rempart::MinisignVerify(
      key, std::span(reinterpret_cast<const uint8_t*>(message.data()), message.size()), text);
  return 0;
}
