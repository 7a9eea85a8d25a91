#include "server/vault_sessions.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace rempart::server {
namespace {

using namespace std::chrono_literals;

class VaultSessionsTest : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::time_point(1h);
  VaultSessions::Clock clock_ = [this] { return now_; };
};

TEST_F(VaultSessionsTest, TokensAreRandom256BitHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string token = RandomToken();
    EXPECT_EQ(token.size(), 64u);
    EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST_F(VaultSessionsTest, ComparesTokens) {
  EXPECT_TRUE(TokensEqual("abc", "abc"));
  EXPECT_FALSE(TokensEqual("abc", "abd"));
  EXPECT_FALSE(TokensEqual("abc", "abcd"));
  EXPECT_FALSE(TokensEqual("", ""));
}

TEST_F(VaultSessionsTest, FindsByTokenOnly) {
  VaultSessions sessions(15min, 8, clock_);
  auto created = sessions.Create(nullptr);
  EXPECT_EQ(sessions.Find(created.token), created.session);
  EXPECT_EQ(created.session->csrf_token.size(), 64u);
  EXPECT_NE(created.session->csrf_token, created.token);
  EXPECT_EQ(sessions.Find(RandomToken()), nullptr);
  EXPECT_EQ(sessions.Find(""), nullptr);
  EXPECT_EQ(sessions.Find(created.token.substr(1)), nullptr);
}

TEST_F(VaultSessionsTest, LocksAfterIdleTimeAndUseKeepsItOpen) {
  VaultSessions sessions(15min, 8, clock_);
  auto created = sessions.Create(nullptr);
  now_ += 14min;
  EXPECT_NE(sessions.Find(created.token), nullptr);  // restarts the idle timer
  now_ += 14min;
  EXPECT_NE(sessions.Find(created.token), nullptr);
  now_ += 16min;
  EXPECT_EQ(sessions.Find(created.token), nullptr);
  EXPECT_EQ(sessions.size(), 0u);
}

TEST_F(VaultSessionsTest, ExpireIdleDropsOnlyIdleSessions) {
  VaultSessions sessions(15min, 8, clock_);
  auto old_one = sessions.Create(nullptr);
  now_ += 10min;
  auto new_one = sessions.Create(nullptr);
  now_ += 6min;
  EXPECT_EQ(sessions.ExpireIdle(), 1u);
  EXPECT_EQ(sessions.Find(old_one.token), nullptr);
  EXPECT_NE(sessions.Find(new_one.token), nullptr);
}

TEST_F(VaultSessionsTest, RemoveLocks) {
  VaultSessions sessions(15min, 8, clock_);
  auto created = sessions.Create(nullptr);
  sessions.Remove(created.token);
  sessions.Remove("unknown");
  EXPECT_EQ(sessions.Find(created.token), nullptr);
}

TEST_F(VaultSessionsTest, EvictsTheLeastRecentlyUsedWhenFull) {
  VaultSessions sessions(15min, 2, clock_);
  auto a = sessions.Create(nullptr);
  now_ += 1s;
  auto b = sessions.Create(nullptr);
  now_ += 1s;
  sessions.Find(a.token);
  now_ += 1s;
  auto c = sessions.Create(nullptr);
  EXPECT_NE(sessions.Find(a.token), nullptr);
  EXPECT_EQ(sessions.Find(b.token), nullptr);
  EXPECT_NE(sessions.Find(c.token), nullptr);
}

TEST_F(VaultSessionsTest, IsThreadSafe) {
  VaultSessions sessions(15min, 64);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto created = sessions.Create(nullptr);
        EXPECT_NE(sessions.Find(created.token), nullptr);
        sessions.ExpireIdle();
        sessions.Remove(created.token);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(sessions.size(), 0u);
}

}  // namespace
}  // namespace rempart::server
