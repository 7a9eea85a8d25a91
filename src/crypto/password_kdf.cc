#include "crypto/password_kdf.h"

#include "crypto/sodium_init.h"

namespace rempart {

Result<KdfParams> KdfProfile(std::string_view name) {
  REMPART_RETURN_IF_ERROR(EnsureSodium());
  KdfParams params;
  if (name == "interactive") {
    params.opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    params.memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  } else if (name == "standard" || name.empty()) {
    // Same work as libsodium's "moderate" (time x memory) in half the memory, so that opening
    // a vault keeps the whole process under 200 MB even on a small phone-class machine.
    params.opslimit = 6;
    params.memlimit = 128ull << 20;
  } else if (name == "moderate") {
    params.opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
    params.memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
  } else if (name == "sensitive") {
    params.opslimit = crypto_pwhash_OPSLIMIT_SENSITIVE;
    params.memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;
  } else {
    return Error(Code::kUsage,
                 "unknown key-derivation profile (use interactive, standard, moderate or "
                 "sensitive)");
  }
  randombytes_buf(params.salt.data(), params.salt.size());
  return params;
}

Result<SecretBytes> DeriveKey(const SecretBytes& passphrase, const KdfParams& params, size_t size) {
  REMPART_RETURN_IF_ERROR(EnsureSodium());
  SecretBytes key(size);
  if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char*>(passphrase.data()),
                    passphrase.size(), params.salt.data(), params.opslimit,
                    static_cast<size_t>(params.memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error(Code::kFailed,
                 "not enough memory to derive the key from the passphrase; close other "
                 "programs and try again");
  }
  return key;
}

}  // namespace rempart
