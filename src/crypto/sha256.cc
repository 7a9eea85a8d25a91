#include "crypto/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "crypto/encoding.h"

namespace rempart {

// EVP_MD_CTX is opaque; Context is only ever an EVP_MD_CTX under another name.
struct Sha256::Context {};

namespace {

EVP_MD_CTX* Raw(Sha256::Context* c) { return reinterpret_cast<EVP_MD_CTX*>(c); }

// Fetched once: the implicit fetch behind EVP_sha256() costs more than hashing a Merkle node.
const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (!md) std::abort();
  return md;
}

EVP_MD_CTX* NewContext() {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  // Allocation failure or a libcrypto without SHA-256: nothing sensible can go on.
  if (!ctx || EVP_DigestInit_ex(ctx, Sha256Md(), nullptr) != 1) std::abort();
  return ctx;
}

}  // namespace

void Sha256::Free::operator()(Context* c) const { EVP_MD_CTX_free(Raw(c)); }  // also wipes

Sha256::Sha256() : ctx_(reinterpret_cast<Context*>(NewContext())) {}

Sha256::~Sha256() = default;

Sha256::Sha256(const Sha256& other) : ctx_(reinterpret_cast<Context*>(EVP_MD_CTX_new())) {
  if (!ctx_ || EVP_MD_CTX_copy_ex(Raw(ctx_.get()), Raw(other.ctx_.get())) != 1) std::abort();
}

Sha256& Sha256::operator=(const Sha256& other) {
  if (this != &other && EVP_MD_CTX_copy_ex(Raw(ctx_.get()), Raw(other.ctx_.get())) != 1) {
    std::abort();
  }
  return *this;
}

void Sha256::Update(std::span<const uint8_t> bytes) {
  EVP_DigestUpdate(Raw(ctx_.get()), bytes.data(), bytes.size());
}

void Sha256::Update(std::string_view text) {
  Update(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

Sha256Digest Sha256::Final() {
  Sha256Digest digest;
  unsigned int size = 0;
  EVP_DigestFinal_ex(Raw(ctx_.get()), digest.data(), &size);
  EVP_DigestInit_ex(Raw(ctx_.get()), Sha256Md(), nullptr);  // reusable, as documented
  return digest;
}

Sha256Digest Sha256Of(std::span<const uint8_t> bytes) {
  Sha256Digest digest;
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, Sha256Md(), nullptr);
  return digest;
}

Sha256Digest Sha256Of(std::string_view text) {
  return Sha256Of(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

std::string HexOf(const Sha256Digest& digest) { return HexEncode(digest); }

}  // namespace rempart
