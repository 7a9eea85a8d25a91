// RFC 3339 timestamps in UTC ("2026-11-29T09:05:17Z"), the only date form Rempart writes to
// files; local time is for display only.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rempart {

using TimePoint = std::chrono::system_clock::time_point;

std::string FormatRfc3339(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)" and "YYYY-MM-DD HH:MM" (taken as local time).
Result<TimePoint> ParseRfc3339(std::string_view text);
// "29/11/2026 10:05" style display in the local time zone, per language ("en" or "fr").
std::string FormatLocal(TimePoint t, std::string_view language);

}  // namespace rempart
