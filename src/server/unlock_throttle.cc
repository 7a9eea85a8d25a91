#include "server/unlock_throttle.h"

#include <algorithm>

namespace rempart::server {

UnlockThrottle::UnlockThrottle(Clock clock) : clock_(std::move(clock)) {}

std::chrono::seconds UnlockThrottle::Wait() const {
  std::lock_guard lock(mutex_);
  auto now = clock_();
  if (now >= next_allowed_) return std::chrono::seconds(0);
  // Round up, so "wait 0 seconds" is never shown while the wait is still on.
  return std::chrono::ceil<std::chrono::seconds>(next_allowed_ - now);
}

void UnlockThrottle::RecordFailure() {
  std::lock_guard lock(mutex_);
  ++failures_;
  if (failures_ <= kFreeFailures) return;
  int doublings = std::min(failures_ - kFreeFailures - 1, 16);
  auto wait = std::min<std::chrono::seconds>(std::chrono::seconds(1LL << doublings), kMaxWait);
  next_allowed_ = clock_() + wait;
}

void UnlockThrottle::RecordSuccess() {
  std::lock_guard lock(mutex_);
  failures_ = 0;
  next_allowed_ = {};
}

}  // namespace rempart::server
