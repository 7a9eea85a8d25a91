#include "evidence/vault.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "store/fault_vfs_for_test.h"
#include "store/sqlite_database.h"

namespace rempart {
namespace {

namespace fs = std::filesystem;

KdfParams FastKdf() {
  auto kdf = KdfProfile("interactive");
  EXPECT_TRUE(kdf.ok());
  return *kdf;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const fs::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string ContentOf(Vault& v, const Entry& e) {
  std::string out;
  EXPECT_TRUE(v.ReadContent(e, [&](std::span<const uint8_t> chunk) {
                 out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
                 return Status::Ok();
               }).ok());
  return out;
}

class VaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rempart-vault-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "vault.db").string();
    ASSERT_TRUE(Vault::Create(path_, pass_, FastKdf()).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Vault> Open() {
    auto v = Vault::Open(path_, pass_);
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? std::move(v).value() : nullptr;
  }

  // Flips one byte inside a column of one row, straight in SQLite, behind the vault's back.
  void Tamper(const std::string& table, const std::string& column, const std::string& where) {
    auto db = SqliteDatabase::Open(path_, {});
    ASSERT_TRUE(db.ok());
    auto rows = (*db)->Query("SELECT " + column + " FROM " + table + " WHERE " + where);
    ASSERT_TRUE(rows.ok());
    ASSERT_FALSE(rows->empty());
    Bytes b = (*rows)[0].Blob(0);
    b[b.size() / 2] ^= 0x40;
    ASSERT_TRUE(
        (*db)->Exec("UPDATE " + table + " SET " + column + " = ? WHERE " + where, {b}).ok());
  }

  fs::path dir_;
  std::string path_;
  SecretBytes pass_{std::string_view("correct horse battery staple")};
};

TEST_F(VaultTest, RefusesToOverwriteAndWrongPassphraseChangesNothing) {
  EXPECT_EQ(Vault::Create(path_, pass_, FastKdf()).code(), Code::kExists);
  std::string before = ReadFile(path_);
  auto v = Vault::Open(path_, SecretBytes(std::string_view("wrong passphrase")));
  EXPECT_EQ(v.status().code(), Code::kWrongPassphrase);
  EXPECT_EQ(ReadFile(path_), before);
  EXPECT_EQ(Vault::Open((dir_ / "none.db").string(), pass_).status().code(), Code::kNoVault);
}

TEST_F(VaultTest, StoresCasesAndEveryKindOfEntry) {
  auto v = Open();
  auto c = v->CreateCase("Blackmail March");
  ASSERT_TRUE(c.ok());
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89",
                  33);
  WriteFile(dir_ / "screenshot.dat", png);  // the name says nothing: the bytes say PNG
  auto file = v->AddFile(c->id, (dir_ / "screenshot.dat").string());
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->mime, "image/png");
  EXPECT_EQ(file->size, png.size());
  EXPECT_EQ(file->sha256, HexOf(Sha256Of(png)));
  EXPECT_EQ(ContentOf(*v, *file), png);

  auto msg = v->AddMessage(c->id, {"Pay 500 or your family sees everything", "+33612345678",
                                   "WhatsApp", "2026-03-14T21:30:00+01:00"});
  ASSERT_TRUE(msg.ok()) << msg.status().message();
  EXPECT_EQ(msg->received_at, "2026-03-14T20:30:00Z");
  auto url = v->AddUrl(c->id, "https://example.org/leak", "2026-03-15 10:00", std::nullopt);
  ASSERT_TRUE(url.ok());
  auto note = v->AddNote(c->id, "Called the helpline.");
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(v->AddNote(c->id, "").status().code(), Code::kInvalidInput);
  EXPECT_EQ(v->AddNote(99, "x").status().code(), Code::kNotFound);

  v.reset();
  v = Open();
  auto cases = v->ListCases();
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].title, "Blackmail March");
  EXPECT_EQ((*cases)[0].entry_count, 4);
  EntryListing listing = v->ListEntries(c->id);
  ASSERT_EQ(listing.entries.size(), 4u);
  EXPECT_TRUE(listing.damaged.empty());
  EXPECT_EQ(listing.entries[1].text, "Pay 500 or your family sees everything");
  EXPECT_EQ(listing.entries[1].sender, "+33612345678");
  EXPECT_EQ(listing.entries[2].url, "https://example.org/leak");
  EXPECT_EQ(listing.entries[3].leaf_index, 3u);
  EXPECT_TRUE(v->Check().ok());
  EXPECT_EQ(v->FindCase("Blackmail March")->id, c->id);
  EXPECT_EQ(v->FindCase("1")->id, c->id);
  EXPECT_EQ(v->FindCase("nope").status().code(), Code::kNotFound);
  // A number names the case with that number, even when another case has it as its title.
  auto titled = v->CreateCase("1");
  ASSERT_TRUE(titled.ok());
  EXPECT_EQ(v->FindCase("1")->id, c->id);
}

TEST_F(VaultTest, LargeFilesStreamInChunksAndComeBackIdentical) {
  auto v = Open();
  auto c = v->CreateCase("video");
  std::string big = RandomBytes((3 << 20) + 12345, 7);  // four chunks, the last partial
  WriteFile(dir_ / "clip.mp4", big);
  auto e = v->AddFile(c->id, (dir_ / "clip.mp4").string());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(ContentOf(*v, *e), big);
  std::string exact = RandomBytes(1 << 20, 8);  // exactly one chunk
  WriteFile(dir_ / "one.bin", exact);
  auto one = v->AddFile(c->id, (dir_ / "one.bin").string());
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(ContentOf(*v, *one), exact);
  WriteFile(dir_ / "empty.bin", "");
  auto empty = v->AddFile(c->id, (dir_ / "empty.bin").string());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(ContentOf(*v, *empty), "");
  EXPECT_TRUE(v->Check().ok());
}

TEST_F(VaultTest, FileRevealsNoPlaintext) {
  auto v = Open();
  auto c = v->CreateCase("Secret case title Quimper");
  WriteFile(dir_ / "holiday-photo-marseille.jpg", "JPEG-ish bytes with a secret: Belleville 42");
  ASSERT_TRUE(v->AddFile(c->id, (dir_ / "holiday-photo-marseille.jpg").string()).ok());
  ASSERT_TRUE(
      v->AddMessage(c->id, {"I know you live at 12 rue Oberkampf", "Mr Dupont", "Telegram", ""})
          .ok());
  ASSERT_TRUE(v->AddUrl(c->id, "https://leaks.example.com/alice-vid", "", std::nullopt).ok());
  v.reset();
  std::string raw = ReadFile(path_) + ReadFile(path_ + "-wal");
  for (const char* secret : {"Quimper", "holiday-photo", "Belleville", "Oberkampf", "Dupont",
                             "Telegram", "leaks.example", "alice-vid"}) {
    EXPECT_EQ(raw.find(secret), std::string::npos) << secret << " is readable in the vault file";
  }
}

TEST_F(VaultTest, ADamagedRecordIsNamedAndTheOthersStillOpen) {
  auto v = Open();
  auto c = v->CreateCase("c");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(v->AddNote(c->id, "note " + std::to_string(i)).ok());
  v.reset();
  Tamper("entries", "sealed", "id = 2");
  v = Open();
  EntryListing listing = v->ListEntries(c->id);
  ASSERT_EQ(listing.entries.size(), 2u);
  EXPECT_EQ(listing.entries[0].text, "note 0");
  EXPECT_EQ(listing.entries[1].text, "note 2");
  ASSERT_EQ(listing.damaged.size(), 1u);
  EXPECT_EQ(listing.damaged[0].what, "entry 2");
  CheckReport report = v->Check();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems[0].what, "entry 2");
}

TEST_F(VaultTest, CheckNamesChangedContentAndRewrittenLog) {
  auto v = Open();
  auto c = v->CreateCase("c");
  WriteFile(dir_ / "a.bin", RandomBytes(5000, 1));
  ASSERT_TRUE(v->AddFile(c->id, (dir_ / "a.bin").string()).ok());
  ASSERT_TRUE(v->AddFile(c->id, (dir_ / "a.bin").string()).ok());
  v.reset();
  Tamper("blob_chunks", "data", "entry_id = 2");
  v = Open();
  CheckReport report = v->Check();
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].what, "entry 2");
  v.reset();
  Tamper("log_leaves", "leaf_hash", "leaf_index = 0");
  v = Open();
  report = v->Check();
  bool named_entry1 = false, named_log = false;
  for (auto& p : report.problems) {
    named_entry1 |= p.what == "entry 1";
    named_log |= p.what == "log";
  }
  EXPECT_TRUE(named_entry1);
  EXPECT_TRUE(named_log);
}

TEST_F(VaultTest, SwappedRecordsDoNotOpen) {
  auto v = Open();
  auto c = v->CreateCase("c");
  ASSERT_TRUE(v->AddNote(c->id, "first").ok());
  ASSERT_TRUE(v->AddNote(c->id, "second").ok());
  v.reset();
  {
    auto db = SqliteDatabase::Open(path_, {});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->ExecScript("UPDATE entries SET sealed = (SELECT sealed FROM entries "
                                 "WHERE id = 1) WHERE id = 2")
                    .ok());
  }
  v = Open();
  EntryListing listing = v->ListEntries(c->id);
  ASSERT_EQ(listing.damaged.size(), 1u);
  EXPECT_EQ(listing.damaged[0].what, "entry 2");
}

TEST_F(VaultTest, PassphraseChangeRewrapsTheKeyOnly) {
  auto v = Open();
  auto c = v->CreateCase("c");
  ASSERT_TRUE(v->AddNote(c->id, "kept").ok());
  SecretBytes fresh(std::string_view("a new passphrase for a new life"));
  ASSERT_TRUE(v->ChangePassphrase(fresh, FastKdf()).ok());
  v.reset();
  EXPECT_EQ(Vault::Open(path_, pass_).status().code(), Code::kWrongPassphrase);
  auto reopened = Vault::Open(path_, fresh);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->ListEntries(c->id).entries[0].text, "kept");
  EXPECT_TRUE((*reopened)->Check().ok());
}

TEST_F(VaultTest, WipeMakesTheVaultUnopenableForEver) {
  {
    auto v = Open();
    ASSERT_TRUE(v->CreateCase("c").ok());
  }
  Bytes wrapped;
  {
    auto db = SqliteDatabase::Open(path_, {});
    ASSERT_TRUE(db.ok());
    auto rows = (*db)->Query("SELECT value FROM meta WHERE key = 'wrapped_key'");
    ASSERT_TRUE(rows.ok());
    wrapped = (*rows)[0].Blob(0);
  }
  ASSERT_TRUE(Vault::Wipe(path_).ok());
  auto v = Vault::Open(path_, pass_);
  EXPECT_EQ(v.status().code(), Code::kWiped);
  // The wrapped key that was in the file is gone from it, and from the WAL.
  std::string raw = ReadFile(path_) + ReadFile(path_ + "-wal");
  EXPECT_EQ(raw.find(std::string(wrapped.begin(), wrapped.end())), std::string::npos);
}

TEST_F(VaultTest, DiskFullLeavesTheVaultIntact) {
  testing::DiskFullVfs vfs("rempart-disk-full");
  VaultOptions options;
  options.sqlite_vfs = vfs.name();
  auto opened = Vault::Open(path_, pass_, options);
  ASSERT_TRUE(opened.ok());
  auto& v = *opened;
  auto c = v->CreateCase("c");
  ASSERT_TRUE(v->AddNote(c->id, "before the disk filled").ok());
  WriteFile(dir_ / "big.bin", RandomBytes(3 << 20, 3));
  vfs.set_budget(1 << 20);  // room for a third of the file
  auto failed = v->AddFile(c->id, (dir_ / "big.bin").string());
  EXPECT_EQ(failed.status().code(), Code::kIo);
  EXPECT_NE(failed.status().message().find("free some disk space"), std::string::npos);
  vfs.set_budget(-1);
  opened->reset();
  auto v2 = Open();
  EntryListing listing = v2->ListEntries(c->id);
  ASSERT_EQ(listing.entries.size(), 1u);
  EXPECT_EQ(listing.entries[0].text, "before the disk filled");
  EXPECT_TRUE(v2->Check().ok());
  EXPECT_TRUE(v2->AddNote(c->id, "after").ok());
  EXPECT_TRUE(v2->Check().ok());
}

}  // namespace
}  // namespace rempart
