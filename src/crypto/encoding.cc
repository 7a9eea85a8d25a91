#include "crypto/encoding.h"

#include <sodium.h>

namespace rempart {

std::string HexEncode(std::span<const uint8_t> bytes) {
  // sodium_bin2hex writes a terminating NUL, so the buffer has one spare byte.
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();
  return hex;
}

Result<std::vector<uint8_t>> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return Status(Code::kInvalidInput, "hex text has an odd number of digits");
  }
  if (hex.empty()) return std::vector<uint8_t>();  // libsodium wants a non-null output buffer
  std::vector<uint8_t> bytes(hex.size() / 2);
  size_t written = 0;
  // A null hex_end makes libsodium fail unless every character was a hex digit.
  if (sodium_hex2bin(bytes.data(), bytes.size(), hex.data(), hex.size(), nullptr, &written,
                     nullptr) != 0 ||
      written != bytes.size()) {
    return Status(Code::kInvalidInput, "hex text contains a character that is not a hex digit");
  }
  return bytes;
}

std::string Base64Encode(std::span<const uint8_t> bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
  std::string text(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), kVariant);
  text.pop_back();  // the NUL that sodium_base64_encoded_len counts
  return text;
}

Result<std::vector<uint8_t>> Base64Decode(std::string_view base64) {
  if (base64.size() % 4 != 0) {
    return Status(Code::kInvalidInput, "base64 text has a length that is not a multiple of 4");
  }
  if (base64.empty()) return std::vector<uint8_t>();  // libsodium wants a non-null output buffer
  std::vector<uint8_t> bytes(base64.size() / 4 * 3);
  size_t written = 0;
  // With a null b64_end, libsodium rejects any character it did not consume, bad padding and
  // non-zero trailing bits, so only the canonical encoding of some byte string gets through.
  if (sodium_base642bin(bytes.data(), bytes.size(), base64.data(), base64.size(), nullptr, &written,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return Status(Code::kInvalidInput, "base64 text is malformed");
  }
  bytes.resize(written);
  return bytes;
}

}  // namespace rempart
