#include "media/edit_plan.h"

namespace rempart {

void EditPlan::Copy(uint64_t offset, uint64_t length) {
  if (length == 0) return;
  output_size_ += length;
  if (!pieces_.empty()) {
    Piece& last = pieces_.back();
    if (last.literal.empty() && last.offset + last.length == offset) {
      last.length += length;
      return;
    }
  }
  pieces_.push_back({offset, length, {}});
}

void EditPlan::Insert(std::string bytes) {
  if (bytes.empty()) return;
  output_size_ += bytes.size();
  if (!pieces_.empty() && !pieces_.back().literal.empty()) {
    pieces_.back().literal += bytes;
    return;
  }
  pieces_.push_back({0, 0, std::move(bytes)});
}

bool EditPlan::IsIdentity(uint64_t input_size) const {
  if (input_size == 0) return pieces_.empty();
  return pieces_.size() == 1 && pieces_[0].literal.empty() && pieces_[0].offset == 0 &&
         pieces_[0].length == input_size;
}

Result<std::string> ApplyPlanToString(const ByteSource& input, const EditPlan& plan) {
  std::string out;
  out.reserve(plan.output_size());
  REMPART_RETURN_IF_ERROR(ApplyPlan(input, plan, [&](std::span<const uint8_t> chunk) {
    out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    return Status::Ok();
  }));
  return out;
}

}  // namespace rempart
