// Minisign-compatible signatures (https://jedisct1.github.io/minisign/), so that anyone can check
// a Rempart file with the stock tool: `minisign -Vm FILE -P <public key line>`.
//
// Public key file:  "untrusted comment: minisign public key <KEY ID>\n" + base64(pk blob) + "\n"
//                   where pk blob = "Ed" || key_id (8) || Ed25519 public key (32).
// Signature file:   "untrusted comment: <text>\n" + base64("ED" || key_id || sig) + "\n" +
//                   "trusted comment: <text>\n" + base64(global sig) + "\n",
//                   sig = Ed25519(BLAKE2b-512(file)), global sig = Ed25519(sig || trusted comment).
// We always sign prehashed ("ED", what minisign 0.11 writes). Verification also accepts legacy
// "Ed" signatures (Ed25519 over the whole file), but only when given the file's bytes.
// Verification treats all text as hostile: malformed text fails with kInvalidInput, a signature
// from another key or one that does not match fails with kVerifyFailed; messages say which.
#pragma once

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/ed25519.h"

namespace rempart {

inline constexpr size_t kMinisignKeyIdBytes = 8;
inline constexpr size_t kBlake2b512Bytes = crypto_generichash_BYTES_MAX;  // 64
// minisign reads comment lines with fixed buffers (1024 and 8192 bytes, prefix, newline and NUL
// included); longer comments would be cut and the file would no longer verify there.
inline constexpr size_t kMinisignMaxUntrustedCommentBytes = 1003;
inline constexpr size_t kMinisignMaxTrustedCommentBytes = 8173;

using MinisignKeyId = std::array<uint8_t, kMinisignKeyIdBytes>;
using Blake2b512Digest = std::array<uint8_t, kBlake2b512Bytes>;

// What a verifier needs: the key id (8 random bytes chosen when the key is made, stored as they
// appear in the files) and the Ed25519 public key.
struct MinisignPublicKey {
  MinisignKeyId key_id{};
  Ed25519PublicKey public_key{};

  // The public half of `key` under a fresh random key id.
  static MinisignPublicKey ForKey(const SigningKey& key);
};
using MinisignKey = MinisignPublicKey;

MinisignKeyId NewMinisignKeyId();
// The key id as minisign prints it: 16 upper-case hex digits of the little-endian number.
std::string MinisignKeyIdHex(const MinisignKeyId& key_id);

// The bare base64 line that `minisign -P` takes.
std::string FormatMinisignPublicKeyLine(const MinisignPublicKey& key);
// The minisign.pub file text (two lines) that `minisign -p` takes.
std::string FormatMinisignPublicKeyFile(const MinisignPublicKey& key);
// Surrounding whitespace is ignored.
Result<MinisignPublicKey> ParseMinisignPublicKeyLine(std::string_view line);
Result<MinisignPublicKey> ParseMinisignPublicKeyFile(std::string_view text);

// Streaming BLAKE2b-512 (no key): the prehash minisign signs, so a large file need never be held
// in memory. Final() resets the hasher.
class Blake2b512 {
 public:
  Blake2b512();
  ~Blake2b512();
  Blake2b512(const Blake2b512&) = default;
  Blake2b512& operator=(const Blake2b512&) = default;

  void Update(std::span<const uint8_t> bytes);
  void Update(std::string_view text);
  Blake2b512Digest Final();

 private:
  crypto_generichash_state state_;
};
Blake2b512Digest Blake2b512Of(std::span<const uint8_t> bytes);

// The .minisig text. Comments must be one line (no CR, LF or NUL) and fit the limits above;
// otherwise kInvalidInput.
Result<std::string> MinisignSignaturePrehashed(const SigningKey& key, const MinisignKeyId& key_id,
                                               const Blake2b512Digest& prehash,
                                               std::string_view untrusted_comment,
                                               std::string_view trusted_comment);
Result<std::string> MinisignSignature(const SigningKey& key, const MinisignKeyId& key_id,
                                      std::span<const uint8_t> message,
                                      std::string_view untrusted_comment,
                                      std::string_view trusted_comment);

// On success, the trusted comment (which the signature covers; the untrusted one is ignored).
Result<std::string> MinisignVerifyPrehashed(const MinisignPublicKey& key,
                                            const Blake2b512Digest& prehash,
                                            std::string_view signature_text);
Result<std::string> MinisignVerify(const MinisignPublicKey& key, std::span<const uint8_t> message,
                                   std::string_view signature_text);

}  // namespace rempart
