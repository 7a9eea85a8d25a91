// Region specs: the "--region x,y,w,h" a person types to redact what face detection cannot
// know about (a tattoo, a mirror, a window, a background).
//
// Each of the four numbers is either whole pixels ("120,40,300,200") or a percentage of the
// image's width (x, w) or height (y, h), decimals allowed ("10%,20%,30%,12.5%"); both kinds mix.
// Parsing is split from resolving so that a command line is checked before any file is read.
#pragma once

#include <string_view>

#include "core/status.h"
#include "media/box.h"

namespace rempart {

struct RegionValue {
  double amount = 0;
  bool percent = false;
};

struct RegionSpec {
  RegionValue x, y, width, height;
};

// Syntax only: kUsage with an example of the right form when `text` is not four numbers, or
// when the width or height is not positive or a percentage is above 100.
Result<RegionSpec> ParseRegionSpec(std::string_view text);

// The box in a width x height image, clipped to it. kUsage when nothing of it is inside.
Result<Box> ResolveRegion(const RegionSpec& spec, int image_width, int image_height);

// Both steps at once.
Result<Box> ParseRegion(std::string_view text, int image_width, int image_height);

}  // namespace rempart
