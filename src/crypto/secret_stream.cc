#include "crypto/secret_stream.h"

namespace rempart {
namespace {
const unsigned char* Ad(std::string_view ad) {
  return reinterpret_cast<const unsigned char*>(ad.data());
}
}  // namespace

StreamEncryptor::StreamEncryptor(const SecretBytes& key) {
  crypto_secretstream_xchacha20poly1305_init_push(&state_, header_.data(), key.data());
}

void StreamEncryptor::Push(std::span<const uint8_t> chunk, bool last, std::string_view ad,
                           std::vector<uint8_t>& sealed) {
  sealed.resize(chunk.size() + kStreamChunkOverhead);
  crypto_secretstream_xchacha20poly1305_push(
      &state_, sealed.data(), nullptr, chunk.data(), chunk.size(), Ad(ad), ad.size(),
      last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
}

Result<StreamDecryptor> StreamDecryptor::Start(const SecretBytes& key,
                                               std::span<const uint8_t> header) {
  StreamDecryptor d;
  if (header.size() != kStreamHeaderBytes ||
      crypto_secretstream_xchacha20poly1305_init_pull(&d.state_, header.data(), key.data()) != 0) {
    return Error(Code::kCorrupt, "content header is damaged");
  }
  return d;
}

Status StreamDecryptor::Pull(std::span<const uint8_t> sealed, std::string_view ad,
                             std::vector<uint8_t>& out) {
  if (finished_) return Error(Code::kCorrupt, "content has data after its end");
  if (sealed.size() < kStreamChunkOverhead) return Error(Code::kCorrupt, "content chunk is cut");
  out.resize(sealed.size() - kStreamChunkOverhead);
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(&state_, out.data(), nullptr, &tag, sealed.data(),
                                                 sealed.size(), Ad(ad), ad.size()) != 0) {
    return Error(Code::kCorrupt, "content chunk fails its authentication check");
  }
  finished_ = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  return Status::Ok();
}

}  // namespace rempart
