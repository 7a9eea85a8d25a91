#include "server/unlock_throttle.h"

#include <gtest/gtest.h>

namespace rempart::server {
namespace {

using namespace std::chrono_literals;

TEST(UnlockThrottleTest, ForgivesTyposThenDoublesTheWait) {
  auto now = std::chrono::steady_clock::time_point(1h);
  UnlockThrottle throttle([&] { return now; });
  for (int i = 0; i < UnlockThrottle::kFreeFailures; ++i) {
    EXPECT_EQ(throttle.Wait(), 0s);
    throttle.RecordFailure();
  }
  EXPECT_EQ(throttle.Wait(), 0s);
  throttle.RecordFailure();
  EXPECT_EQ(throttle.Wait(), 1s);
  now += 1s;
  EXPECT_EQ(throttle.Wait(), 0s);
  throttle.RecordFailure();
  EXPECT_EQ(throttle.Wait(), 2s);
  now += 500ms;
  EXPECT_EQ(throttle.Wait(), 2s);  // rounded up, never "wait 0 seconds"
  now += 2s;
  throttle.RecordFailure();
  EXPECT_EQ(throttle.Wait(), 4s);
}

TEST(UnlockThrottleTest, CapsTheWait) {
  auto now = std::chrono::steady_clock::time_point(1h);
  UnlockThrottle throttle([&] { return now; });
  for (int i = 0; i < 100; ++i) throttle.RecordFailure();
  EXPECT_EQ(throttle.Wait(), UnlockThrottle::kMaxWait);
}

TEST(UnlockThrottleTest, SuccessResets) {
  auto now = std::chrono::steady_clock::time_point(1h);
  UnlockThrottle throttle([&] { return now; });
  for (int i = 0; i < 10; ++i) throttle.RecordFailure();
  throttle.RecordSuccess();
  EXPECT_EQ(throttle.Wait(), 0s);
  throttle.RecordFailure();
  EXPECT_EQ(throttle.Wait(), 0s);
}

}  // namespace
}  // namespace rempart::server
