#include "crypto/ed25519.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/encoding.h"

namespace rempart {
namespace {

SecretBytes SecretFromHex(std::string_view hex) {
  auto bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.ok());
  return SecretBytes(bytes->data(), bytes->size());
}

// RFC 8032 §7.1, tests 1 and 2.
TEST(Ed25519Test, Rfc8032Vectors) {
  struct Vector {
    std::string_view seed, public_key, message, signature;
  };
  const Vector kVectors[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf"
       "9"
       "b46bd25bf5f0595bbe24655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f"
       "1"
       "1d8c387b2eaeb4302aeeb00d291612bb0c00"},
  };
  for (const Vector& v : kVectors) {
    auto key = SigningKey::FromSeed(SecretFromHex(v.seed));
    ASSERT_TRUE(key.ok()) << key.status().message();
    EXPECT_EQ(HexEncode(key->public_key()), v.public_key);
    auto message = HexDecode(v.message);
    ASSERT_TRUE(message.ok());
    Ed25519Signature signature = key->Sign(*message);
    EXPECT_EQ(HexEncode(signature), v.signature);
    EXPECT_TRUE(VerifySignature(key->public_key(), *message, signature));
  }
}

TEST(Ed25519Test, SignVerifyAndTamper) {
  SigningKey key = SigningKey::Generate();
  Ed25519Signature signature = key.Sign("the message");
  EXPECT_TRUE(VerifySignature(key.public_key(), "the message", signature));
  EXPECT_FALSE(VerifySignature(key.public_key(), "the messagE", signature));

  Ed25519Signature flipped = signature;
  flipped[10] ^= 0x01;
  EXPECT_FALSE(VerifySignature(key.public_key(), "the message", flipped));

  SigningKey other = SigningKey::Generate();
  EXPECT_NE(other.public_key(), key.public_key());
  EXPECT_FALSE(VerifySignature(other.public_key(), "the message", signature));
}

TEST(Ed25519Test, SecretKeyRoundTrips) {
  SigningKey key = SigningKey::Generate();
  ASSERT_EQ(key.secret_key().size(), kEd25519SecretKeyBytes);
  auto reloaded =
      SigningKey::FromSecretKey(SecretBytes(key.secret_key().data(), key.secret_key().size()));
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().message();
  EXPECT_EQ(reloaded->public_key(), key.public_key());
  EXPECT_TRUE(VerifySignature(key.public_key(), "x", reloaded->Sign("x")));
}

TEST(Ed25519Test, RejectsBadSecretKeys) {
  EXPECT_EQ(SigningKey::FromSecretKey(SecretBytes(32)).status().code(), Code::kInvalidInput);
  EXPECT_EQ(SigningKey::FromSecretKey(SecretBytes()).status().code(), Code::kInvalidInput);
  EXPECT_EQ(SigningKey::FromSeed(SecretBytes(31)).status().code(), Code::kInvalidInput);

  // A public half that does not belong to the seed must not be accepted.
  SigningKey key = SigningKey::Generate();
  SecretBytes damaged(key.secret_key().data(), key.secret_key().size());
  damaged.data()[kEd25519SecretKeyBytes - 1] ^= 0x80;
  EXPECT_EQ(SigningKey::FromSecretKey(std::move(damaged)).status().code(), Code::kInvalidInput);
}

TEST(Ed25519Test, MovedKeyStillSigns) {
  SigningKey key = SigningKey::Generate();
  Ed25519PublicKey public_key = key.public_key();
  SigningKey moved = std::move(key);
  EXPECT_TRUE(VerifySignature(public_key, "m", moved.Sign("m")));
}

}  // namespace
}  // namespace rempart
