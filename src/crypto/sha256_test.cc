#include "crypto/sha256.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rempart {
namespace {

// FIPS 180-2 appendix B and the NIST CAVS short-message examples.
struct Vector {
  std::string message;
  std::string_view hex;
};

std::vector<Vector> NistVectors() {
  return {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlm"
       "nopqrsmnopqrstnopqrstu",
       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
      {std::string(1000000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
}

TEST(Sha256Test, OneShotMatchesNist) {
  for (const Vector& v : NistVectors()) {
    EXPECT_EQ(HexOf(Sha256Of(v.message)), v.hex) << v.message.substr(0, 20);
    std::vector<uint8_t> bytes(v.message.begin(), v.message.end());
    EXPECT_EQ(HexOf(Sha256Of(bytes)), v.hex);
  }
}

TEST(Sha256Test, StreamingInUnevenChunksMatchesNist) {
  for (const Vector& v : NistVectors()) {
    Sha256 hasher;
    std::string_view rest = v.message;
    for (size_t chunk = 1; !rest.empty(); chunk = chunk * 3 + 1) {
      size_t n = std::min(chunk, rest.size());
      hasher.Update(rest.substr(0, n));
      rest.remove_prefix(n);
    }
    EXPECT_EQ(HexOf(hasher.Final()), v.hex);
  }
}

TEST(Sha256Test, FinalResetsForReuse) {
  Sha256 hasher;
  hasher.Update("abc");
  EXPECT_EQ(hasher.Final(), Sha256Of("abc"));
  EXPECT_EQ(hasher.Final(), Sha256Of(""));
  hasher.Update("abc");
  EXPECT_EQ(hasher.Final(), Sha256Of("abc"));
}

TEST(Sha256Test, CopyForksACommonPrefix) {
  Sha256 prefix;
  prefix.Update("ab");
  Sha256 fork = prefix;
  prefix.Update("c");
  fork.Update("d");
  EXPECT_EQ(prefix.Final(), Sha256Of("abc"));
  EXPECT_EQ(fork.Final(), Sha256Of("abd"));
}

}  // namespace
}  // namespace rempart
