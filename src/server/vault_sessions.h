// VaultSessions: the vaults this server has unlocked, each reachable by a random token.
//
// Unlocking opens the Vault once and keeps it in memory under a 256-bit token that lives only
// in the browser's cookie; the table is keyed by the token's SHA-256, so a lookup leaks no
// timing about the token itself. A session idle for longer than the limit is dropped (the
// Vault's keys are wiped as it closes); Find() enforces the limit even if nobody calls
// ExpireIdle(), which only frees memory sooner. Thread-safe. A Vault is not, so a request
// holds VaultSession::mutex while it uses one.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "evidence/vault.h"

namespace rempart::server {

struct VaultSession {
  std::mutex mutex;  // held while a request uses `vault`
  std::unique_ptr<Vault> vault;
  std::string csrf_token;  // 64 hex digits, for the hidden field of every POST form
};

class VaultSessions {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `max_sessions` bounds memory: the least recently used session is dropped to make room.
  explicit VaultSessions(std::chrono::seconds idle_limit, size_t max_sessions = 8,
                         Clock clock = std::chrono::steady_clock::now);

  struct Created {
    std::string token;  // 64 hex digits, for the cookie
    std::shared_ptr<VaultSession> session;
  };
  Created Create(std::unique_ptr<Vault> vault);

  // The session for `token`, its idle timer restarted; nullptr when unknown or idle too long.
  std::shared_ptr<VaultSession> Find(std::string_view token);
  // Drops the session for `token` (Lock). Unknown tokens are ignored.
  void Remove(std::string_view token);
  // Drops every session idle for too long; returns how many.
  size_t ExpireIdle();
  void Clear();
  size_t size() const;

 private:
  struct Slot {
    std::shared_ptr<VaultSession> session;
    std::chrono::steady_clock::time_point last_used;
  };
  static std::string Key(std::string_view token);

  const std::chrono::seconds idle_limit_;
  const size_t max_sessions_;
  const Clock clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Slot> slots_;  // by Key(token)
};

// 32 random bytes (libsodium randombytes) as 64 lower-case hex digits.
std::string RandomToken();
// Constant-time comparison of two tokens (sodium_memcmp); false when lengths differ.
bool TokensEqual(std::string_view a, std::string_view b);

}  // namespace rempart::server
