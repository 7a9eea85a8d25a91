// Hostile bundles: each must be refused with a clear kInvalidInput naming the problem.
#include "evidence/bundle_reader.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "evidence/bundle_writer.h"
#include "evidence/raw_zip_for_test.h"
#include "evidence/scratch_dir_for_test.h"

namespace rempart {
namespace {

using ::testing::AllOf;
using testing::BuildRawZip;
using ::testing::HasSubstr;
using testing::RawEntry;
using testing::ScratchDir;
using testing::Stored;
using testing::WriteFile;

Status OpenStatus(const std::vector<uint8_t>& zip, const BundleLimits& limits = {}) {
  return BundleReader::OpenZipBytes(zip, limits).status();
}

// Streams every entry and returns the first failure.
Status StreamAll(BundleReader& reader) {
  for (const BundleEntry& e : reader.entries()) {
    REMPART_RETURN_IF_ERROR(
        reader.Stream(e.name, [](std::span<const uint8_t>) { return Status::Ok(); }));
  }
  return Status::Ok();
}

#define EXPECT_REFUSED(status, ...)                            \
  do {                                                         \
    const Status _s = (status);                                \
    EXPECT_EQ(_s.code(), Code::kInvalidInput) << _s.message(); \
    EXPECT_THAT(_s.message(), AllOf(__VA_ARGS__));             \
  } while (0)

TEST(BundleReaderZipTest, AcceptsAWellFormedRawZip) {
  auto reader = BundleReader::OpenZipBytes(
      BuildRawZip({Stored("manifest.json", "{}"), Stored("files/0001-a.txt", "hello")}));
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  ASSERT_EQ(reader->entries().size(), 2u);
  auto bytes = reader->ReadAll("files/0001-a.txt");
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()), "hello");
}

TEST(BundleReaderZipTest, RefusesHostileNames) {
  const std::pair<std::string, const char*> cases[] = {
      {"../evil", "\"..\""},
      {"files/../../evil", "\"..\""},
      {"/abs", "absolute"},
      {"a\\b", "backslash"},
      {"..\\..\\evil", "backslash"},
      {"C:evil", "colon"},
      {std::string("a\0b", 3), "NUL"},
      {"a\x1b]0;pwned\x07", "control character"},
      {"\xff", "UTF-8"},
      {"", "empty name"},
  };
  for (const auto& [name, problem] : cases) {
    EXPECT_REFUSED(OpenStatus(BuildRawZip({Stored("manifest.json", "{}"), Stored(name, "x")})),
                   HasSubstr(problem), HasSubstr("bundle entry"));
  }
}

TEST(BundleReaderZipTest, ErrorMessagesAreSafeToPrint) {
  const Status status = OpenStatus(BuildRawZip({Stored("a\x1b[2J\n", "x")}));
  EXPECT_THAT(status.message(), HasSubstr("a\\x1b[2J\\x0a"));
  EXPECT_EQ(status.message().find('\x1b'), std::string::npos);
}

TEST(BundleReaderZipTest, RefusesDuplicateNames) {
  EXPECT_REFUSED(OpenStatus(BuildRawZip({Stored("a.txt", "1"), Stored("a.txt", "2")})),
                 HasSubstr("a.txt"), HasSubstr("twice"));
  EXPECT_REFUSED(OpenStatus(BuildRawZip({Stored("files/A.txt", "1"), Stored("files/a.TXT", "2")})),
                 HasSubstr("a.TXT"), HasSubstr("twice"));
  EXPECT_REFUSED(OpenStatus(BuildRawZip({Stored("a", "1"), Stored("a/b", "2")})),
                 HasSubstr("also a file"));
}

TEST(BundleReaderZipTest, RefusesSymlinksAndSpecialFiles) {
  RawEntry link = Stored("files/passwd", "/etc/passwd");
  link.external_attributes = (S_IFLNK | 0777u) << 16;
  EXPECT_REFUSED(OpenStatus(BuildRawZip({link})), HasSubstr("files/passwd"),
                 HasSubstr("symbolic link"));
  RawEntry fifo = Stored("fifo", "");
  fifo.external_attributes = (S_IFIFO | 0644u) << 16;
  EXPECT_REFUSED(OpenStatus(BuildRawZip({fifo})), HasSubstr("special file"));
  RawEntry dir_without_slash = Stored("d", "");
  dir_without_slash.external_attributes = (S_IFDIR | 0755u) << 16;
  EXPECT_REFUSED(OpenStatus(BuildRawZip({dir_without_slash})), HasSubstr("directory"));
  // The same bits from a DOS host mean nothing and are ignored.
  link.made_by = 20;
  EXPECT_TRUE(OpenStatus(BuildRawZip({link})).ok());
}

TEST(BundleReaderZipTest, AcceptsDirectoryEntries) {
  RawEntry dir = Stored("files/", "");
  dir.external_attributes = (S_IFDIR | 0755u) << 16;
  auto reader = BundleReader::OpenZipBytes(BuildRawZip({dir, Stored("files/a", "x")}));
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  ASSERT_EQ(reader->entries().size(), 1u);  // directories are not listed
  RawEntry full_dir = Stored("files/", "data");
  EXPECT_REFUSED(OpenStatus(BuildRawZip({full_dir})), HasSubstr("holds data"));
  EXPECT_REFUSED(OpenStatus(BuildRawZip({dir, Stored("files", "x")})),
                 HasSubstr("both a file and a directory"));
}

TEST(BundleReaderZipTest, RefusesEncryptedEntries) {
  RawEntry secret = Stored("secret.txt", "xxxxxxxxxxxxxxxx");
  secret.flags = 1;
  EXPECT_REFUSED(OpenStatus(BuildRawZip({secret})), HasSubstr("secret.txt"),
                 HasSubstr("encrypted"));
  RawEntry aes = Stored("aes.txt", "xxxxxxxxxxxxxxxx");
  aes.method = 99;
  EXPECT_REFUSED(OpenStatus(BuildRawZip({aes})), HasSubstr("encrypted"));
}

TEST(BundleReaderZipTest, RefusesUnsupportedCompression) {
  RawEntry bzip2 = Stored("a.txt", "BZh91AY&SY");
  bzip2.method = 12;
  bzip2.size = 100;
  EXPECT_REFUSED(OpenStatus(BuildRawZip({bzip2})), HasSubstr("a.txt"),
                 HasSubstr("compression method 12"));
}

TEST(BundleReaderZipTest, RefusesTooManyEntries) {
  std::vector<RawEntry> entries;
  for (int i = 0; i < 11; ++i) entries.push_back(Stored("f" + std::to_string(i), "x"));
  BundleLimits limits;
  limits.max_entries = 10;
  EXPECT_REFUSED(OpenStatus(BuildRawZip(entries), limits), HasSubstr("11 entries"),
                 HasSubstr("more than the 10 allowed"));
  limits.max_entries = 11;
  EXPECT_TRUE(OpenStatus(BuildRawZip(entries), limits).ok());
}

TEST(BundleReaderZipTest, RefusesDeepNames) {
  BundleLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(OpenStatus(BuildRawZip({Stored("1/2/3/f", "x")}), limits).ok());
  EXPECT_REFUSED(OpenStatus(BuildRawZip({Stored("1/2/3/4/f", "x")}), limits),
                 HasSubstr("1/2/3/4/f"), HasSubstr("nested too deeply"));
}

TEST(BundleReaderZipTest, RefusesALyingEntryCount) {
  // 60000 declared, 1 present: the count is checked against the directory's size before any
  // table is sized from it.
  EXPECT_REFUSED(OpenStatus(BuildRawZip({Stored("a", "x")}, 60000)), HasSubstr("too small"));
  EXPECT_REFUSED(OpenStatus(BuildRawZip({Stored("a", "x"), Stored("b", "y")}, 1)),
                 HasSubstr("trailing bytes"));
}

TEST(BundleReaderZipTest, RefusesDeclaredSizesBeyondTheLimits) {
  BundleLimits limits;
  limits.max_entry_size = 1000;
  limits.max_total_size = 1500;
  EXPECT_REFUSED(OpenStatus(BuildRawZip({Stored("big", std::string(1001, 'x'))}), limits),
                 HasSubstr("big"), HasSubstr("allowed for one file"));
  EXPECT_REFUSED(OpenStatus(BuildRawZip({Stored("a", std::string(1000, 'x')),
                                         Stored("b", std::string(600, 'x'))}),
                            limits),
                 HasSubstr("\"b\""), HasSubstr("in total"));
}

TEST(BundleReaderZipTest, RefusesAStoredEntryWithTwoSizes) {
  RawEntry e = Stored("a", "xyz");
  e.size = 1000;
  EXPECT_REFUSED(OpenStatus(BuildRawZip({e})), HasSubstr("two different sizes"));
}

class ZipBombTest : public ::testing::Test {
 protected:
  std::vector<uint8_t> DeflatedZeros(size_t size) {
    return testing::Deflate(std::vector<uint8_t>(size, 0), (dir_ / "scratch.zip").string());
  }
  ScratchDir dir_;
};

// A real bomb: 1 GiB of zeros, honestly declared, about 1 MiB compressed.
TEST_F(ZipBombTest, RefusesAnHonestRatioUpFront) {
  constexpr uint64_t kSize = 1ull << 30;
  std::vector<uint8_t> zeros(1 << 20, 0);
  // Built through libzip from a generator, so the gigabyte never sits in memory.
  struct Generator {
    uint64_t left;
    std::vector<uint8_t>* zeros;
  } generator{kSize, &zeros};
  const auto callback = [](void* state, void* data, zip_uint64_t len,
                           zip_source_cmd_t cmd) -> zip_int64_t {
    auto* g = static_cast<Generator*>(state);
    switch (cmd) {
      case ZIP_SOURCE_OPEN:
      case ZIP_SOURCE_CLOSE:
      case ZIP_SOURCE_FREE:
        return 0;
      case ZIP_SOURCE_READ: {
        const uint64_t n = std::min<uint64_t>({len, g->left, g->zeros->size()});
        std::memcpy(data, g->zeros->data(), n);
        g->left -= n;
        return static_cast<zip_int64_t>(n);
      }
      case ZIP_SOURCE_STAT: {
        auto* st = static_cast<zip_stat_t*>(data);
        zip_stat_init(st);
        st->size = kSize;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(zip_stat_t);
      }
      case ZIP_SOURCE_ERROR:
        return 2 * sizeof(int);
      case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
      default:
        return -1;
    }
  };
  const std::string path = (dir_ / "bomb.zip").string();
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_CREATE | ZIP_EXCL, &err);
  ASSERT_NE(za, nullptr);
  zip_source_t* src = zip_source_function(za, callback, &generator);
  ASSERT_NE(src, nullptr);
  ASSERT_GE(zip_file_add(za, "files/0001-zeros.bin", src, 0), 0);
  ASSERT_EQ(zip_set_file_compression(za, 0, ZIP_CM_DEFLATE, 9), 0);
  ASSERT_EQ(zip_close(za), 0) << zip_strerror(za);
  EXPECT_LT(std::filesystem::file_size(path), 2u << 20);

  EXPECT_REFUSED(BundleReader::Open(path).status(), HasSubstr("files/0001-zeros.bin"),
                 HasSubstr("zip bomb"));
}

// A small entry whose header lies about its size: Stream stops at the declared size.
TEST_F(ZipBombTest, StopsWhenInflatedBytesExceedTheDeclaredSize) {
  RawEntry liar;
  liar.name = "files/0001-liar.bin";
  liar.method = 8;
  liar.data = DeflatedZeros(10 << 20);
  ASSERT_FALSE(liar.data.empty());
  liar.size = 1000;
  liar.crc = 0;
  const std::vector<uint8_t> zip = BuildRawZip({liar});
  auto reader = BundleReader::OpenZipBytes(zip);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  uint64_t delivered = 0;
  const Status status = reader->Stream(liar.name, [&](std::span<const uint8_t> chunk) {
    delivered += chunk.size();
    return Status::Ok();
  });
  EXPECT_REFUSED(status, HasSubstr(liar.name), HasSubstr("more than its declared 1000 bytes"));
  EXPECT_LE(delivered, 1000u);
}

TEST_F(ZipBombTest, RefusesOverlappingEntries) {
  // The "better zip bomb": the data of "a" contains the local header and data of "b", so the
  // same bytes are counted twice. Repeated, this turns kilobytes into gigabytes.
  RawEntry b = Stored("b", "kernel");
  std::vector<uint8_t> inner = testing::LocalHeader(b);
  inner.insert(inner.end(), b.data.begin(), b.data.end());
  RawEntry a;
  a.name = "a";
  a.data = inner;
  b.local_offset = 30 + 1;  // right after a's local header, inside a's data
  EXPECT_REFUSED(OpenStatus(BuildRawZip({a, b})), HasSubstr("share the same bytes"));
  // Two records pointing at one local header.
  RawEntry c = Stored("c", "x");
  RawEntry c2 = c;
  c2.local_offset = 0;
  EXPECT_REFUSED(OpenStatus(BuildRawZip({c, c2})), HasSubstr("same bytes"));
}

TEST_F(ZipBombTest, RefusesABadChecksum) {
  RawEntry e = Stored("files/a.txt", "hello world");
  e.crc = 1234;
  auto reader = BundleReader::OpenZipBytes(BuildRawZip({e}));
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_REFUSED(StreamAll(*reader), HasSubstr("files/a.txt"), HasSubstr("checksum"));
}

TEST_F(ZipBombTest, RefusesDeflatedDataShorterThanDeclared) {
  RawEntry e;
  e.name = "short";
  e.method = 8;
  e.data = DeflatedZeros(100);
  e.size = 200;
  auto reader = BundleReader::OpenZipBytes(BuildRawZip({e}));
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  const Status status = StreamAll(*reader);
  EXPECT_EQ(status.code(), Code::kInvalidInput);
  EXPECT_THAT(status.message(), HasSubstr("short"));
}

TEST(BundleReaderZipTest, RefusesGarbageAndTruncatedArchives) {
  EXPECT_REFUSED(OpenStatus({}), HasSubstr("too short"));
  std::vector<uint8_t> garbage(100000);
  uint32_t x = 12345;
  for (uint8_t& b : garbage) b = static_cast<uint8_t>((x = x * 1103515245 + 12345) >> 16);
  EXPECT_REFUSED(OpenStatus(garbage), HasSubstr("not a usable zip"));

  ScratchDir dir;
  auto writer = BundleWriter::Create(dir / "case.zip");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->AddBytes("manifest.json", std::string(5000, 'm')).ok());
  ASSERT_TRUE(writer->AddBytes("files/0001-a", std::string(5000, 'q'), Compression::kStore).ok());
  ASSERT_TRUE(writer->Finish().ok());
  std::ifstream in(dir / "case.zip", std::ios::binary);
  std::vector<uint8_t> zip((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_TRUE(OpenStatus(zip).ok());
  for (size_t cut : {zip.size() - 1, zip.size() - 30, zip.size() / 2, size_t{100}}) {
    const std::vector<uint8_t> truncated(zip.begin(), zip.begin() + cut);
    SCOPED_TRACE(cut);
    EXPECT_REFUSED(OpenStatus(truncated), HasSubstr("not a usable zip"));
    WriteFile(dir / "cut.zip", truncated);
    EXPECT_REFUSED(BundleReader::Open(dir / "cut.zip").status(), HasSubstr("not a usable zip"));
  }
  // A flipped byte inside the stored data passes Open but fails the checksum when streamed.
  std::vector<uint8_t> flipped = zip;
  const std::string run(100, 'q');
  const auto pos = std::search(flipped.begin(), flipped.end(), run.begin(), run.end());
  ASSERT_NE(pos, flipped.end());
  *pos = 'b';
  auto reader = BundleReader::OpenZipBytes(flipped);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_REFUSED(StreamAll(*reader), HasSubstr("checksum"));
}

TEST(BundleReaderZipTest, ReadAllRefusesAnOversizedManifest) {
  const std::vector<uint8_t> zip =
      BuildRawZip({Stored("manifest.json", std::string(2 << 20, ' '))});
  auto reader = BundleReader::OpenZipBytes(zip);
  ASSERT_TRUE(reader.ok());
  auto manifest = reader->ReadAll("manifest.json", 1 << 20);
  EXPECT_REFUSED(manifest.status(), HasSubstr("manifest.json"), HasSubstr("more than the 1048576"));
}

TEST(BundleReaderZipTest, SinkErrorsStopTheStream) {
  auto reader = BundleReader::OpenZipBytes(BuildRawZip({Stored("a", std::string(200000, 'x'))}));
  ASSERT_TRUE(reader.ok());
  int calls = 0;
  const Status status = reader->Stream("a", [&](std::span<const uint8_t>) {
    ++calls;
    return Status(Code::kVerifyFailed, "hash mismatch");
  });
  EXPECT_EQ(status.code(), Code::kVerifyFailed);
  EXPECT_EQ(calls, 1);
}

class BundleReaderDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_ / "b/manifest.json", std::string("{}"));
    WriteFile(dir_ / "b/files/0001-a.jpg", std::string("jpeg"));
  }
  std::filesystem::path Bundle() const { return dir_ / "b"; }
  ScratchDir dir_;
};

TEST_F(BundleReaderDirectoryTest, ReadsAPlainDirectory) {
  auto reader = BundleReader::Open(Bundle());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_FALSE(reader->is_zip());
  ASSERT_EQ(reader->entries().size(), 2u);
  EXPECT_EQ(reader->entries()[0].name, "files/0001-a.jpg");
  auto bytes = reader->ReadAll("files/0001-a.jpg");
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()), "jpeg");
}

TEST_F(BundleReaderDirectoryTest, RefusesASymlinkToEtcPasswd) {
  ASSERT_EQ(symlink("/etc/passwd", (Bundle() / "files/0002-passwd").c_str()), 0);
  EXPECT_REFUSED(BundleReader::Open(Bundle()).status(), HasSubstr("files/0002-passwd"),
                 HasSubstr("symbolic link"));
}

TEST_F(BundleReaderDirectoryTest, RefusesASymlinkedDirectory) {
  ASSERT_EQ(symlink("/etc", (Bundle() / "etc").c_str()), 0);
  EXPECT_REFUSED(BundleReader::Open(Bundle()).status(), HasSubstr("\"etc\""),
                 HasSubstr("symbolic link"));
}

TEST_F(BundleReaderDirectoryTest, RefusesALinkSwappedInAfterOpen) {
  auto reader = BundleReader::Open(Bundle());
  ASSERT_TRUE(reader.ok());
  std::filesystem::remove(Bundle() / "files/0001-a.jpg");
  ASSERT_EQ(symlink("/etc/passwd", (Bundle() / "files/0001-a.jpg").c_str()), 0);
  EXPECT_REFUSED(reader->ReadAll("files/0001-a.jpg").status(), HasSubstr("symbolic link"));
  std::filesystem::remove(Bundle() / "files/0001-a.jpg");
  std::filesystem::remove(Bundle() / "files");
  ASSERT_EQ(symlink("/etc", (Bundle() / "files").c_str()), 0);
  EXPECT_REFUSED(reader->ReadAll("files/0001-a.jpg").status(), HasSubstr("symbolic link"));
}

TEST_F(BundleReaderDirectoryTest, RefusesSpecialFiles) {
  ASSERT_EQ(mkfifo((Bundle() / "files/pipe").c_str(), 0600), 0);
  EXPECT_REFUSED(BundleReader::Open(Bundle()).status(), HasSubstr("files/pipe"),
                 HasSubstr("special file"));
}

TEST_F(BundleReaderDirectoryTest, RefusesHostileFileNames) {
  WriteFile(Bundle() / "files/a\\b", std::string("x"));
  EXPECT_REFUSED(BundleReader::Open(Bundle()).status(), HasSubstr("backslash"));
  std::filesystem::remove(Bundle() / "files/a\\b");
  WriteFile(Bundle() / "files/a\nb", std::string("x"));
  EXPECT_REFUSED(BundleReader::Open(Bundle()).status(), HasSubstr("control character"));
  std::filesystem::remove(Bundle() / "files/a\nb");
  WriteFile(Bundle() / "FILES/0001-A.JPG", std::string("x"));
  EXPECT_REFUSED(BundleReader::Open(Bundle()).status(), HasSubstr("twice"));
}

TEST_F(BundleReaderDirectoryTest, RefusesTooManyEntriesAndTooDeep) {
  BundleLimits limits;
  limits.max_entries = 2;  // manifest.json, files, files/0001-a.jpg: three
  EXPECT_REFUSED(BundleReader::Open(Bundle(), limits).status(), HasSubstr("more than 2"));
  limits = {};
  limits.max_depth = 3;
  WriteFile(Bundle() / "1/2/3/4/deep", std::string("x"));
  EXPECT_REFUSED(BundleReader::Open(Bundle(), limits).status(), HasSubstr("1/2/3/4"),
                 HasSubstr("nested too deeply"));
}

TEST_F(BundleReaderDirectoryTest, RefusesSizesBeyondTheLimits) {
  BundleLimits limits;
  limits.max_total_size = 3;
  EXPECT_REFUSED(BundleReader::Open(Bundle(), limits).status(), HasSubstr("in total"));
  auto reader = BundleReader::Open(Bundle());
  ASSERT_TRUE(reader.ok());
  EXPECT_REFUSED(reader->ReadAll("manifest.json", 1).status(), HasSubstr("manifest.json"),
                 HasSubstr("more than the 1 bytes"));
}

TEST_F(BundleReaderDirectoryTest, NoticesAFileThatGrowsAfterOpen) {
  auto reader = BundleReader::Open(Bundle());
  ASSERT_TRUE(reader.ok());
  WriteFile(Bundle() / "manifest.json", std::string(1000, 'x'));
  EXPECT_REFUSED(reader->ReadAll("manifest.json").status(), HasSubstr("grew"));
}

TEST(BundleReaderOpenTest, ExplainsAMissingOrOddPath) {
  EXPECT_EQ(BundleReader::Open("/nonexistent/bundle.zip").status().code(), Code::kNotFound);
  EXPECT_EQ(BundleReader::Open("/dev/null").status().code(), Code::kInvalidInput);
}

}  // namespace
}  // namespace rempart
