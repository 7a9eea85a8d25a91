#include "crypto/aead.h"

namespace rempart {
namespace {
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
const unsigned char* Ad(std::string_view ad) {
  return reinterpret_cast<const unsigned char*>(ad.data());
}
}  // namespace

std::vector<uint8_t> AeadSeal(const SecretBytes& key, std::span<const uint8_t> plaintext,
                              std::string_view associated_data) {
  std::vector<uint8_t> sealed(kNonce + plaintext.size() +
                              crypto_aead_xchacha20poly1305_ietf_ABYTES);
  randombytes_buf(sealed.data(), kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      sealed.data() + kNonce, &written, plaintext.data(), plaintext.size(), Ad(associated_data),
      associated_data.size(), nullptr, sealed.data(), key.data());
  sealed.resize(kNonce + written);
  return sealed;
}

Result<SecretBytes> AeadOpen(const SecretBytes& key, std::span<const uint8_t> sealed,
                             std::string_view associated_data) {
  if (key.size() != kAeadKeyBytes || sealed.size() < kAeadOverheadBytes) {
    return Error(Code::kCorrupt, "record too short to be valid");
  }
  SecretBytes plain(sealed.size() - kAeadOverheadBytes);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plain.data(), &written, nullptr, sealed.data() + kNonce, sealed.size() - kNonce,
          Ad(associated_data), associated_data.size(), sealed.data(), key.data()) != 0) {
    return Error(Code::kCorrupt, "record fails its authentication check");
  }
  return plain;
}

}  // namespace rempart
