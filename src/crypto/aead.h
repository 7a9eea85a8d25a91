// Authenticated encryption of small records: XChaCha20-Poly1305 (IETF), random 24-byte nonces.
//
// Sealed = nonce || ciphertext || tag. The associated data binds a record to its place (for
// example "case:7"), so that moving a ciphertext to another row makes it fail to open.
#pragma once

#include <sodium.h>

#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/secret_bytes.h"

namespace rempart {

constexpr size_t kAeadKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr size_t kAeadOverheadBytes =
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;

std::vector<uint8_t> AeadSeal(const SecretBytes& key, std::span<const uint8_t> plaintext,
                              std::string_view associated_data);
// Fails with Code::kCorrupt when the record was changed, moved, or sealed under another key.
Result<SecretBytes> AeadOpen(const SecretBytes& key, std::span<const uint8_t> sealed,
                             std::string_view associated_data);

}  // namespace rempart
