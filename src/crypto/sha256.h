// SHA-256 (FIPS 180-4): a streaming hasher and one-shot helpers.
//
// Used for content fingerprints and the evidence log's Merkle tree. Final() returns the digest
// and resets the hasher, so one object can hash several messages in turn. The state is wiped
// when the hasher is destroyed, since it may have absorbed secret bytes.
//
// This is the one primitive not taken from libsodium: OpenSSL's libcrypto picks the CPU's SHA
// instructions at run time (about 1.1 GB/s here, libsodium's portable code 0.2 GB/s), and every
// piece of evidence is hashed in full. Keys, encryption and signatures stay with libsodium.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace rempart {

inline constexpr size_t kSha256Bytes = 32;
using Sha256Digest = std::array<uint8_t, kSha256Bytes>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256& other);  // copying forks the hash of a common prefix
  Sha256& operator=(const Sha256& other);

  void Update(std::span<const uint8_t> bytes);
  void Update(std::string_view text);
  Sha256Digest Final();

  struct Context;  // OpenSSL's EVP_MD_CTX, opaque here
  struct Free {
    void operator()(Context* c) const;
  };

 private:
  std::unique_ptr<Context, Free> ctx_;
};

Sha256Digest Sha256Of(std::span<const uint8_t> bytes);
Sha256Digest Sha256Of(std::string_view text);

// Lower-case hex, 64 characters.
std::string HexOf(const Sha256Digest& digest);

}  // namespace rempart
