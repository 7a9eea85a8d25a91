#include "server/loopback.h"

#include <gtest/gtest.h>

namespace rempart::server {
namespace {

TEST(LoopbackTest, KnowsLoopbackAddresses) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackAddress("::1"));
  EXPECT_TRUE(IsLoopbackAddress("::ffff:127.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackAddress("::"));
  EXPECT_FALSE(IsLoopbackAddress("192.168.1.2"));
  EXPECT_FALSE(IsLoopbackAddress("localhost"));
  EXPECT_FALSE(IsLoopbackAddress(""));
}

TEST(LoopbackTest, KnowsLoopbackHostHeaders) {
  for (const char* host : {"", "localhost", "localhost:8080", "LocalHost.", "127.0.0.1",
                           "127.0.0.1:8080", "[::1]", "[::1]:8080", "127.9.9.9:1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host :
       {"evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.evil.example",
        "[::1", "[::1]x", "[::2]:80", "10.0.0.1", "0.0.0.0:8080", "localhost@evil"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace rempart::server
