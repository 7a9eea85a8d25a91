#include "media/iso_bmff_boxes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "media/quicktime_metadata.h"

namespace rempart::bmff {
namespace {

std::string Be32(uint32_t v) {
  std::string out;
  PutU32(out, v);
  return out;
}

std::string Make(const std::string& type, const std::string& payload) {
  return Be32(static_cast<uint32_t>(8 + payload.size())) + type + payload;
}

std::span<const uint8_t> Span(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(IsoBmffBoxes, ReadsAPlainBox) {
  std::string bytes = Make("free", "abcd") + Make("mdat", "x");
  MemorySource source(Span(bytes));
  auto box = ReadBox(source, 0, bytes.size());
  ASSERT_TRUE(box.ok()) << box.status().message();
  EXPECT_EQ(box->type, FourCC("free"));
  EXPECT_EQ(box->size, 12u);
  EXPECT_EQ(box->payload_offset(), 8u);
  EXPECT_EQ(box->payload_size(), 4u);
}

TEST(IsoBmffBoxes, SizeZeroRunsToTheLimit) {
  std::string bytes = Be32(0) + "mdat" + std::string(100, 'x');
  MemorySource source(Span(bytes));
  auto box = ReadBox(source, 0, bytes.size());
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(box->size, bytes.size());
}

TEST(IsoBmffBoxes, ReadsA64BitSize) {
  std::string bytes = Be32(1) + "mdat" + Be32(0) + Be32(20) + "four";
  MemorySource source(Span(bytes));
  auto box = ReadBox(source, 0, bytes.size());
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(box->size, 20u);
  EXPECT_EQ(box->header_size, 16u);
}

TEST(IsoBmffBoxes, ReadsAUuidBox) {
  std::string uuid(16, '\x42');
  std::string bytes = Make("uuid", uuid + "data");
  MemorySource source(Span(bytes));
  auto box = ReadBox(source, 0, bytes.size());
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(box->header_size, 24u);
  EXPECT_EQ(box->uuid[0], 0x42);
  EXPECT_EQ(box->payload_size(), 4u);
}

TEST(IsoBmffBoxes, RefusesImpossibleSizes) {
  const std::vector<std::string> cases = {
      Be32(4) + "free",                                        // smaller than its header
      Be32(7) + "free",                                        //
      Be32(100) + "free" + "abcd",                             // larger than the parent
      Be32(1) + "mdat" + Be32(0) + Be32(8),                    // 64-bit size smaller than 16
      Be32(1) + "mdat" + Be32(0xFFFFFFFF) + Be32(0xFFFFFFFF),  // 64-bit size past the end
      Be32(1) + "mdat",                                        // 64-bit size cut off
      Be32(20) + "uuid" + "short",                             // uuid shorter than its header
      Be32(0) + "uuid" + "short",
  };
  for (const auto& bytes : cases) {
    MemorySource source(Span(bytes));
    auto box = ReadBox(source, 0, bytes.size());
    EXPECT_FALSE(box.ok()) << testing::PrintToString(bytes);
    if (!box.ok()) {
      EXPECT_EQ(box.status().code(), Code::kInvalidInput);
    }
  }
}

TEST(IsoBmffBoxes, ChildMustFitItsParent) {
  std::string child = Make("free", "abcdefgh");
  std::string bytes = Make("moov", child);
  MemorySource source(Span(bytes));
  // The parent ends 2 bytes early: the child no longer fits.
  auto box = ReadBox(source, 8, bytes.size() - 2);
  EXPECT_FALSE(box.ok());
}

TEST(IsoBmffBoxes, WalksChildrenAndIgnoresAShortTerminator) {
  std::string bytes = Make("free", "") + Make("skip", "ab") + Be32(0);
  MemorySource source(Span(bytes));
  BoxBudget budget;
  std::vector<uint32_t> types;
  ASSERT_TRUE(ForEachBox(source, 0, bytes.size(), 0, budget, [&](const Box& box) {
                types.push_back(box.type);
                return Status::Ok();
              }).ok());
  EXPECT_EQ(types, (std::vector<uint32_t>{FourCC("free"), FourCC("skip")}));
}

TEST(IsoBmffBoxes, RefusesDeepNestingAndTooManyBoxes) {
  std::string bytes = Make("free", "");
  MemorySource source(Span(bytes));
  BoxBudget budget;
  auto ok = [](const Box&) { return Status::Ok(); };
  EXPECT_FALSE(ForEachBox(source, 0, bytes.size(), BoxBudget::kMaxDepth + 1, budget, ok).ok());
  BoxBudget small(1);
  std::string two = bytes + bytes;
  MemorySource source2(Span(two));
  EXPECT_FALSE(ForEachBox(source2, 0, two.size(), 0, small, ok).ok());
}

TEST(IsoBmffBoxes, ReaderNeverReadsPastTheEnd) {
  std::string bytes = "\x01\x02\x03";
  Reader r(Span(bytes));
  EXPECT_EQ(r.U16(), 0x0102);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.U32(), 0u);
  EXPECT_FALSE(r.ok());
  Reader s(Span(bytes), 10);
  EXPECT_FALSE(s.ok());
  Reader t(Span(bytes));
  EXPECT_EQ(t.CString(), "\x01\x02\x03");
  EXPECT_EQ(t.CString(), "");
}

TEST(IsoBmffBoxes, TypeNames) {
  EXPECT_EQ(TypeName(FourCC("moov")), "moov");
  EXPECT_EQ(TypeName(Copyright("xyz")), "\xC2\xA9xyz");
  EXPECT_EQ(TypeName(1), "0x00000001");
  EXPECT_TRUE(IsPlausibleType(FourCC("mdat")));
  EXPECT_FALSE(IsPlausibleType(0x00000001));
}

TEST(IsoBmffBoxes, WritesHeaders) {
  EXPECT_EQ(BoxHeader(FourCC("free"), 4), Be32(12) + "free");
  std::string big = BoxHeader(FourCC("mdat"), 0x100000000ull);
  EXPECT_EQ(big.size(), 16u);
  EXPECT_EQ(big.substr(0, 8), Be32(1) + "mdat");
}

TEST(QuickTimeMetadata, Dates) {
  EXPECT_EQ(Mac1904ToString(0), "1904:01:01 00:00:00");
  EXPECT_EQ(Mac1904ToString(0xE2586028), "2024:05:01 21:10:00");
  EXPECT_EQ(Mac1904ToString(2082844800), "1970:01:01 00:00:00");
  EXPECT_NE(Mac1904ToString(0xFFFFFFFFFFFFFFFFull).find("seconds"), std::string::npos);
}

TEST(QuickTimeMetadata, Iso6709) {
  auto p = ParseIso6709("+48.8566+002.3522+35.000/");
  ASSERT_TRUE(p);
  EXPECT_NEAR(p->latitude, 48.8566, 1e-9);
  EXPECT_NEAR(p->longitude, 2.3522, 1e-9);
  ASSERT_TRUE(p->altitude_m);
  EXPECT_NEAR(*p->altitude_m, 35, 1e-9);
  EXPECT_NEAR(p->precision_m, 11.132, 0.01);
  auto minutes = ParseIso6709("-3351.396+15112.840/");  // Sydney, degrees and minutes
  ASSERT_TRUE(minutes);
  EXPECT_NEAR(minutes->latitude, -33.8566, 1e-4);
  EXPECT_NEAR(minutes->longitude, 151.214, 1e-3);
  EXPECT_FALSE(ParseIso6709("+95.0+002.0/"));
  EXPECT_FALSE(ParseIso6709("hello"));
  EXPECT_FALSE(ParseIso6709("+48.8566"));
}

}  // namespace
}  // namespace rempart::bmff
