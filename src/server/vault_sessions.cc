#include "server/vault_sessions.h"

#include <sodium.h>

#include <vector>

#include "crypto/sha256.h"
#include "crypto/sodium_init.h"

namespace rempart::server {

std::string RandomToken() {
  (void)EnsureSodium();  // cannot fail once the vault (which needs it) opened
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[2 * sizeof bytes + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  sodium_memzero(bytes, sizeof bytes);
  return std::string(hex, 2 * sizeof bytes);
}

bool TokensEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

VaultSessions::VaultSessions(std::chrono::seconds idle_limit, size_t max_sessions, Clock clock)
    : idle_limit_(idle_limit),
      max_sessions_(std::max<size_t>(1, max_sessions)),
      clock_(std::move(clock)) {}

std::string VaultSessions::Key(std::string_view token) { return HexOf(Sha256Of(token)); }

VaultSessions::Created VaultSessions::Create(std::unique_ptr<Vault> vault) {
  auto session = std::make_shared<VaultSession>();
  session->vault = std::move(vault);
  session->csrf_token = RandomToken();
  std::string token = RandomToken();
  std::shared_ptr<VaultSession> evicted;  // closed outside the lock: closing wipes keys
  {
    std::lock_guard lock(mutex_);
    if (slots_.size() >= max_sessions_) {
      auto oldest = slots_.begin();
      for (auto it = slots_.begin(); it != slots_.end(); ++it) {
        if (it->second.last_used < oldest->second.last_used) oldest = it;
      }
      evicted = std::move(oldest->second.session);
      slots_.erase(oldest);
    }
    slots_[Key(token)] = Slot{session, clock_()};
  }
  return {std::move(token), std::move(session)};
}

std::shared_ptr<VaultSession> VaultSessions::Find(std::string_view token) {
  if (token.empty()) return nullptr;
  std::string key = Key(token);
  std::shared_ptr<VaultSession> expired;
  std::lock_guard lock(mutex_);
  auto it = slots_.find(key);
  if (it == slots_.end()) return nullptr;
  auto now = clock_();
  if (now - it->second.last_used > idle_limit_) {
    expired = std::move(it->second.session);
    slots_.erase(it);
    return nullptr;
  }
  it->second.last_used = now;
  return it->second.session;
}

void VaultSessions::Remove(std::string_view token) {
  std::shared_ptr<VaultSession> removed;
  std::lock_guard lock(mutex_);
  auto it = slots_.find(Key(token));
  if (it == slots_.end()) return;
  removed = std::move(it->second.session);
  slots_.erase(it);
}

size_t VaultSessions::ExpireIdle() {
  std::vector<std::shared_ptr<VaultSession>> expired;
  {
    std::lock_guard lock(mutex_);
    auto now = clock_();
    for (auto it = slots_.begin(); it != slots_.end();) {
      if (now - it->second.last_used > idle_limit_) {
        expired.push_back(std::move(it->second.session));
        it = slots_.erase(it);
      } else {
        ++it;
      }
    }
  }
  return expired.size();
}

void VaultSessions::Clear() {
  std::map<std::string, Slot> dropped;
  std::lock_guard lock(mutex_);
  dropped.swap(slots_);
}

size_t VaultSessions::size() const {
  std::lock_guard lock(mutex_);
  return slots_.size();
}

}  // namespace rempart::server
