#include "crypto/sha256.h"

#include "crypto/encoding.h"

namespace rempart {

Sha256::Sha256() { crypto_hash_sha256_init(&state_); }

Sha256::~Sha256() { sodium_memzero(&state_, sizeof state_); }

void Sha256::Update(std::span<const uint8_t> bytes) {
  crypto_hash_sha256_update(&state_, bytes.data(), bytes.size());
}

void Sha256::Update(std::string_view text) {
  Update(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

Sha256Digest Sha256::Final() {
  Sha256Digest digest;
  crypto_hash_sha256_final(&state_, digest.data());
  crypto_hash_sha256_init(&state_);  // final leaves the state unusable; make it reusable
  return digest;
}

Sha256Digest Sha256Of(std::span<const uint8_t> bytes) {
  Sha256Digest digest;
  crypto_hash_sha256(digest.data(), bytes.data(), bytes.size());
  return digest;
}

Sha256Digest Sha256Of(std::string_view text) {
  return Sha256Of(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

std::string HexOf(const Sha256Digest& digest) { return HexEncode(digest); }

}  // namespace rempart
