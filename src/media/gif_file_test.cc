#include <gif_lib.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "media/container_test_fixtures.h"
#include "media/media_format.h"

namespace rempart {
namespace {

using namespace std::string_literals;
using testing::Describe;
using testing::FindField;
using testing::Span;

constexpr size_t kHeaderEnd = 13 + 3 * 256;  // the fixtures have a 256-colour global table

int WriteToString(GifFileType* gif, const GifByteType* data, int size) {
  static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data), size);
  return size;
}

// A two-frame animation that loops forever, written by giflib (its low-level calls: EGifSpew
// leaks in giflib 5.2).
std::string EncodeGif() {
  std::string out;
  int error = 0;
  GifFileType* gif = EGifOpen(&out, WriteToString, &error);
  EXPECT_NE(gif, nullptr);
  EGifSetGifVersion(gif, true);
  GifColorType colours[256];
  for (int i = 0; i < 256; ++i)
    colours[i] = {static_cast<GifByteType>(i), static_cast<GifByteType>(255 - i),
                  static_cast<GifByteType>(i * 3)};
  ColorMapObject* map = GifMakeMapObject(256, colours);
  EXPECT_EQ(EGifPutScreenDesc(gif, 24, 16, 8, 0, map), GIF_OK);
  GifFreeMapObject(map);  // giflib keeps its own copy

  unsigned char loop[] = {1, 0, 0};
  EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE);
  EGifPutExtensionBlock(gif, 11, "NETSCAPE2.0");
  EGifPutExtensionBlock(gif, 3, loop);
  EGifPutExtensionTrailer(gif);

  const int sizes[2][4] = {{0, 0, 24, 16}, {4, 2, 10, 8}};
  for (int f = 0; f < 2; ++f) {
    GraphicsControlBlock gcb{DISPOSE_DO_NOT, false, 10 + 5 * f, f == 1 ? 3 : NO_TRANSPARENT_COLOR};
    GifByteType control[4];
    EGifGCBToExtension(&gcb, control);
    EXPECT_EQ(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, control), GIF_OK);
    const int width = sizes[f][2], height = sizes[f][3];
    EXPECT_EQ(EGifPutImageDesc(gif, sizes[f][0], sizes[f][1], width, height, false, nullptr),
              GIF_OK);
    std::vector<GifPixelType> row(static_cast<size_t>(width));
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) row[x] = static_cast<GifPixelType>((y * width + x) * 7 + f);
      EXPECT_EQ(EGifPutLine(gif, row.data(), width), GIF_OK);
    }
  }
  EXPECT_EQ(EGifCloseFile(gif, &error), GIF_OK);
  return out;
}

std::string SubBlocks(std::string_view data) {
  std::string out;
  for (size_t at = 0; at < data.size(); at += 255) {
    const size_t n = std::min<size_t>(255, data.size() - at);
    out += static_cast<char>(n);
    out += data.substr(at, n);
  }
  return out + '\0';
}

std::string Comment(std::string_view text) { return "\x21\xFE"s + SubBlocks(text); }
std::string Application(std::string_view id, std::string_view data) {
  return "\x21\xFF\x0B"s + std::string(id) + SubBlocks(data);
}
std::string PlainText(std::string_view text) {
  return "\x21\x01\x0C"s + std::string(12, '\1') + SubBlocks(text);
}
// XMP is stored raw, followed by the 257-byte "magic trailer" and the terminator.
std::string Xmp(std::string_view xml) {
  std::string out =
      "\x21\xFF\x0B"
      "XMP DataXMP"s +
      std::string(xml) + '\x01';
  for (int v = 255; v >= 0; --v) out += static_cast<char>(v);
  return out + '\0';
}

std::string Insert(std::string gif, size_t at, const std::string& blocks) {
  gif.insert(at, blocks);
  return gif;
}

std::string DirtyGif() {
  std::string gif = EncodeGif();
  gif =
      Insert(gif, gif.size() - 1,
             Comment("shot at home") + Application("MGK8BIM0000", "8BIM…") + "\x21\x99\x02zz\x00"s);
  gif = Insert(gif, kHeaderEnd,
               Comment(std::string(600, 'c')) + Xmp(testing::XmpPacket()) +
                   Application("ICCRGBG1012", std::string(300, 'p')) + PlainText("hello"));
  return gif + "appended";
}

struct Frame {
  int left, top, width, height;
  std::string raster;
  std::string colours;  // the local table, if any
  int delay = -1, transparent = -2, disposal = -1;
  bool operator==(const Frame&) const = default;
};

struct Decoded {
  int width = 0, height = 0;
  std::string colours;
  std::vector<Frame> frames;
  bool loops = false;
  bool operator==(const Decoded&) const = default;
};

struct Reader {
  const std::string* bytes;
  size_t pos = 0;
};

int ReadFromString(GifFileType* gif, GifByteType* out, int size) {
  auto* reader = static_cast<Reader*>(gif->UserData);
  const size_t n = std::min<size_t>(static_cast<size_t>(size), reader->bytes->size() - reader->pos);
  std::memcpy(out, reader->bytes->data() + reader->pos, n);
  reader->pos += n;
  return static_cast<int>(n);
}

std::string Colours(const ColorMapObject* map) {
  if (map == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(map->Colors), map->ColorCount * 3);
}

// What giflib decodes; `ok` false when it refuses the file.
Decoded Decode(const std::string& bytes, bool* ok = nullptr) {
  Reader reader{&bytes};
  int error = 0;
  GifFileType* gif = DGifOpen(&reader, ReadFromString, &error);
  Decoded d;
  if (gif == nullptr || DGifSlurp(gif) != GIF_OK) {
    if (ok) *ok = false;
    if (gif) DGifCloseFile(gif, &error);
    return d;
  }
  if (ok) *ok = true;
  d.width = gif->SWidth;
  d.height = gif->SHeight;
  d.colours = Colours(gif->SColorMap);
  for (int i = 0; i < gif->ImageCount; ++i) {
    const SavedImage& image = gif->SavedImages[i];
    const GifImageDesc& desc = image.ImageDesc;
    Frame frame{desc.Left,
                desc.Top,
                desc.Width,
                desc.Height,
                std::string(reinterpret_cast<const char*>(image.RasterBits),
                            static_cast<size_t>(desc.Width) * desc.Height),
                Colours(desc.ColorMap)};
    GraphicsControlBlock gcb;
    if (DGifSavedExtensionToGCB(gif, i, &gcb) == GIF_OK) {
      frame.delay = gcb.DelayTime;
      frame.transparent = gcb.TransparentColor;
      frame.disposal = gcb.DisposalMode;
    }
    for (int e = 0; e < image.ExtensionBlockCount; ++e) {
      const ExtensionBlock& block = image.ExtensionBlocks[e];
      if (block.Function == APPLICATION_EXT_FUNC_CODE && block.ByteCount == 11 &&
          std::memcmp(block.Bytes, "NETSCAPE2.0", 11) == 0)
        d.loops = true;
    }
    d.frames.push_back(std::move(frame));
  }
  DGifCloseFile(gif, &error);
  return d;
}

Result<std::string> Scrub(const std::string& gif, ScrubOptions options = {}) {
  MemorySource source(Span(gif));
  REMPART_ASSIGN_OR_RETURN(EditPlan plan, PlanGifScrub(source, options));
  return ApplyPlanToString(source, plan);
}

Result<PrivacyReport> Inspect(const std::string& gif) {
  MemorySource source(Span(gif));
  return InspectGif(source);
}

TEST(GifFile, FixtureDecodes) {
  const Decoded d = Decode(DirtyGif());
  ASSERT_EQ(d.frames.size(), 2u);
  EXPECT_TRUE(d.loops);
  EXPECT_EQ(d.frames[1].transparent, 3);
}

TEST(GifFile, InspectsEveryKindOfMetadata) {
  auto report = Inspect(DirtyGif());
  ASSERT_TRUE(report.ok()) << report.status().message();
  SCOPED_TRACE(Describe(*report));
  EXPECT_EQ(report->format, "gif");
  EXPECT_EQ(report->width, 24);
  EXPECT_EQ(report->height, 16);
  EXPECT_TRUE(report->has_icc_profile);
  EXPECT_EQ(FindField(*report, "Comment")->kind, FindingKind::kText);
  EXPECT_EQ(FindField(*report, "Comment")->value.substr(0, 10), "cccccccccc");
  EXPECT_EQ(FindField(*report, "PlainText")->value, "hello");
  EXPECT_EQ(FindField(*report, "Creator")->value, "Jane Doe");
  EXPECT_NE(FindField(*report, "City"), nullptr);
  EXPECT_EQ(FindField(*report, "MGK8BIM0000")->kind, FindingKind::kOther);
  EXPECT_EQ(FindField(*report, "Extension99")->kind, FindingKind::kOther);
  EXPECT_EQ(FindField(*report, "AppendedData")->value, "8 bytes");
  EXPECT_EQ(FindField(*report, "NETSCAPE2.0"), nullptr);
  EXPECT_EQ(FindField(*report, "ICCRGBG1012"), nullptr);
}

TEST(GifFile, ScrubKeepsFramesLoopAndColourProfile) {
  const std::string gif = DirtyGif();
  auto clean = Scrub(gif);
  ASSERT_TRUE(clean.ok()) << clean.status().message();
  const Decoded before = Decode(gif), after = Decode(*clean);
  ASSERT_EQ(after.frames.size(), 2u);
  EXPECT_EQ(after, before);
  EXPECT_TRUE(after.loops);
  EXPECT_EQ(clean->back(), '\x3B');
  EXPECT_EQ(*clean,
            Insert(EncodeGif(), kHeaderEnd, Application("ICCRGBG1012", std::string(300, 'p'))));
  auto report = Inspect(*clean);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->IsClean()) << Describe(*report);
  EXPECT_TRUE(report->has_icc_profile);

  auto stripped = Scrub(gif, {.strip_icc = true});
  ASSERT_TRUE(stripped.ok());
  EXPECT_EQ(*stripped, EncodeGif());
}

TEST(GifFile, GraphicControlBeforeDroppedPlainTextStays) {
  std::string gif = EncodeGif();
  // The second frame's control extension: the last one right before an image descriptor.
  size_t control = 0;
  for (size_t at = kHeaderEnd; at + 8 < gif.size(); ++at)
    if (gif.compare(at, 3, "\x21\xF9\x04") == 0 && gif[at + 8] == '\x2C') control = at;
  gif = Insert(gif, control, "\x21\xF9\x04\x00\x63\x00\x00\x00"s + PlainText("hi"));
  auto clean = Scrub(gif);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(Decode(*clean), Decode(gif));
  EXPECT_EQ(Decode(*clean).frames[1].delay, 99);
}

TEST(GifFile, NoPictureIsNotCleaned) {
  const std::string empty = EncodeGif().substr(0, kHeaderEnd) + Comment("hi") + ";";
  EXPECT_TRUE(Inspect(empty).ok());
  EXPECT_EQ(Scrub(empty).status().code(), Code::kInvalidInput);
}

// Data hidden after the few bytes a decoder reads in the blocks that are kept.
TEST(GifFile, DataHiddenInKeptBlocksIsRemoved) {
  const std::string gif = EncodeGif();
  const size_t loop = gif.find("NETSCAPE2.0") - 3;
  ASSERT_EQ(gif.compare(loop + 14, 6, "\x03\x01\x00\x00\x00\x21"s), 0);
  std::string hidden = gif;
  hidden.insert(loop + 18, "\x06secret"s);  // one more sub-block in the loop extension
  size_t control = 0;
  for (size_t at = kHeaderEnd; at + 8 < hidden.size(); ++at)
    if (hidden.compare(at, 3, "\x21\xF9\x04") == 0 && hidden[at + 8] == '\x2C') control = at;
  hidden.insert(control + 7, "\x04 GPS"s);  // and in a graphic control extension
  auto report = Inspect(hidden);
  ASSERT_TRUE(report.ok());
  EXPECT_NE(FindField(*report, "NETSCAPE2.0"), nullptr) << Describe(*report);
  EXPECT_NE(FindField(*report, "GraphicControl"), nullptr);
  auto clean = Scrub(hidden);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(*clean, gif);
  EXPECT_EQ(Decode(hidden), Decode(gif));
}

TEST(GifFile, CleanFileIsACopy) {
  const std::string gif = EncodeGif();
  MemorySource source(Span(gif));
  auto plan = PlanGifScrub(source, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->IsIdentity(gif.size()));
}

TEST(GifFile, MissingTrailerIsAdded) {
  std::string gif = EncodeGif();
  gif.pop_back();
  auto report = Inspect(gif);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->IsClean());
  auto clean = Scrub(gif);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(*clean, EncodeGif());
}

// Cleaning a cleaned file must change nothing, so the CLI can say "nothing to clean".
TEST(GifFile, ScrubbingTwiceChangesNothing) {
  std::string no_trailer = DirtyGif();
  no_trailer.resize(no_trailer.size() - std::string("appended;").size());
  for (const std::string& gif : {DirtyGif(), no_trailer}) {
    auto clean = Scrub(gif);
    ASSERT_TRUE(clean.ok());
    MemorySource source(Span(*clean));
    auto plan = PlanGifScrub(source, {});
    ASSERT_TRUE(plan.ok());
    EXPECT_TRUE(plan->IsIdentity(clean->size()));
  }
}

TEST(GifFile, EndlessSubBlocksAreRefused) {
  std::string gif = EncodeGif();
  gif.pop_back();
  gif += "\x21\xFE"s;
  for (int i = 0; i < 40000; ++i) gif += "\xFF"s + std::string(255, 'x');  // 10 MB, no end
  auto report = Inspect(gif);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Code::kInvalidInput);
  EXPECT_FALSE(Scrub(gif).ok());
}

TEST(GifFile, HostileStructuresAreRefused) {
  const std::string gif = EncodeGif();
  // An unknown block type.
  EXPECT_EQ(Inspect(Insert(gif, kHeaderEnd, "\x42")).status().code(), Code::kInvalidInput);
  // A global colour table running past the end.
  EXPECT_FALSE(Inspect(gif.substr(0, 100)).ok());
  // A local colour table claimed past the end.
  std::string local = gif.substr(0, kHeaderEnd) + "\x2C\0\0\0\0\x02\0\x02\0\x87"s;
  EXPECT_FALSE(Inspect(local).ok());
  EXPECT_FALSE(Scrub(local).ok());
  // Not a GIF.
  EXPECT_FALSE(Inspect("GIF90a").ok());
  EXPECT_FALSE(Inspect("").ok());
}

TEST(GifFile, EveryTruncationFailsCleanly) {
  const std::string gif = DirtyGif();
  for (size_t n = 0; n < gif.size(); ++n) {
    const std::string cut = gif.substr(0, n);
    auto report = Inspect(cut);
    auto clean = Scrub(cut);
    if (!report.ok()) {
      EXPECT_EQ(report.status().code(), Code::kInvalidInput) << n;
    }
    if (!clean.ok()) {
      EXPECT_EQ(clean.status().code(), Code::kInvalidInput) << n;
      continue;
    }
    EXPECT_TRUE(report.ok()) << n;
    // Cut between two blocks: what is there is cleaned and closed with a trailer.
    EXPECT_EQ(clean->back(), '\x3B') << n;
    bool ok = false;
    Decode(*clean, &ok);
    EXPECT_TRUE(ok) << n;
  }
}

TEST(GifFile, Mat2DirtyGif) {
  const std::string path = testing::TestdataPath("media/mat2-tests/dirty.gif");
  auto bytes = testing::ReadFile(path);
  if (!bytes) GTEST_SKIP() << "test file missing: " << path;
  auto source = FileSource::Open(path);
  ASSERT_TRUE(source.ok());
  auto report = InspectGif(*source);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(FindField(*report, "Comment")->value, "this is a test comment");
  auto plan = PlanGifScrub(*source, {});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  auto clean = ApplyPlanToString(*source, *plan);
  ASSERT_TRUE(clean.ok());
  bool ok = false;
  const Decoded after = Decode(*clean, &ok);
  ASSERT_TRUE(ok);
  EXPECT_EQ(after.frames.size(), 8u);
  EXPECT_EQ(after, Decode(*bytes));
  auto clean_report = Inspect(*clean);
  ASSERT_TRUE(clean_report.ok());
  EXPECT_TRUE(clean_report->IsClean()) << Describe(*clean_report);
  testing::WriteScrubbed("scrubbed-dirty.gif", *clean);
}

}  // namespace
}  // namespace rempart
