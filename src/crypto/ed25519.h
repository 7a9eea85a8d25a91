// Ed25519 signatures (RFC 8032, pure, no prehash) through libsodium.
//
// A SigningKey owns libsodium's 64-byte secret key (seed || public key) in SecretBytes, so it is
// wiped on destruction and can only be moved. secret_key() exists so that the owner can seal the
// key at rest (for example with AeadSeal) and reload it later with FromSecretKey().
#pragma once

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/status.h"
#include "crypto/secret_bytes.h"

namespace rempart {

inline constexpr size_t kEd25519PublicKeyBytes = crypto_sign_ed25519_PUBLICKEYBYTES;  // 32
inline constexpr size_t kEd25519SecretKeyBytes = crypto_sign_ed25519_SECRETKEYBYTES;  // 64
inline constexpr size_t kEd25519SeedBytes = crypto_sign_ed25519_SEEDBYTES;            // 32
inline constexpr size_t kEd25519SignatureBytes = crypto_sign_ed25519_BYTES;           // 64

using Ed25519PublicKey = std::array<uint8_t, kEd25519PublicKeyBytes>;
using Ed25519Signature = std::array<uint8_t, kEd25519SignatureBytes>;

class SigningKey {
 public:
  // A fresh key from the system's randomness. Aborts only if libsodium cannot start, which is
  // what libsodium itself does when it has no randomness.
  static SigningKey Generate();
  // Deterministic key from a 32-byte seed (RFC 8032 test vectors, derived keys).
  static Result<SigningKey> FromSeed(const SecretBytes& seed);
  // Reloads a key saved from secret_key(). Fails with kInvalidInput on a wrong size, and when the
  // public half does not belong to the seed (signing with such a key leaks the secret).
  static Result<SigningKey> FromSecretKey(SecretBytes secret_key);

  SigningKey(SigningKey&&) noexcept = default;
  SigningKey& operator=(SigningKey&&) noexcept = default;

  const Ed25519PublicKey& public_key() const { return public_key_; }
  const SecretBytes& secret_key() const { return secret_key_; }

  Ed25519Signature Sign(std::span<const uint8_t> message) const;
  Ed25519Signature Sign(std::string_view message) const;

 private:
  SigningKey(SecretBytes secret_key, const Ed25519PublicKey& public_key)
      : secret_key_(std::move(secret_key)), public_key_(public_key) {}

  SecretBytes secret_key_;
  Ed25519PublicKey public_key_;
};

// True only for a valid signature of exactly this message under this key. libsodium rejects
// small-order keys and non-canonical signatures.
bool VerifySignature(const Ed25519PublicKey& public_key, std::span<const uint8_t> message,
                     const Ed25519Signature& signature);
bool VerifySignature(const Ed25519PublicKey& public_key, std::string_view message,
                     const Ed25519Signature& signature);

}  // namespace rempart
