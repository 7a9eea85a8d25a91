#include "evidence/report_pdf.h"

#include <gtest/gtest.h>
#include <turbojpeg.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

// fontconfig leaks its parsed configuration once per process; not ours to fix.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace rempart {
namespace {

namespace fs = std::filesystem;

const char* const kKey = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3";
const char* const kHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const char* const kThreat =
    "Si tu ne paies pas 500 €, j'envoie tes photos à ta famille. Réponds vite 😡🔥";

std::vector<uint8_t> MakeJpeg(int width, int height) {
  std::vector<uint8_t> rgb(static_cast<size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &rgb[(static_cast<size_t>(y) * width + x) * 3];
      p[0] = static_cast<uint8_t>(255 * x / width);
      p[1] = static_cast<uint8_t>(255 * y / height);
      p[2] = (x / 40 + y / 40) % 2 ? 200 : 60;
    }
  }
  tjhandle tj = tjInitCompress();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  EXPECT_EQ(tjCompress2(tj, rgb.data(), width, 0, height, TJPF_RGB, &out, &size, TJSAMP_420, 90, 0),
            0);
  std::vector<uint8_t> jpeg(out, out + size);
  tjFree(out);
  tjDestroy(tj);
  return jpeg;
}

ReportEntry MakeEntry(int64_t id, EntryKind kind, std::string captured_at) {
  ReportEntry e;
  e.entry.id = id;
  e.entry.kind = kind;
  e.entry.captured_at = std::move(captured_at);
  e.entry.sha256 = kHash;
  return e;
}

ReportInput SampleInput() {
  ReportInput input;
  input.case_title = "Harcèlement — annonce Éloïse, mars 2024";
  input.case_created_at = "2024-03-01T09:00:00Z";
  input.exported_at = "2024-03-20T18:45:10Z";
  input.public_key = kKey;
  input.key_id = "E7620F1842B4E81F";
  input.tree_size = 42;
  input.tree_root_hex = "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9";
  input.tree_timestamp = "2024-03-20T18:45:00Z";

  ReportEntry photo = MakeEntry(2, EntryKind::kFile, "2024-03-12T13:03:05Z");
  photo.entry.name = "capture d'écran.jpg";
  photo.entry.mime = "image/jpeg";
  photo.entry.size = 123456;
  photo.bundle_path = "files/0002-capture-d-ecran.jpg";
  photo.image = MakeJpeg(640, 480);
  photo.entry.ocr_text = "Je sais où tu habites";

  ReportEntry message = MakeEntry(1, EntryKind::kMessage, "2024-03-10T21:30:00Z");
  message.entry.sender = "+33 6 12 34 56 78";
  message.entry.platform = "WhatsApp";
  message.entry.received_at = "2024-03-10T21:29:12Z";
  message.entry.text = kThreat;
  message.bundle_path = "files/0001-message.txt";

  ReportEntry url = MakeEntry(3, EntryKind::kUrl, "2024-03-15T08:00:00Z");
  url.entry.url = "https://example.com/forum/thread?id=123456789&leak=true";
  url.entry.seen_at = "2024-03-15T07:55:00Z";

  ReportEntry note = MakeEntry(4, EntryKind::kNote, "2024-03-16T10:00:00Z");
  note.entry.text = "Appel anonyme à 3 h du matin, voix masculine. <b>Pas de numéro</b> & rien.";

  input.entries = {photo, message, url, note};  // not in time order on purpose
  return input;
}

class ReportPdfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1")) {
      GTEST_SKIP() << "poppler-utils (pdftotext, pdfinfo) not installed";
    }
    dir_ = fs::temp_directory_path() /
           ("rempart-report-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  // Renders to a file and returns its path.
  fs::path Render(const ReportInput& input, const Translator& t) {
    auto pdf = RenderReportPdf(input, t);
    EXPECT_TRUE(pdf.ok()) << pdf.status().message();
    fs::path path = dir_ / "report.pdf";
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(pdf->data()),
               static_cast<std::streamsize>(pdf->size()));
    // REMPART_KEEP_REPORTS=DIR keeps each test's report there, to look at it.
    if (const char* keep = std::getenv("REMPART_KEEP_REPORTS"); keep && *keep) {
      const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
      fs::copy_file(path, fs::path(keep) / (name + ".pdf"), fs::copy_options::overwrite_existing);
    }
    return path;
  }

  static std::string Run(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return out;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    pclose(pipe);
    return out;
  }

  // The PDF's text with every run of white space made a single space.
  static std::string Text(const fs::path& pdf) {
    std::string raw = Run("pdftotext -enc UTF-8 '" + pdf.string() + "' -"), text;
    for (char c : raw) {
      const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r';
      if (!space)
        text += c;
      else if (!text.empty() && text.back() != ' ')
        text += ' ';
    }
    return text;
  }

  static int PageCount(const fs::path& pdf) {
    std::string info = Run("pdfinfo '" + pdf.string() + "'");
    auto pos = info.find("Pages:");
    return pos == std::string::npos ? -1 : std::stoi(info.substr(pos + 6));
  }

  fs::path dir_;
};

TEST_F(ReportPdfTest, ShowsCaseEntriesHashesTextsAndHowToVerify) {
  const Translator t = Translator::ForLanguage("en");
  const fs::path pdf = Render(SampleInput(), t);
  const std::string text = Text(pdf);
  for (const std::string& expected :
       {t.tr("Evidence report"), std::string("Harcèlement — annonce Éloïse, mars 2024"),
        std::string(kHash), std::string("j'envoie tes photos à ta famille"),
        std::string("+33 6 12 34 56 78"), std::string("WhatsApp"),
        std::string("files/0002-capture-d-ecran.jpg"), std::string("capture d'écran.jpg"),
        std::string("Je sais où tu habites"), std::string("<b>Pas de numéro</"),
        std::string("& rien."),
        std::string("https://example.com/forum/thread?id=123456789&leak=true"),
        std::string("minisign -Vm manifest.json -P ") + kKey,
        std::string("sha256sum files/0002-capture-d-ecran.jpg"),
        std::string("rempart evidence verify BUNDLE"), std::string("E7620F1842B4E81F"),
        std::string("2024-03-12 13:03:05 UTC"), std::string("123 456")}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected;
  }
  const int pages = PageCount(pdf);
  EXPECT_GE(pages, 3);  // summary, timeline, how to verify
  EXPECT_NE(text.find("Page 1 / " + std::to_string(pages)), std::string::npos);
  EXPECT_NE(text.find("Page " + std::to_string(pages) + " / " + std::to_string(pages)),
            std::string::npos);
}

TEST_F(ReportPdfTest, TimelineIsSortedByCaptureTime) {
  const fs::path pdf = Render(SampleInput(), Translator::ForLanguage("en"));
  const std::string text = Text(pdf);
  const size_t first = text.find("Entry 1 — Message");
  const size_t second = text.find("Entry 2 — File");
  const size_t third = text.find("Entry 3 — Web page");
  const size_t fourth = text.find("Entry 4 — Note");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(fourth, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_LT(third, fourth);
}

TEST_F(ReportPdfTest, LongCaseSpansPagesAndLongTextContinues) {
  ReportInput input = SampleInput();
  std::string long_text;
  for (int i = 1; i <= 150; ++i) long_text += "Ligne " + std::to_string(i) + " du message reçu.\n";
  input.entries[1].entry.text = long_text;
  for (int i = 0; i < 40; ++i) {
    ReportEntry e = MakeEntry(10 + i, EntryKind::kNote, "2024-03-17T10:00:00Z");
    e.entry.text = "Note numéro " + std::to_string(i);
    input.entries.push_back(e);
  }
  const fs::path pdf = Render(input, Translator::ForLanguage("en"));
  const int pages = PageCount(pdf);
  EXPECT_GT(pages, 5);
  const std::string text = Text(pdf);
  EXPECT_NE(text.find("Ligne 150 du message reçu."), std::string::npos);
  EXPECT_NE(text.find("Entry 1 (continued)"), std::string::npos);
  EXPECT_NE(text.find("Note numéro 39"), std::string::npos);
  EXPECT_NE(text.find("Page " + std::to_string(pages) + " / " + std::to_string(pages)),
            std::string::npos);
}

TEST_F(ReportPdfTest, FrenchHeadingsWhenTheCatalogHasThem) {
  const Translator t = Translator::ForLanguage("fr");
  const std::string text = Text(Render(SampleInput(), t));
  if (t.tr("Evidence report") == "Evidence report") {
    EXPECT_NE(text.find("Evidence report"), std::string::npos);  // no catalog yet
  } else {
    EXPECT_NE(text.find(t.tr("Evidence report")), std::string::npos);
    EXPECT_NE(text.find(t.tr("How to verify this evidence")), std::string::npos);
    EXPECT_EQ(text.find("How to verify this evidence"), std::string::npos);
  }
  EXPECT_NE(text.find("12/03/2024"), std::string::npos);  // French dates, whatever the catalog
}

TEST_F(ReportPdfTest, HostileContentDoesNotBreakTheReport) {
  ReportInput input = SampleInput();
  input.case_title = std::string("Titre \xFF\xFE invalide\x01 <i>&amp;</i>");
  input.entries[0].image = {0xFF, 0xD8, 0xFF, 0xE0, 0x00};           // a broken JPEG
  input.entries[1].entry.text = std::string(300'000, 'A') + " fin";  // too long to show
  input.entries[2].entry.url = "https://" + std::string(3000, 'x');  // one long word
  input.entries[3].entry.captured_at = "not a date";
  input.entries[3].entry.text = std::string("nul\0byte", 8);
  const Translator t = Translator::ForLanguage("en");
  const std::string text = Text(Render(input, t));
  EXPECT_NE(text.find("<i>&amp;</i>"), std::string::npos);
  EXPECT_NE(text.find(t.tr("Preview not available.")), std::string::npos);
  EXPECT_NE(text.find("the full text is in the bundle"), std::string::npos);
  EXPECT_EQ(text.find("A fin"), std::string::npos);
  EXPECT_NE(text.find("not a date"), std::string::npos);
  EXPECT_NE(text.find("nul byte"), std::string::npos);
}

TEST_F(ReportPdfTest, EmptyCase) {
  ReportInput input;
  const std::string text = Text(Render(input, Translator::ForLanguage("en")));
  EXPECT_NE(text.find("This case has no entries."), std::string::npos);
  EXPECT_NE(text.find("How to verify this evidence"), std::string::npos);
}

TEST_F(ReportPdfTest, WriteReplacesAtomicallyAndLeavesNoTemporary) {
  const fs::path path = dir_ / "report.pdf";
  std::ofstream(path) << "old";
  ASSERT_TRUE(WriteReportPdf(SampleInput(), Translator::ForLanguage("en"), path.string()).ok());
  EXPECT_GE(PageCount(path), 3);
  int files = 0;
  for ([[maybe_unused]] const auto& f : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1);

  Status status = WriteReportPdf(SampleInput(), Translator::ForLanguage("en"),
                                 (dir_ / "no/such/dir.pdf").string());
  EXPECT_EQ(status.code(), Code::kIo);
}

TEST_F(ReportPdfTest, ThousandEntriesInAFewSeconds) {
  ReportInput input = SampleInput();
  const std::vector<uint8_t> jpeg = MakeJpeg(1200, 900);
  for (int i = 0; i < 1000; ++i) {
    ReportEntry e =
        MakeEntry(100 + i, i % 2 ? EntryKind::kMessage : EntryKind::kFile, "2024-04-01T10:00:00Z");
    e.entry.text = i % 2 ? kThreat : "";
    e.entry.sender = i % 2 ? "anonyme" : "";
    e.entry.name = "photo-" + std::to_string(i) + ".jpg";
    e.bundle_path = "files/" + std::to_string(100 + i) + ".jpg";
    if (i % 20 == 0) e.image = jpeg;
    input.entries.push_back(std::move(e));
  }
  const auto start = std::chrono::steady_clock::now();
  auto pdf = RenderReportPdf(input, Translator::ForLanguage("en"));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(pdf.ok());
  std::printf("1004 entries: %.2f s, %zu bytes\n", seconds, pdf->size());
  EXPECT_LT(seconds, 60);  // generous: sanitizer builds are several times slower
}

}  // namespace
}  // namespace rempart
