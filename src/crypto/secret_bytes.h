// SecretBytes: key material that is wiped (sodium_memzero) when it goes out of scope.
//
// Use it for passphrases, data keys and secret signing keys. It is move-only so that a secret is
// never silently copied into memory that nobody wipes.
#pragma once

#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace rempart {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t size) : bytes_(size) {}
  SecretBytes(const uint8_t* data, size_t size) : bytes_(data, data + size) {}
  explicit SecretBytes(std::string_view text)
      : bytes_(reinterpret_cast<const uint8_t*>(text.data()),
               reinterpret_cast<const uint8_t*>(text.data()) + text.size()) {}
  ~SecretBytes() { Wipe(); }

  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
    other.bytes_.clear();
  }
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
      Wipe();
      bytes_ = std::move(other.bytes_);
      other.bytes_.clear();
    }
    return *this;
  }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  // Fills with random bytes from the OS (randombytes_buf).
  static SecretBytes Random(size_t size) {
    SecretBytes secret(size);
    randombytes_buf(secret.data(), size);
    return secret;
  }

  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }
  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  std::span<const uint8_t> span() const { return bytes_; }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }

 private:
  void Wipe() {
    if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
    bytes_.clear();
  }
  std::vector<uint8_t> bytes_;
};

}  // namespace rempart
