#include "crypto/minisign.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "crypto/encoding.h"

namespace rempart {
namespace {

constexpr char kMinisign[] = "/usr/bin/minisign";

std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

struct Signer {
  SigningKey key = SigningKey::Generate();
  MinisignPublicKey pub = MinisignPublicKey::ForKey(key);

  std::string Sign(std::string_view message, std::string_view trusted = "timestamp:1\tfile:m") {
    auto text =
        MinisignSignature(key, pub.key_id, Bytes(message), "signature from rempart", trusted);
    EXPECT_TRUE(text.ok()) << text.status().message();
    return text.ok() ? *text : "";
  }
};

// Replaces the first occurrence of `from` with `to`.
std::string Replace(std::string text, std::string_view from, std::string_view to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos);
  return text.replace(at, from.size(), to);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(text.substr(start, nl - start));
  }
  return lines;
}

TEST(MinisignTest, SignatureHasTheMinisignShape) {
  Signer s;
  std::vector<std::string> lines = Lines(s.Sign("hello", "my comment"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "untrusted comment: signature from rempart");
  auto blob = Base64Decode(lines[1]);
  ASSERT_TRUE(blob.ok());
  ASSERT_EQ(blob->size(), 74u);
  EXPECT_EQ((*blob)[0], 'E');
  EXPECT_EQ((*blob)[1], 'D');
  EXPECT_TRUE(std::equal(s.pub.key_id.begin(), s.pub.key_id.end(), blob->begin() + 2));
  EXPECT_EQ(lines[2], "trusted comment: my comment");
  auto global = Base64Decode(lines[3]);
  ASSERT_TRUE(global.ok());
  EXPECT_EQ(global->size(), 64u);
}

TEST(MinisignTest, RoundTripReturnsTrustedComment) {
  Signer s;
  std::string sig = s.Sign("the file", "timestamp:1700000000\tfile:report.zip");
  auto comment = MinisignVerify(s.pub, Bytes("the file"), sig);
  ASSERT_TRUE(comment.ok()) << comment.status().message();
  EXPECT_EQ(*comment, "timestamp:1700000000\tfile:report.zip");

  auto prehashed = MinisignVerifyPrehashed(s.pub, Blake2b512Of(Bytes("the file")), sig);
  ASSERT_TRUE(prehashed.ok()) << prehashed.status().message();
  EXPECT_EQ(*prehashed, *comment);
}

TEST(MinisignTest, StreamingPrehashMatchesOneShot) {
  std::string big(300000, 'x');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31);
  Blake2b512 hasher;
  for (size_t at = 0; at < big.size(); at += 65536)
    hasher.Update(std::string_view(big).substr(at, 65536));
  Blake2b512Digest streamed = hasher.Final();
  EXPECT_EQ(streamed, Blake2b512Of(Bytes(big)));

  Signer s;
  auto sig = MinisignSignaturePrehashed(s.key, s.pub.key_id, streamed, "u", "t");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(MinisignVerify(s.pub, Bytes(big), *sig).ok());
}

TEST(MinisignTest, Blake2b512KnownAnswer) {
  // BLAKE2b-512("abc"), RFC 7693 appendix A.
  EXPECT_EQ(HexEncode(Blake2b512Of(Bytes("abc"))),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5"
            "de4533cc9518d38aa8dbf1925ab92386edd4009923");
}

TEST(MinisignTest, TamperedMessageFails) {
  Signer s;
  auto result = MinisignVerify(s.pub, Bytes("the filE"), s.Sign("the file"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kVerifyFailed);
  EXPECT_NE(result.status().message().find("bad signature"), std::string::npos);
}

TEST(MinisignTest, TamperedTrustedCommentFails) {
  Signer s;
  std::string sig = Replace(s.Sign("m", "timestamp:1\tfile:a"), "file:a", "file:b");
  auto result = MinisignVerify(s.pub, Bytes("m"), sig);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kVerifyFailed);
  EXPECT_NE(result.status().message().find("trusted comment"), std::string::npos);
}

TEST(MinisignTest, UntrustedCommentIsNotCovered) {
  Signer s;
  std::string sig = Replace(s.Sign("m"), "signature from rempart", "anything at all");
  EXPECT_TRUE(MinisignVerify(s.pub, Bytes("m"), sig).ok());
}

TEST(MinisignTest, WrongKeyIdFails) {
  Signer s;
  std::string sig = s.Sign("m");
  MinisignPublicKey other_id = s.pub;
  other_id.key_id[0] ^= 1;
  auto result = MinisignVerify(other_id, Bytes("m"), sig);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kVerifyFailed);
  EXPECT_NE(result.status().message().find("key id"), std::string::npos);
  EXPECT_NE(result.status().message().find(MinisignKeyIdHex(s.pub.key_id)), std::string::npos);

  // Same key id, different key: the signature itself must fail.
  Signer impostor;
  impostor.pub.key_id = s.pub.key_id;
  EXPECT_EQ(MinisignVerify(impostor.pub, Bytes("m"), sig).status().code(), Code::kVerifyFailed);
}

TEST(MinisignTest, RewrittenKeyIdInSignatureFails) {
  // minisign does not sign the key id (it only picks the key), so a rewritten id verifies only
  // against a public key that claims that id *and* holds the signer's Ed25519 key.
  Signer s;
  std::vector<std::string> lines = Lines(s.Sign("m"));
  auto blob = Base64Decode(lines[1]);
  ASSERT_TRUE(blob.ok());
  (*blob)[2] ^= 0xFF;
  MinisignPublicKey claimed = s.pub;
  claimed.key_id[0] ^= 0xFF;
  std::string sig =
      lines[0] + "\n" + Base64Encode(*blob) + "\n" + lines[2] + "\n" + lines[3] + "\n";
  EXPECT_TRUE(MinisignVerify(claimed, Bytes("m"), sig).ok())
      << "the key id is a hint, not a secret; the Ed25519 key is what binds";
  EXPECT_EQ(MinisignVerify(s.pub, Bytes("m"), sig).status().code(), Code::kVerifyFailed);
}

TEST(MinisignTest, HostileSignatureTextIsRejectedCleanly) {
  Signer s;
  std::string good = s.Sign("m");
  std::vector<std::string> lines = Lines(good);
  const std::string bad_texts[] = {
      "",
      "\n\n\n\n",
      lines[0] + "\n",
      lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n",
      "comment: x\n" + lines[1] + "\n" + lines[2] + "\n" + lines[3] + "\n",
      lines[0] + "\n" + lines[1] + "\n" + "comment: x\n" + lines[3] + "\n",
      lines[0] + "\n" + lines[1].substr(4) + "\n" + lines[2] + "\n" + lines[3] + "\n",
      lines[0] + "\n!!!!" + lines[1].substr(4) + "\n" + lines[2] + "\n" + lines[3] + "\n",
      lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n" + lines[3] + "=\n",
      lines[0] + "\n" + lines[1] + " \n" + lines[2] + "\n" + lines[3] + "\n",
      good + "extra line\n",
      lines[0] + "\n" + lines[1] + "\n" + lines[2] + std::string(1, '\0') + "x\n" + lines[3] + "\n",
      std::string(100000, 'A'),
  };
  for (const std::string& bad : bad_texts) {
    auto result = MinisignVerify(s.pub, Bytes("m"), bad);
    EXPECT_FALSE(result.ok()) << bad;
    if (!result.ok()) {
      EXPECT_EQ(result.status().code(), Code::kInvalidInput) << bad;
    }
  }
  auto base64 = MinisignVerify(
      s.pub, Bytes("m"),
      lines[0] + "\n!!!!" + lines[1].substr(4) + "\n" + lines[2] + "\n" + lines[3] + "\n");
  EXPECT_NE(base64.status().message().find("base64"), std::string::npos);

  // An unknown algorithm tag.
  auto blob = Base64Decode(lines[1]);
  ASSERT_TRUE(blob.ok());
  (*blob)[0] = 'X';
  auto unknown = MinisignVerify(
      s.pub, Bytes("m"),
      lines[0] + "\n" + Base64Encode(*blob) + "\n" + lines[2] + "\n" + lines[3] + "\n");
  EXPECT_EQ(unknown.status().code(), Code::kInvalidInput);
}

TEST(MinisignTest, AcceptsCrlfAndMissingFinalNewline) {
  Signer s;
  std::vector<std::string> lines = Lines(s.Sign("m", "c"));
  std::string crlf = lines[0] + "\r\n" + lines[1] + "\r\n" + lines[2] + "\r\n" + lines[3] + "\r\n";
  auto result = MinisignVerify(s.pub, Bytes("m"), crlf);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(*result, "c");
  std::string bare = lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n" + lines[3];
  EXPECT_TRUE(MinisignVerify(s.pub, Bytes("m"), bare).ok());
}

TEST(MinisignTest, RejectsCommentsMinisignCannotCarry) {
  Signer s;
  const std::string_view kBad[] = {"two\nlines", "cr\r", std::string_view("nul\0", 4)};
  for (std::string_view bad : kBad) {
    EXPECT_EQ(MinisignSignature(s.key, s.pub.key_id, Bytes("m"), "u", bad).status().code(),
              Code::kInvalidInput);
    EXPECT_EQ(MinisignSignature(s.key, s.pub.key_id, Bytes("m"), bad, "t").status().code(),
              Code::kInvalidInput);
  }
  std::string longest(kMinisignMaxTrustedCommentBytes, 'c');
  auto sig = MinisignSignature(s.key, s.pub.key_id, Bytes("m"), "u", longest);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(*MinisignVerify(s.pub, Bytes("m"), *sig), longest);
  EXPECT_FALSE(MinisignSignature(s.key, s.pub.key_id, Bytes("m"), "u", longest + "c").ok());
  EXPECT_FALSE(MinisignSignature(s.key, s.pub.key_id, Bytes("m"),
                                 std::string(kMinisignMaxUntrustedCommentBytes + 1, 'u'), "t")
                   .ok());
}

TEST(MinisignTest, LegacySignaturesNeedTheWholeMessage) {
  // Build a legacy "Ed" signature by hand: Ed25519 over the raw message.
  Signer s;
  std::string_view message = "legacy file";
  Ed25519Signature sig = s.key.Sign(message);
  std::vector<uint8_t> blob = {'E', 'd'};
  blob.insert(blob.end(), s.pub.key_id.begin(), s.pub.key_id.end());
  blob.insert(blob.end(), sig.begin(), sig.end());
  std::string_view comment = "old";
  std::vector<uint8_t> global_message(sig.begin(), sig.end());
  global_message.insert(global_message.end(), comment.begin(), comment.end());
  std::string text = "untrusted comment: x\n" + Base64Encode(blob) + "\ntrusted comment: old\n" +
                     Base64Encode(s.key.Sign(global_message)) + "\n";

  auto ok = MinisignVerify(s.pub, Bytes(message), text);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(*ok, "old");
  EXPECT_FALSE(MinisignVerify(s.pub, Bytes("legacy filE"), text).ok());
  EXPECT_EQ(MinisignVerifyPrehashed(s.pub, Blake2b512Of(Bytes(message)), text).status().code(),
            Code::kInvalidInput);
}

TEST(MinisignTest, PublicKeyFormatsRoundTrip) {
  Signer s;
  std::string line = FormatMinisignPublicKeyLine(s.pub);
  EXPECT_EQ(line.size(), 56u);
  auto parsed = ParseMinisignPublicKeyLine("  " + line + "\r\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->key_id, s.pub.key_id);
  EXPECT_EQ(parsed->public_key, s.pub.public_key);

  std::string file = FormatMinisignPublicKeyFile(s.pub);
  EXPECT_EQ(file, "untrusted comment: minisign public key " + MinisignKeyIdHex(s.pub.key_id) +
                      "\n" + line + "\n");
  auto from_file = ParseMinisignPublicKeyFile(file);
  ASSERT_TRUE(from_file.ok()) << from_file.status().message();
  EXPECT_EQ(from_file->key_id, s.pub.key_id);
  EXPECT_EQ(from_file->public_key, s.pub.public_key);
}

TEST(MinisignTest, KeyIdHexIsLittleEndianUpperCase) {
  MinisignKeyId id = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  EXPECT_EQ(MinisignKeyIdHex(id), "EFCDAB8967452301");
}

TEST(MinisignTest, RejectsBadPublicKeys) {
  Signer s;
  std::string line = FormatMinisignPublicKeyLine(s.pub);
  auto blob = Base64Decode(line);
  ASSERT_TRUE(blob.ok());
  (*blob)[1] = 'D';  // "ED" is a signature tag, not a key tag
  for (const std::string& bad : {std::string(""), std::string("   "), line.substr(4), line + "AAAA",
                                 "!" + line.substr(1), Base64Encode(*blob)}) {
    EXPECT_EQ(ParseMinisignPublicKeyLine(bad).status().code(), Code::kInvalidInput) << bad;
  }
  EXPECT_FALSE(ParseMinisignPublicKeyFile(line + "\n").ok());
  EXPECT_FALSE(ParseMinisignPublicKeyFile("comment\n" + line + "\n").ok());
  EXPECT_FALSE(ParseMinisignPublicKeyFile(FormatMinisignPublicKeyFile(s.pub) + "more\n").ok());
}

// Interoperability with the reference tool: what we write, `minisign -V` accepts, and what it
// writes, we accept.
class MinisignToolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kMinisign)) {
      GTEST_SKIP() << kMinisign << " is not installed (apt install minisign); interop not tested";
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "rempart-minisign-XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string Write(std::string_view name, std::string_view content) {
    std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }
  std::string Read(std::string_view name) {
    std::ifstream in(dir_ / name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  // Exit status of `minisign <args>`, output discarded. Arguments are ours, single-quoted.
  int Run(const std::vector<std::string>& args) {
    std::string command = kMinisign;
    for (const std::string& arg : args) command += " '" + arg + "'";
    command += " >/dev/null 2>&1 </dev/null";
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::filesystem::path dir_;
};

TEST_F(MinisignToolTest, MinisignAcceptsOurSignatures) {
  Signer s;
  std::string message = "evidence bundle\n\x01\x02 binary too";
  std::string msg = Write("msg", message);
  Write("msg.minisig", s.Sign(message, "timestamp:1700000000\tfile:msg"));
  std::string pubfile = Write("rempart.pub", FormatMinisignPublicKeyFile(s.pub));
  std::string line = FormatMinisignPublicKeyLine(s.pub);

  EXPECT_EQ(Run({"-Vm", msg, "-P", line}), 0);
  EXPECT_EQ(Run({"-Vm", msg, "-p", pubfile}), 0);
  EXPECT_EQ(Run({"-V", "-H", "-m", msg, "-P", line}), 0);  // -H: insist on a prehashed signature

  Write("msg", message + "!");
  EXPECT_NE(Run({"-Vm", msg, "-P", line}), 0);
  EXPECT_NE(Run({"-Vm", msg, "-p", pubfile}), 0);

  Write("msg", message);
  Signer other;
  EXPECT_NE(Run({"-Vm", msg, "-P", FormatMinisignPublicKeyLine(other.pub)}), 0);
}

TEST_F(MinisignToolTest, WeAcceptMinisignSignatures) {
  std::string pub = (dir_ / "k.pub").string();
  std::string sec = (dir_ / "k.key").string();
  ASSERT_EQ(Run({"-G", "-W", "-p", pub, "-s", sec}), 0);
  auto key = ParseMinisignPublicKeyFile(Read("k.pub"));
  ASSERT_TRUE(key.ok()) << key.status().message();

  std::string msg = Write("msg", "signed by the reference tool");
  ASSERT_EQ(Run({"-S", "-s", sec, "-m", msg, "-t", "from minisign"}), 0);
  auto comment = MinisignVerify(*key, Bytes("signed by the reference tool"), Read("msg.minisig"));
  ASSERT_TRUE(comment.ok()) << comment.status().message();
  EXPECT_EQ(*comment, "from minisign");
  EXPECT_FALSE(
      MinisignVerify(*key, Bytes("signed by the reference tooL"), Read("msg.minisig")).ok());

  ASSERT_EQ(Run({"-S", "-l", "-s", sec, "-m", msg, "-x", (dir_ / "legacy.minisig").string(), "-t",
                 "legacy"}),
            0);
  auto legacy = MinisignVerify(*key, Bytes("signed by the reference tool"), Read("legacy.minisig"));
  ASSERT_TRUE(legacy.ok()) << legacy.status().message();
  EXPECT_EQ(*legacy, "legacy");
}

}  // namespace
}  // namespace rempart
