// Chunked encryption of large contents (libsodium crypto_secretstream_xchacha20poly1305).
//
// A file is cut into chunks that are encrypted one at a time, so a 2 GB video passes through a
// fixed amount of memory. The stream authenticates chunk order and its end: a reordered,
// dropped or truncated chunk fails to decrypt.
#pragma once

#include <sodium.h>

#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/secret_bytes.h"

namespace rempart {

constexpr size_t kStreamHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr size_t kStreamChunkOverhead = crypto_secretstream_xchacha20poly1305_ABYTES;
using StreamHeader = std::array<uint8_t, kStreamHeaderBytes>;

class StreamEncryptor {
 public:
  explicit StreamEncryptor(const SecretBytes& key);
  ~StreamEncryptor() { sodium_memzero(&state_, sizeof state_); }
  const StreamHeader& header() const { return header_; }
  // Encrypts the next chunk into `out` (resized; reuse it to avoid reallocating); `last` marks
  // the end of the stream.
  void Push(std::span<const uint8_t> chunk, bool last, std::string_view ad,
            std::vector<uint8_t>& out);

 private:
  crypto_secretstream_xchacha20poly1305_state state_;
  StreamHeader header_{};
};

class StreamDecryptor {
 public:
  static Result<StreamDecryptor> Start(const SecretBytes& key, std::span<const uint8_t> header);
  ~StreamDecryptor() { sodium_memzero(&state_, sizeof state_); }
  // Decrypts the next chunk into `out`; Code::kCorrupt when it was altered or misplaced.
  Status Pull(std::span<const uint8_t> sealed, std::string_view ad, std::vector<uint8_t>& out);
  // True once the chunk marked `last` has been pulled.
  bool finished() const { return finished_; }

 private:
  StreamDecryptor() = default;
  crypto_secretstream_xchacha20poly1305_state state_;
  bool finished_ = false;
};

}  // namespace rempart
