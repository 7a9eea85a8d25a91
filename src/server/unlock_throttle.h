// UnlockThrottle: slows down passphrase guessing through the unlock form.
//
// Per process, not per address (Rempart keeps no addresses): the first kFreeFailures wrong
// passphrases cost nothing beyond Argon2id itself, so typos are not punished; after that each
// failure doubles the wait before the next attempt, up to kMaxWait. A success resets it.
// Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

namespace rempart::server {

class UnlockThrottle {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr int kFreeFailures = 3;
  static constexpr std::chrono::seconds kMaxWait{300};

  explicit UnlockThrottle(Clock clock = std::chrono::steady_clock::now);

  // How long until the next attempt may be tried; zero when it may be tried now.
  std::chrono::seconds Wait() const;
  void RecordFailure();
  void RecordSuccess();

 private:
  const Clock clock_;
  mutable std::mutex mutex_;
  int failures_ = 0;
  std::chrono::steady_clock::time_point next_allowed_{};
};

}  // namespace rempart::server
