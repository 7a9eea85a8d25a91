#include "media/region_spec.h"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>

#include "core/i18n.h"

namespace rempart {
namespace {

const char* const kMalformed =
    N_("The region \"{}\" is not valid: write x,y,width,height in pixels (for example "
       "120,40,300,200) or in percent (10%,20%,30%,15%).");
const char* const kEmptyRegion =
    N_("The region \"{}\" is empty: its width and height must be more than 0.");
const char* const kOverHundred =
    N_("The region \"{}\" is not valid: a percentage cannot be more than 100%.");
const char* const kOutside =
    N_("The region \"{}\" is outside the image, which is {} by {} pixels.");

// Far beyond any image we open, small enough that sums never overflow an int64.
constexpr double kMaxPixels = 1e7;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "120", "-8" (x and y may start left of or above the image), "12.5%".
std::optional<RegionValue> ParseValue(std::string_view text) {
  text = Trim(text);
  RegionValue value;
  if (!text.empty() && text.back() == '%') {
    value.percent = true;
    text = Trim(text.substr(0, text.size() - 1));
  }
  if (text.empty()) return std::nullopt;
  const char* end = text.data() + text.size();
  if (value.percent) {
    auto [ptr, ec] = std::from_chars(text.data(), end, value.amount);
    if (ec != std::errc() || ptr != end || !std::isfinite(value.amount)) return std::nullopt;
  } else {
    long long pixels = 0;
    auto [ptr, ec] = std::from_chars(text.data(), end, pixels);
    if (ec != std::errc() || ptr != end || std::abs(pixels) > kMaxPixels) return std::nullopt;
    value.amount = static_cast<double>(pixels);
  }
  return value;
}

std::optional<std::array<RegionValue, 4>> SplitFour(std::string_view text) {
  std::array<RegionValue, 4> values;
  for (size_t i = 0; i < 4; ++i) {
    const size_t comma = text.find(',');
    if ((comma == std::string_view::npos) != (i == 3)) return std::nullopt;
    auto value = ParseValue(text.substr(0, comma));
    if (!value) return std::nullopt;
    values[i] = *value;
    if (i < 3) text.remove_prefix(comma + 1);
  }
  return values;
}

// Percentages are of the image's width for x and w, of its height for y and h.
double ToPixels(const RegionValue& value, int extent) {
  return value.percent ? value.amount * extent / 100.0 : value.amount;
}

}  // namespace

Result<RegionSpec> ParseRegionSpec(std::string_view text) {
  const std::string shown(Trim(text));
  auto values = SplitFour(text);
  if (!values) return Error(Code::kUsage, kMalformed, shown);
  RegionSpec spec{(*values)[0], (*values)[1], (*values)[2], (*values)[3]};
  for (const RegionValue& v : *values) {
    if (v.percent && std::abs(v.amount) > 100) return Error(Code::kUsage, kOverHundred, shown);
  }
  if (spec.width.amount <= 0 || spec.height.amount <= 0) {
    return Error(Code::kUsage, kEmptyRegion, shown);
  }
  return spec;
}

Result<Box> ResolveRegion(const RegionSpec& spec, int image_width, int image_height) {
  // Edges round outwards: a region meant to hide something never comes out a pixel short.
  const double left = std::floor(ToPixels(spec.x, image_width));
  const double top = std::floor(ToPixels(spec.y, image_height));
  const double right = std::ceil(ToPixels(spec.x, image_width) + ToPixels(spec.width, image_width));
  const double bottom =
      std::ceil(ToPixels(spec.y, image_height) + ToPixels(spec.height, image_height));
  const Box clipped = ClipBox({static_cast<int>(left), static_cast<int>(top),
                               static_cast<int>(right - left), static_cast<int>(bottom - top)},
                              image_width, image_height);
  if (clipped.empty()) {
    const std::string shown = std::to_string(static_cast<long long>(left)) + "," +
                              std::to_string(static_cast<long long>(top)) + "," +
                              std::to_string(static_cast<long long>(right - left)) + "," +
                              std::to_string(static_cast<long long>(bottom - top));
    return Error(Code::kUsage, kOutside, shown, image_width, image_height);
  }
  return clipped;
}

Result<Box> ParseRegion(std::string_view text, int image_width, int image_height) {
  REMPART_ASSIGN_OR_RETURN(RegionSpec spec, ParseRegionSpec(text));
  return ResolveRegion(spec, image_width, image_height);
}

}  // namespace rempart
