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
  uint64_t opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
  uint64_t memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
  std::array<uint8_t, kKdfSaltBytes> salt{};
};

// "interactive" (64 MiB), "moderate" (256 MiB, the default) or "sensitive" (1 GiB).
Result<KdfParams> KdfProfile(std::string_view name);

// Derives `size` bytes from the passphrase; fails only when memory runs out.
Result<SecretBytes> DeriveKey(const SecretBytes& passphrase, const KdfParams& params, size_t size);

}  // namespace rempart
