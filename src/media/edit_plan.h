// EditPlan: a cleaned file described as pieces of the original plus a few new bytes.
//
// Scrubbers never decode and re-encode: they decide which byte ranges of the input to keep and
// which small structures (a shortened header, a minimal EXIF block) to write instead. The image
// or video data is then copied verbatim, which is what makes scrubbing lossless and as fast as
// a file copy, and lets a 2 GB video be cleaned without loading it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "media/byte_source.h"

namespace rempart {

class EditPlan {
 public:
  struct Piece {
    uint64_t offset = 0;  // in the input, when literal is empty
    uint64_t length = 0;  // bytes of the input to copy (0 for a literal piece)
    std::string literal;  // new bytes to write instead (a literal piece)
  };

  // Appends input bytes [offset, offset + length); adjacent copies are merged.
  void Copy(uint64_t offset, uint64_t length);
  // Appends new bytes.
  void Insert(std::string bytes);
  void Insert(const std::vector<uint8_t>& bytes) {
    Insert(std::string(bytes.begin(), bytes.end()));
  }

  const std::vector<Piece>& pieces() const { return pieces_; }
  uint64_t output_size() const { return output_size_; }
  // True when the plan reproduces the whole input unchanged (nothing to clean).
  bool IsIdentity(uint64_t input_size) const;

 private:
  std::vector<Piece> pieces_;
  uint64_t output_size_ = 0;
};

// Runs the plan: calls `sink` with consecutive output chunks (at most 1 MiB each).
template <typename Sink>
Status ApplyPlan(const ByteSource& input, const EditPlan& plan, Sink&& sink);

// Runs the plan into memory (tests, uploads of bounded size).
Result<std::string> ApplyPlanToString(const ByteSource& input, const EditPlan& plan);

template <typename Sink>
Status ApplyPlan(const ByteSource& input, const EditPlan& plan, Sink&& sink) {
  constexpr uint64_t kChunk = 1 << 20;
  std::vector<uint8_t> buffer;
  for (const auto& piece : plan.pieces()) {
    if (!piece.literal.empty()) {
      REMPART_RETURN_IF_ERROR(sink(std::span<const uint8_t>(
          reinterpret_cast<const uint8_t*>(piece.literal.data()), piece.literal.size())));
      continue;
    }
    for (uint64_t done = 0; done < piece.length;) {
      uint64_t n = std::min(kChunk, piece.length - done);
      buffer.resize(n);
      REMPART_RETURN_IF_ERROR(input.ReadAt(piece.offset + done, buffer));
      REMPART_RETURN_IF_ERROR(sink(std::span<const uint8_t>(buffer)));
      done += n;
    }
  }
  return Status::Ok();
}

}  // namespace rempart
