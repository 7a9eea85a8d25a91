// Argon2id key derivation from a passphrase (libsodium crypto_pwhash).
//
// The cost is stored next to the salt, so each vault opens with the parameters it was created
// with and a slow machine can choose a lighter profile at `init` time.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "crypto/secret_bytes.h"

namespace rempart {

constexpr size_t kKdfSaltBytes = crypto_pwhash_SALTBYTES;

struct KdfParams {
  uint64_t opslimit = 6;           // the "standard" profile
  uint64_t memlimit = 128ull << 20;
  std::array<uint8_t, kKdfSaltBytes> salt{};
};

// "interactive" (64 MiB), "standard" (128 MiB, ops 6: the default), "moderate" (256 MiB) or
// "sensitive" (1 GiB).
Result<KdfParams> KdfProfile(std::string_view name);

// Derives `size` bytes from the passphrase; fails only when memory runs out.
Result<SecretBytes> DeriveKey(const SecretBytes& passphrase, const KdfParams& params, size_t size);

}  // namespace rempart
