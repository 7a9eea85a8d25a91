#include "core/time_format.h"

#include <fmt/format.h>

#include <cstdio>
#include <ctime>

namespace rempart {

std::string FormatRfc3339(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<TimePoint> ParseRfc3339(std::string_view text) {
  std::string s(text);
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[Tt ]%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &consumed) != 5) {
    return Error(Code::kInvalidInput,
                 "'{}' is not a date and time; write it like 2026-03-14T21:30:00Z "
                 "or 2026-03-14 21:30",
                 text);
  }
  std::string_view rest = std::string_view(s).substr(consumed);
  if (rest.size() >= 3 && rest[0] == ':') {
    tm.tm_sec = std::atoi(std::string(rest.substr(1, 2)).c_str());
    rest.remove_prefix(3);
    while (!rest.empty() && (rest[0] == '.' || std::isdigit(static_cast<unsigned char>(rest[0]))))
      rest.remove_prefix(1);
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return Error(Code::kInvalidInput, "'{}' is not a valid date and time", text);
  }
  std::time_t secs;
  if (rest.empty()) {
    tm.tm_isdst = -1;
    secs = mktime(&tm);
  } else if (rest == "Z" || rest == "z") {
    secs = timegm(&tm);
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int offset = std::atoi(std::string(rest.substr(1, 2)).c_str()) * 3600 +
                 std::atoi(std::string(rest.substr(4, 2)).c_str()) * 60;
    secs = timegm(&tm) - (rest[0] == '+' ? offset : -offset);
  } else {
    return Error(Code::kInvalidInput, "'{}' has an unknown time zone; end it with Z or +01:00",
                 text);
  }
  return std::chrono::system_clock::from_time_t(secs);
}

std::string FormatLocal(TimePoint t, std::string_view language) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, language == "fr" ? "%d/%m/%Y %H:%M %Z" : "%Y-%m-%d %H:%M %Z", &tm);
  return buf;
}

}  // namespace rempart
