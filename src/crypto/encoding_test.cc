#include "crypto/encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace rempart {
namespace {

std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(HexTest, EncodesLowerCase) {
  EXPECT_EQ(HexEncode({}), "");
  EXPECT_EQ(HexEncode(Bytes(std::string("\x00\x01\xab\xff", 4))), "0001abff");
}

TEST(HexTest, DecodesBothCases) {
  auto lower = HexDecode("0001abff");
  ASSERT_TRUE(lower.ok()) << lower.status().message();
  EXPECT_EQ(*lower, Bytes(std::string("\x00\x01\xab\xff", 4)));
  auto upper = HexDecode("0001ABFF");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(*upper, *lower);
  auto empty = HexDecode("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(HexTest, RoundTripsEveryByte) {
  std::vector<uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<uint8_t>(i);
  auto back = HexDecode(HexEncode(all));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, all);
}

TEST(HexTest, RejectsMalformedInput) {
  for (std::string_view bad : {"0", "abc", "zz", "0g", " 00", "00 ", "0x00", "00\n", "-1"}) {
    auto decoded = HexDecode(bad);
    EXPECT_FALSE(decoded.ok()) << "accepted \"" << bad << "\"";
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.status().code(), Code::kInvalidInput);
    }
  }
  EXPECT_FALSE(HexDecode(std::string_view("00\0", 4)).ok());
}

// RFC 4648 §10 test vectors.
TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> kVectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (auto [plain, encoded] : kVectors) {
    EXPECT_EQ(Base64Encode(Bytes(plain)), encoded);
    auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(*decoded, Bytes(plain));
  }
}

TEST(Base64Test, RoundTripsBinary) {
  std::vector<uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<uint8_t>(255 - i);
  for (size_t len = 0; len <= all.size(); len += 17) {
    std::vector<uint8_t> part(all.begin(), all.begin() + len);
    auto back = Base64Decode(Base64Encode(part));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, part);
  }
}

TEST(Base64Test, RejectsMalformedInput) {
  for (std::string_view bad : {"Zg", "Zg=", "Zg===", "Z===", "====", "Zh==", "Zm9=", "Zm9v\n",
                               " Zm9v", "Zm 9v", "Zm9-", "Zm9_", "Zg==Zm9v", "Zm9v===="}) {
    auto decoded = Base64Decode(bad);
    EXPECT_FALSE(decoded.ok()) << "accepted \"" << bad << "\"";
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.status().code(), Code::kInvalidInput);
    }
  }
}

}  // namespace
}  // namespace rempart
