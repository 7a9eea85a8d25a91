#include "evidence/bundle_names.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rempart {
namespace {

using ::testing::HasSubstr;

TEST(CheckBundleNameTest, AcceptsBundleNames) {
  for (const char* name : {"manifest.json", "files/0001-photo.jpg", "files/0002-vidéo.mp4", "a/b/c",
                           ".hidden", "..a", "a..", "C", "files/a b (1).jpg"}) {
    EXPECT_TRUE(CheckBundleName(name).ok()) << name;
  }
}

TEST(CheckBundleNameTest, RefusesUnsafeNames) {
  const std::pair<std::string, const char*> cases[] = {
      {"", "empty name"},
      {"../evil", "\"..\""},
      {"files/../../evil", "\"..\""},
      {"a/..", "\"..\""},
      {"./a", "\".\""},
      {"/etc/passwd", "absolute"},
      {"C:evil", "colon"},
      {"c:/evil", "colon"},
      {"files/a.jpg:stream", "colon"},
      {"a\\b", "backslash"},
      {"..\\evil", "backslash"},
      {"a//b", "empty path component"},
      {"a/", "empty path component"},
      {std::string("a\0b", 3), "NUL"},
      {"a\nb", "control character"},
      {"a\x1b[31mb", "control character"},
      {"a\x7f", "control character"},
      {"\xff\xfe", "UTF-8"},
      {"\xc0\xaf", "UTF-8"},          // overlong '/'
      {"\xed\xa0\x80", "UTF-8"},      // surrogate
      {"\xf4\x90\x80\x80", "UTF-8"},  // above U+10FFFF
      {"\xe2\x82", "UTF-8"},          // cut short
      {std::string(kMaxBundleNameBytes + 1, 'a'), "too long"},
  };
  for (const auto& [name, problem] : cases) {
    const Status status = CheckBundleName(name);
    EXPECT_EQ(status.code(), Code::kInvalidInput) << PrintableName(name);
    EXPECT_THAT(status.message(), HasSubstr(problem)) << PrintableName(name);
  }
}

TEST(PrintableNameTest, EscapesWhatATerminalWouldInterpret) {
  EXPECT_EQ(PrintableName("files/é.jpg"), "files/é.jpg");
  EXPECT_EQ(PrintableName("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(PrintableName(std::string("a\0\"\\\xff", 5)), "a\\x00\\x22\\x5c\\xff");
  EXPECT_LT(PrintableName(std::string(5000, 'a')).size(), 300u);
}

TEST(BadEntryTest, NamesTheEntryAndSaysWhatToDo) {
  const Status status = BadEntry("../evil", "has a \"..\" path component");
  EXPECT_EQ(status.code(), Code::kInvalidInput);
  EXPECT_THAT(status.message(), HasSubstr("../evil"));
  EXPECT_THAT(status.message(), HasSubstr("ask the sender"));
}

TEST(BundleNameSetTest, RefusesNamesThatCollide) {
  BundleNameSet names;
  ASSERT_TRUE(names.AddFile("files/0001-a.jpg").ok());
  ASSERT_TRUE(names.AddFile("files/0002-b.jpg").ok());
  ASSERT_TRUE(names.AddDirectory("files").ok());
  EXPECT_THAT(names.AddFile("files/0001-a.jpg").message(), HasSubstr("appears twice"));
  EXPECT_THAT(names.AddFile("FILES/0001-A.JPG").message(), HasSubstr("appears twice"));
  EXPECT_THAT(names.AddFile("files").message(), HasSubstr("both a file and a directory"));
  EXPECT_THAT(names.AddFile("files/0001-a.jpg/x").message(), HasSubstr("also a file"));
  ASSERT_TRUE(names.AddFile("x").ok());
  EXPECT_THAT(names.AddDirectory("X").message(), HasSubstr("both a file and a directory"));
}

}  // namespace
}  // namespace rempart
