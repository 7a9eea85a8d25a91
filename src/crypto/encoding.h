// Text encodings of binary data: lower-case hex and standard base64 (RFC 4648 §4, with padding).
//
// Encoders cannot fail. Decoders take untrusted text and return kInvalidInput for anything that
// is not exactly one canonical encoding: odd-length or non-hex input, characters outside the
// base64 alphabet, missing or misplaced padding, stray whitespace, or non-zero padding bits.
// Decoding accepts upper-case hex digits, since people copy digests from other tools.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace rempart {

std::string HexEncode(std::span<const uint8_t> bytes);
Result<std::vector<uint8_t>> HexDecode(std::string_view hex);

std::string Base64Encode(std::span<const uint8_t> bytes);
Result<std::vector<uint8_t>> Base64Decode(std::string_view base64);

}  // namespace rempart
