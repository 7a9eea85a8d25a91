#include "evidence/bundle_writer.h"

#include <sys/stat.h>
#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "evidence/bundle_reader.h"
#include "evidence/scratch_dir_for_test.h"

namespace rempart {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ScratchDir;
using testing::WriteFile;

constexpr char kManifest[] = R"({"version":1,"entries":[]})";

// Deterministic, poorly compressible bytes: files/ entries stand for photos and videos.
std::vector<uint8_t> Noise(size_t size, uint64_t seed) {
  std::vector<uint8_t> out(size);
  uint64_t x = seed | 1;
  for (size_t i = 0; i < size; i += sizeof x) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::memcpy(out.data() + i, &x, std::min(sizeof x, size - i));
  }
  return out;
}

// Streams `name` and checks it equals `expected`, chunk by chunk, with chunks of bounded size.
void ExpectStreamEquals(BundleReader& reader, const std::string& name,
                        const std::vector<uint8_t>& expected) {
  size_t offset = 0;
  size_t largest_chunk = 0;
  bool same = true;
  const Status status = reader.Stream(name, [&](std::span<const uint8_t> chunk) {
    largest_chunk = std::max(largest_chunk, chunk.size());
    same = same && offset + chunk.size() <= expected.size() &&
           std::memcmp(chunk.data(), expected.data() + offset, chunk.size()) == 0;
    offset += chunk.size();
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(same);
  EXPECT_EQ(offset, expected.size());
  EXPECT_LE(largest_chunk, 64u * 1024);
}

class BundleWriterTest : public ::testing::TestWithParam<const char*> {
 protected:
  std::filesystem::path Target() const { return dir_ / (std::string("case") + GetParam()); }
  ScratchDir dir_;
};

TEST_P(BundleWriterTest, RoundTripsThroughTheReader) {
  const std::vector<uint8_t> video = Noise(50 << 20, 7);  // a 50 MiB "video", streamed both ways
  const std::vector<uint8_t> photo = Noise(12345, 3);
  WriteFile(dir_ / "src/video.mp4", video);
  WriteFile(dir_ / "src/photo.jpg", photo);

  auto writer = BundleWriter::Create(Target());
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  EXPECT_EQ(writer->is_zip(), std::string(GetParam()) == ".zip");
  ASSERT_TRUE(writer->AddBytes("manifest.json", kManifest).ok());
  ASSERT_TRUE(writer->AddFile("files/0001-video.mp4", dir_ / "src/video.mp4").ok());
  ASSERT_TRUE(writer->AddFile("files/0002-photo é.jpg", dir_ / "src/photo.jpg").ok());
  ASSERT_TRUE(writer->AddBytes("empty.txt", std::string_view()).ok());
  EXPECT_FALSE(std::filesystem::exists(Target()));  // nothing under the final name yet
  const Status finished = writer->Finish();
  ASSERT_TRUE(finished.ok()) << finished.message();
  EXPECT_THAT(dir_.List(), ::testing::UnorderedElementsAre("src", Target().filename().string()));

  auto reader = BundleReader::Open(Target());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ(reader->is_zip(), writer->is_zip());
  std::vector<std::pair<std::string, uint64_t>> listed;
  for (const BundleEntry& e : reader->entries()) listed.emplace_back(e.name, e.size);
  EXPECT_THAT(listed,
              ElementsAre(std::pair<std::string, uint64_t>("empty.txt", 0),
                          std::pair<std::string, uint64_t>("files/0001-video.mp4", video.size()),
                          std::pair<std::string, uint64_t>("files/0002-photo é.jpg", photo.size()),
                          std::pair<std::string, uint64_t>("manifest.json", sizeof kManifest - 1)));
  auto manifest = reader->ReadAll("manifest.json");
  ASSERT_TRUE(manifest.ok()) << manifest.status().message();
  EXPECT_EQ(std::string(manifest->begin(), manifest->end()), kManifest);
  ExpectStreamEquals(*reader, "files/0001-video.mp4", video);
  ExpectStreamEquals(*reader, "files/0002-photo é.jpg", photo);
  ExpectStreamEquals(*reader, "empty.txt", {});
  EXPECT_EQ(reader->ReadAll("nope").status().code(), Code::kNotFound);
}

TEST_P(BundleWriterTest, BundleIsPrivateToItsOwner) {
  auto writer = BundleWriter::Create(Target());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->AddBytes("manifest.json", kManifest).ok());
  ASSERT_TRUE(writer->Finish().ok());
  struct stat st;
  ASSERT_EQ(stat(Target().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);
}

TEST_P(BundleWriterTest, UnfinishedWriterLeavesNothing) {
  WriteFile(dir_ / "src/a.jpg", Noise(1000, 1));
  {
    auto writer = BundleWriter::Create(Target());
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->AddBytes("manifest.json", kManifest).ok());
    ASSERT_TRUE(writer->AddFile("files/0001-a.jpg", dir_ / "src/a.jpg").ok());
    EXPECT_EQ(dir_.List().size(), 2u);  // src and the temporary
  }
  EXPECT_THAT(dir_.List(), ElementsAre("src"));
}

TEST_P(BundleWriterTest, RefusesAnExistingTarget) {
  if (std::string(GetParam()) == ".zip") {
    WriteFile(Target(), std::string("not empty"));
  } else {
    WriteFile(Target() / "old.txt", std::string("old"));
  }
  auto writer = BundleWriter::Create(Target());
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), Code::kExists);
  EXPECT_THAT(writer.status().message(), HasSubstr("already exists"));
}

TEST_P(BundleWriterTest, RefusesATargetThatAppearsBeforeFinish) {
  auto writer = BundleWriter::Create(Target());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->AddBytes("manifest.json", kManifest).ok());
  if (std::string(GetParam()) == ".zip") {
    WriteFile(Target(), std::string("someone else's"));
  } else {
    WriteFile(Target() / "x", std::string("someone else's"));
  }
  EXPECT_EQ(writer->Finish().code(), Code::kExists);
  EXPECT_EQ(dir_.List().size(), 1u);  // the intruder only; our temporary is gone
}

TEST_P(BundleWriterTest, ReplacesAnEmptyPlaceholder) {
  if (std::string(GetParam()) == ".zip") {
    WriteFile(Target(), std::string());
  } else {
    std::filesystem::create_directory(Target());
  }
  auto writer = BundleWriter::Create(Target());
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  ASSERT_TRUE(writer->AddBytes("manifest.json", kManifest).ok());
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_TRUE(BundleReader::Open(Target()).ok());
}

TEST_P(BundleWriterTest, RefusesNamesTheReaderWouldRefuse) {
  auto writer = BundleWriter::Create(Target());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->AddBytes("files/a.jpg", "x").ok());
  EXPECT_THAT(writer->AddBytes("../evil", "x").message(), HasSubstr("\"..\""));
  EXPECT_THAT(writer->AddBytes("/abs", "x").message(), HasSubstr("absolute"));
  EXPECT_THAT(writer->AddBytes("a\\b", "x").message(), HasSubstr("backslash"));
  EXPECT_THAT(writer->AddBytes("FILES/A.JPG", "x").message(), HasSubstr("twice"));
  EXPECT_EQ(writer->AddFile("b", dir_ / "missing").code(), Code::kIo);
  EXPECT_EQ(writer->AddFile("c", dir_.path()).code(), Code::kInvalidInput);
}

TEST_P(BundleWriterTest, FinishesOnlyOnceAndNeverEmpty) {
  auto writer = BundleWriter::Create(Target());
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ(writer->Finish().code(), Code::kInvalidInput);
  ASSERT_TRUE(writer->AddBytes("manifest.json", kManifest).ok());
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_FALSE(writer->Finish().ok());
  EXPECT_FALSE(writer->AddBytes("late", "x").ok());
}

// A source that yields `data` in pieces of at most `piece` bytes, then fails if `error` is set.
StreamSource PiecesOf(std::vector<uint8_t> data, size_t piece, Status error = Status::Ok()) {
  auto offset = std::make_shared<size_t>(0);
  return [data = std::move(data), piece, error, offset](std::span<uint8_t> out) -> Result<size_t> {
    const size_t n = std::min({piece, out.size(), data.size() - *offset});
    if (n == 0 && !error.ok()) return error;
    if (n > 0) std::memcpy(out.data(), data.data() + *offset, n);
    *offset += n;
    return n;
  };
}

TEST_P(BundleWriterTest, AddsPulledStreams) {
  const std::vector<uint8_t> content = Noise(3 << 20, 5);
  auto writer = BundleWriter::Create(Target());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->AddStream("files/0001-a.mp4", content.size(), PiecesOf(content, 7777)).ok());
  ASSERT_TRUE(writer->AddStream("files/0002-empty", 0, PiecesOf({}, 1)).ok());
  ASSERT_TRUE(
      writer
          ->AddStream("notes.txt", 5, PiecesOf({'h', 'e', 'l', 'l', 'o'}, 2), Compression::kDeflate)
          .ok());
  const Status finished = writer->Finish();
  ASSERT_TRUE(finished.ok()) << finished.message();
  auto reader = BundleReader::Open(Target());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  ExpectStreamEquals(*reader, "files/0001-a.mp4", content);
  ExpectStreamEquals(*reader, "files/0002-empty", {});
  ExpectStreamEquals(*reader, "notes.txt", {'h', 'e', 'l', 'l', 'o'});
}

TEST_P(BundleWriterTest, StreamFailuresAbortTheBundle) {
  const std::vector<uint8_t> content = Noise(100000, 5);
  for (int mode = 0; mode < 3; ++mode) {
    SCOPED_TRACE(mode);
    auto writer = BundleWriter::Create(Target());
    ASSERT_TRUE(writer.ok());
    Status status;
    if (mode == 0) {  // fewer bytes than announced
      status = writer->AddStream("a", content.size() + 1, PiecesOf(content, 4096));
    } else if (mode == 1) {  // more bytes than announced
      status = writer->AddStream("a", content.size() - 1, PiecesOf(content, 4096));
    } else {  // the source's own error, e.g. vault content that fails its hash
      status = writer->AddStream("a", content.size() + 1,
                                 PiecesOf(content, 4096, Status(Code::kCorrupt, "hash mismatch")));
    }
    if (status.ok()) status = writer->Finish();  // a zip pulls its sources here
    EXPECT_FALSE(status.ok());
    if (mode == 2) {
      EXPECT_EQ(status.code(), Code::kCorrupt);
      EXPECT_EQ(status.message(), "hash mismatch");
    } else {
      EXPECT_THAT(status.message(), HasSubstr("expected"));
    }
    writer = Status(Code::kFailed, "drop the writer");
    EXPECT_THAT(dir_.List(), IsEmpty());
  }
}

INSTANTIATE_TEST_SUITE_P(DirectoryAndZip, BundleWriterTest, ::testing::Values("", ".zip"),
                         [](const auto& info) { return info.param[0] ? "Zip" : "Directory"; });

TEST(BundleZipWriterTest, StoresMediaAndDeflatesText) {
  ScratchDir dir;
  WriteFile(dir / "v.mp4", std::string(100000, 'v'));
  auto writer = BundleWriter::Create(dir / "case.zip");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->AddBytes("manifest.json", std::string(100000, 'm')).ok());
  ASSERT_TRUE(writer->AddFile("files/0001-v.mp4", dir / "v.mp4").ok());
  ASSERT_TRUE(writer->Finish().ok());

  int err = 0;
  zip_t* za = zip_open((dir / "case.zip").c_str(), ZIP_RDONLY, &err);
  ASSERT_NE(za, nullptr);
  zip_stat_t st;
  ASSERT_EQ(zip_stat(za, "manifest.json", 0, &st), 0);
  EXPECT_EQ(st.comp_method, ZIP_CM_DEFLATE);
  ASSERT_EQ(zip_stat(za, "files/0001-v.mp4", 0, &st), 0);
  EXPECT_EQ(st.comp_method, ZIP_CM_STORE);
  zip_uint8_t opsys = 0;
  zip_uint32_t attributes = 0;
  ASSERT_EQ(zip_file_get_external_attributes(za, st.index, 0, &opsys, &attributes), 0);
  EXPECT_EQ(opsys, ZIP_OPSYS_UNIX);
  EXPECT_EQ(attributes >> 16, S_IFREG | 0600u);
  zip_discard(za);
}

TEST(BundleZipWriterTest, ManyEntriesUseZip64EndRecords) {
  // Over 65535 entries needs the zip64 end of central directory, which the reader parses itself.
  ScratchDir dir;
  auto writer = BundleWriter::Create(dir / "many.zip");
  ASSERT_TRUE(writer.ok());
  constexpr int kCount = 66000;
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(writer->AddBytes("files/" + std::to_string(i), "x", Compression::kStore).ok());
  }
  ASSERT_TRUE(writer->Finish().ok());
  std::ifstream in(dir / "many.zip", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_NE(bytes.find("PK\x06\x06", bytes.size() - 200), std::string::npos);
  auto reader = BundleReader::Open(dir / "many.zip");
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ(reader->entries().size(), static_cast<size_t>(kCount));
  EXPECT_TRUE(reader->form().ok()) << reader->form().message();
  auto last = reader->ReadAll("files/65999");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(std::string(last->begin(), last->end()), "x");
}

// Over 4 GiB: needs ~10 GB of disk and minutes, so only with REMPART_LARGE_TESTS=1.
TEST(BundleZipWriterTest, Zip64FileOverFourGiB) {
  if (std::getenv("REMPART_LARGE_TESTS") == nullptr) GTEST_SKIP() << "set REMPART_LARGE_TESTS=1";
  ScratchDir dir;
  constexpr uint64_t kSize = (4ull << 30) + 12345;
  {
    std::ofstream out(dir / "big.mp4", std::ios::binary);
    const std::vector<uint8_t> block = Noise(1 << 20, 9);
    for (uint64_t done = 0; done < kSize; done += block.size()) {
      out.write(reinterpret_cast<const char*>(block.data()),
                static_cast<std::streamsize>(std::min<uint64_t>(block.size(), kSize - done)));
    }
  }
  auto writer = BundleWriter::Create(dir / "big.zip");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->AddFile("files/0001-big.mp4", dir / "big.mp4").ok());
  ASSERT_TRUE(writer->AddBytes("manifest.json", kManifest).ok());
  const Status finished = writer->Finish();
  ASSERT_TRUE(finished.ok()) << finished.message();
  std::filesystem::remove(dir / "big.mp4");
  auto reader = BundleReader::Open(dir / "big.zip");
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  ASSERT_NE(reader->Find("files/0001-big.mp4"), nullptr);
  EXPECT_EQ(reader->Find("files/0001-big.mp4")->size, kSize);
  EXPECT_TRUE(reader->form().ok()) << reader->form().message();  // zip64 canonical form
  uint64_t total = 0;
  const Status streamed = reader->Stream("files/0001-big.mp4", [&](std::span<const uint8_t> c) {
    total += c.size();
    return Status::Ok();
  });
  EXPECT_TRUE(streamed.ok()) << streamed.message();
  EXPECT_EQ(total, kSize);
  EXPECT_TRUE(reader->ReadAll("manifest.json").ok());
}

}  // namespace
}  // namespace rempart
