#include "crypto/ed25519.h"

#include <cstdlib>

#include "crypto/sodium_init.h"

namespace rempart {
namespace {

std::span<const uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

SigningKey SigningKey::Generate() {
  // Without a working libsodium there is no randomness to make a key from; libsodium's own
  // random functions abort in that state too, so returning an error would only delay it.
  if (!EnsureSodium().ok()) std::abort();
  SecretBytes secret(kEd25519SecretKeyBytes);
  Ed25519PublicKey public_key;
  crypto_sign_ed25519_keypair(public_key.data(), secret.data());
  return SigningKey(std::move(secret), public_key);
}

Result<SigningKey> SigningKey::FromSeed(const SecretBytes& seed) {
  if (seed.size() != kEd25519SeedBytes) {
    return Status(Code::kInvalidInput, "an Ed25519 seed must be 32 bytes");
  }
  SecretBytes secret(kEd25519SecretKeyBytes);
  Ed25519PublicKey public_key;
  crypto_sign_ed25519_seed_keypair(public_key.data(), secret.data(), seed.data());
  return SigningKey(std::move(secret), public_key);
}

Result<SigningKey> SigningKey::FromSecretKey(SecretBytes secret_key) {
  if (secret_key.size() != kEd25519SecretKeyBytes) {
    return Status(Code::kInvalidInput, "an Ed25519 secret key must be 64 bytes");
  }
  // Rederive from the seed rather than trusting the stored public half: libsodium signs with
  // the stored half, and a mismatched one would yield signatures that reveal the secret.
  SecretBytes seed(secret_key.data(), kEd25519SeedBytes);
  REMPART_ASSIGN_OR_RETURN(SigningKey key, FromSeed(seed));
  if (sodium_memcmp(key.secret_key_.data(), secret_key.data(), kEd25519SecretKeyBytes) != 0) {
    return Status(Code::kInvalidInput, "the Ed25519 secret key is inconsistent (damaged?)");
  }
  return key;
}

Ed25519Signature SigningKey::Sign(std::span<const uint8_t> message) const {
  Ed25519Signature signature;
  crypto_sign_ed25519_detached(signature.data(), nullptr, message.data(), message.size(),
                               secret_key_.data());
  return signature;
}

Ed25519Signature SigningKey::Sign(std::string_view message) const { return Sign(AsBytes(message)); }

bool VerifySignature(const Ed25519PublicKey& public_key, std::span<const uint8_t> message,
                     const Ed25519Signature& signature) {
  return crypto_sign_ed25519_verify_detached(signature.data(), message.data(), message.size(),
                                             public_key.data()) == 0;
}

bool VerifySignature(const Ed25519PublicKey& public_key, std::string_view message,
                     const Ed25519Signature& signature) {
  return VerifySignature(public_key, AsBytes(message), signature);
}

}  // namespace rempart
