#include "server/templates.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace rempart::server {
namespace {

namespace fs = std::filesystem;

class TemplatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rempart-templates-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  fs::path dir_;
};

TEST(NormalizeMsgidTest, CollapsesWhitespace) {
  EXPECT_EQ(NormalizeMsgid("  Unlock\n   your\tvault  "), "Unlock your vault");
  EXPECT_EQ(NormalizeMsgid("Quick exit"), "Quick exit");
  EXPECT_EQ(NormalizeMsgid(" \n "), "");
}

TEST_F(TemplatesTest, EscapesValuesAndTranslates) {
  Write("page.html", "<p>{{#t}}Quick\n  exit{{/t}}</p><p>{{text}}</p><div>{{{html}}}</div>");
  auto templates = Templates::Load(dir_);
  ASSERT_TRUE(templates.ok()) << templates.status().message();
  TemplateData data = TemplateData::type::object;
  data.set("text", "<script>alert('x')</script> & \"q\"");
  data.set("html", "<b>ok</b>");
  auto en = templates->Render("page", data, Translator::ForLanguage("en"));
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(*en,
            "<p>Quick exit</p><p>&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; "
            "&quot;q&quot;</p><div><b>ok</b></div>");
}

TEST_F(TemplatesTest, TranslatedTextIsNotParsedAsATemplate) {
  // A msgid without translation comes back as is: its braces must stay text.
  Write("page.html", "{{#t}}Use {braces} & <b>{{/t}}");
  auto templates = Templates::Load(dir_);
  ASSERT_TRUE(templates.ok());
  auto html = templates->Render("page", TemplateData::type::object, Translator::ForLanguage("fr"));
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(*html, "Use {braces} &amp; &lt;b&gt;");
}

TEST_F(TemplatesTest, RejectsBrokenTemplatesAtLoad) {
  Write("broken.html", "{{#open}} never closed");
  auto templates = Templates::Load(dir_);
  EXPECT_FALSE(templates.ok());
}

TEST_F(TemplatesTest, UnknownTemplateIsAnError) {
  Write("page.html", "x");
  auto templates = Templates::Load(dir_);
  ASSERT_TRUE(templates.ok());
  EXPECT_FALSE(
      templates->Render("nope", TemplateData::type::object, Translator::ForLanguage("en")).ok());
}

TEST(ShippedTemplatesTest, AllLoadAndRenderEmpty) {
  auto templates = Templates::Load(fs::path(REMPART_SOURCE_DIR) / "web" / "templates");
  ASSERT_TRUE(templates.ok()) << templates.status().message();
  for (const char* name : {"layout", "error", "unlock", "no_vault", "cases", "case", "entry"}) {
    auto html = templates->Render(name, TemplateData::type::object, Translator::ForLanguage("fr"));
    EXPECT_TRUE(html.ok()) << name;
  }
}

}  // namespace
}  // namespace rempart::server
