#include "media/region_spec.h"

#include <gtest/gtest.h>

#include <string>

namespace rempart {
namespace {

Box Parse(const std::string& text, int width = 1000, int height = 500) {
  auto box = ParseRegion(text, width, height);
  EXPECT_TRUE(box.ok()) << text << ": " << box.status().message();
  return box.ok() ? *box : Box{};
}

Status Refusal(const std::string& text, int width = 1000, int height = 500) {
  auto box = ParseRegion(text, width, height);
  EXPECT_FALSE(box.ok()) << text;
  return box.ok() ? Status() : box.status();
}

TEST(RegionSpecTest, Pixels) {
  EXPECT_EQ(Parse("120,40,300,200"), (Box{120, 40, 300, 200}));
  EXPECT_EQ(Parse(" 0, 0 ,1000 , 500 "), (Box{0, 0, 1000, 500}));
}

TEST(RegionSpecTest, PercentagesAreOfWidthAndHeight) {
  EXPECT_EQ(Parse("10%,20%,30%,15%"), (Box{100, 100, 300, 75}));
  EXPECT_EQ(Parse("50%,0,25%,100%"), (Box{500, 0, 250, 500}));  // mixed
  EXPECT_EQ(Parse("0%,0%,100%,100%"), (Box{0, 0, 1000, 500}));
}

TEST(RegionSpecTest, FractionalEdgesRoundOutwards) {
  // 12.34% of 1000 = 123.4 → starts at 123; ends at 123.4 + 10.1 = 133.5 → 134.
  EXPECT_EQ(Parse("12.34%,0,1.01%,10", 1000, 500), (Box{123, 0, 11, 10}));
}

TEST(RegionSpecTest, PartlyOutsideIsClipped) {
  EXPECT_EQ(Parse("-20,-10,100,50"), (Box{0, 0, 80, 40}));
  EXPECT_EQ(Parse("900,400,500,500"), (Box{900, 400, 100, 100}));
  EXPECT_EQ(Parse("90%,90%,50%,50%"), (Box{900, 450, 100, 50}));
}

TEST(RegionSpecTest, EntirelyOutsideIsRefused) {
  for (const char* text : {"1000,0,10,10", "0,500,10,10", "-50,0,50,10", "100%,0,10%,10%"}) {
    const Status status = Refusal(text);
    EXPECT_EQ(status.code(), Code::kUsage) << text;
    EXPECT_NE(status.message().find("outside the image"), std::string::npos) << text;
    EXPECT_NE(status.message().find("1000 by 500"), std::string::npos) << status.message();
  }
}

TEST(RegionSpecTest, MalformedIsRefusedWithAnExample) {
  for (const char* text :
       {"", "1,2,3", "1,2,3,4,5", "a,b,c,d", "10,20,30,", ",1,2,3", "1;2;3;4", "10px,2,3,4",
        "1.5,2,3,4", "%,1,2,3", "1,2,3,4%%", "nan%,1,2,3", "99999999999,0,1,1", "inf%,0,1,1"}) {
    const Status status = Refusal(text);
    EXPECT_EQ(status.code(), Code::kUsage) << text;
    EXPECT_NE(status.message().find("for example"), std::string::npos) << text;
  }
}

TEST(RegionSpecTest, EmptyOrImpossibleSizesAreRefused) {
  for (const char* text : {"0,0,0,10", "0,0,10,-5", "0,0,0%,10%"}) {
    const Status status = Refusal(text);
    EXPECT_EQ(status.code(), Code::kUsage);
    EXPECT_NE(status.message().find("empty"), std::string::npos) << text;
  }
  const Status over = Refusal("0,0,150%,10");
  EXPECT_NE(over.message().find("100%"), std::string::npos);
}

TEST(RegionSpecTest, ParsingAloneNeedsNoImage) {
  auto spec = ParseRegionSpec("10%,20,30%,40");
  ASSERT_TRUE(spec.ok());
  EXPECT_TRUE(spec->x.percent);
  EXPECT_FALSE(spec->y.percent);
  EXPECT_DOUBLE_EQ(spec->width.amount, 30);
  auto box = ResolveRegion(*spec, 200, 100);
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(*box, (Box{20, 20, 60, 40}));
  EXPECT_FALSE(ParseRegionSpec("10,20").ok());
}

TEST(RegionSpecTest, MessagesQuoteWhatWasTyped) {
  const Status status = Refusal("1,2,three,4");
  EXPECT_NE(status.message().find("\"1,2,three,4\""), std::string::npos) << status.message();
  EXPECT_EQ(status.args().size(), 1u);
}

}  // namespace
}  // namespace rempart
