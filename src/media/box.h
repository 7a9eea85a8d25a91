// Box: an axis-aligned rectangle in image pixels, for detected faces and redaction regions.
#pragma once

#include <algorithm>
#include <cstdint>

namespace rempart {

struct Box {
  int x = 0;  // left column
  int y = 0;  // top row
  int width = 0;
  int height = 0;

  bool empty() const { return width <= 0 || height <= 0; }
  int64_t area() const { return empty() ? 0 : int64_t{width} * height; }
  bool operator==(const Box&) const = default;
};

// The part of `box` inside a width x height image; empty when they do not overlap.
inline Box ClipBox(const Box& box, int width, int height) {
  const int64_t left = std::max<int64_t>(box.x, 0);
  const int64_t top = std::max<int64_t>(box.y, 0);
  const int64_t right = std::min<int64_t>(int64_t{box.x} + box.width, width);
  const int64_t bottom = std::min<int64_t>(int64_t{box.y} + box.height, height);
  if (right <= left || bottom <= top) return {};
  return {static_cast<int>(left), static_cast<int>(top), static_cast<int>(right - left),
          static_cast<int>(bottom - top)};
}

}  // namespace rempart
