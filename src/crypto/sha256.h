// SHA-256 (FIPS 180-4) through libsodium: a streaming hasher and one-shot helpers.
//
// Used for content fingerprints and the evidence log's Merkle tree. Final() returns the digest
// and resets the hasher, so one object can hash several messages in turn. The state is wiped
// when the hasher is destroyed, since it may have absorbed secret bytes.
#pragma once

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace rempart {

inline constexpr size_t kSha256Bytes = crypto_hash_sha256_BYTES;
using Sha256Digest = std::array<uint8_t, kSha256Bytes>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = default;  // copying forks the hash of a common prefix
  Sha256& operator=(const Sha256&) = default;

  void Update(std::span<const uint8_t> bytes);
  void Update(std::string_view text);
  Sha256Digest Final();

 private:
  crypto_hash_sha256_state state_;
};

Sha256Digest Sha256Of(std::span<const uint8_t> bytes);
Sha256Digest Sha256Of(std::string_view text);

// Lower-case hex, 64 characters.
std::string HexOf(const Sha256Digest& digest);

}  // namespace rempart
