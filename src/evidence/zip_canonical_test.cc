// Every byte of a zip bundle counts: flipping any header byte (or a sample of content bytes) of
// a real export makes `verify` fail, and a header change is reported as such.
#include "evidence/zip_canonical.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/i18n.h"
#include "evidence/bundle_export.h"
#include "evidence/bundle_verify.h"
#include "evidence/vault.h"

namespace rempart {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> ReadBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void WriteBytes(const fs::path& p, const std::vector<uint8_t>& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

class ZipCanonicalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rempart-zip-canonical-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const std::string vault_path = (dir_ / "vault.db").string();
    SecretBytes pass{std::string_view("correct horse battery staple")};
    auto kdf = KdfProfile("interactive");
    ASSERT_TRUE(kdf.ok());
    ASSERT_TRUE(Vault::Create(vault_path, pass, *kdf).ok());
    auto vault = Vault::Open(vault_path, pass);
    ASSERT_TRUE(vault.ok());
    auto c = (*vault)->CreateCase("Threats");
    ASSERT_TRUE(c.ok());
    std::ofstream(dir_ / "chat.txt") << "Pay or I send the photos to your family.\n";
    ASSERT_TRUE((*vault)->AddFile(c->id, (dir_ / "chat.txt").string()).ok());
    ASSERT_TRUE((*vault)->AddNote(c->id, "Reported to the platform.").ok());
    bundle_ = dir_ / "bundle.zip";
    auto exported = ExportCase(**vault, *c, bundle_.string(), Translator::ForLanguage("en"));
    ASSERT_TRUE(exported.ok()) << exported.status().message();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  fs::path bundle_;
};

TEST_F(ZipCanonicalTest, ExportIsCanonicalAndVerifies) {
  auto bytes = ReadBytes(bundle_);
  auto layout = ReadZipLayout(MemoryByteReader(bytes), {});
  ASSERT_TRUE(layout.ok()) << layout.status().message();
  EXPECT_TRUE(CheckCanonicalZip(*layout).ok()) << CheckCanonicalZip(*layout).message();
  auto report = VerifyBundle(bundle_.string(), {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

TEST_F(ZipCanonicalTest, EveryHeaderByteAndSampledContentBytesAreCovered) {
  const auto original = ReadBytes(bundle_);
  auto layout = ReadZipLayout(MemoryByteReader(original), {});
  ASSERT_TRUE(layout.ok());
  std::vector<bool> content(original.size(), false);
  for (const ZipLayoutEntry& e : layout->entries) {
    for (uint64_t i = e.data_end - e.compressed_size; i < e.data_end; ++i) content[i] = true;
  }
  std::vector<size_t> positions;
  std::vector<size_t> content_positions;
  for (size_t i = 0; i < original.size(); ++i) {
    (content[i] ? content_positions : positions).push_back(i);
  }
  std::mt19937 rng(7);
  std::shuffle(content_positions.begin(), content_positions.end(), rng);
  content_positions.resize(std::min<size_t>(content_positions.size(), 100));
  positions.insert(positions.end(), content_positions.begin(), content_positions.end());

  const fs::path flipped = dir_ / "flipped.zip";
  size_t header_reports = 0;
  for (size_t at : positions) {
    auto bytes = original;
    bytes[at] ^= 0x01;
    WriteBytes(flipped, bytes);
    auto report = VerifyBundle(flipped.string(), {});
    // Either the bundle does not open at all, or verification lists what changed.
    EXPECT_TRUE(!report.ok() || !report->ok()) << "flip at byte " << at << " went unnoticed";
    if (report.ok() && !report->ok() &&
        report->problems[0].msgid().find("zip header field") != std::string::npos) {
      ++header_reports;
    }
  }
  EXPECT_GT(header_reports, 0u);
}

}  // namespace
}  // namespace rempart
