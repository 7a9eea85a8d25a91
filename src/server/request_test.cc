#include "server/request.h"

#include <gtest/gtest.h>

#include "server/cookies.h"
#include "server/form.h"

namespace rempart::server {
namespace {

TEST(FormTest, PercentDecodes) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("100%", false), "100%");
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
  EXPECT_EQ(PercentDecode("%00", false), std::string(1, '\0'));
  EXPECT_EQ(PercentDecode("%C3%A9", false), "é");
}

TEST(FormTest, PercentEncodesRoundTrip) {
  std::string text = "pass word&=+/é\n";
  EXPECT_EQ(PercentEncode("a-b_c.d~"), "a-b_c.d~");
  EXPECT_EQ(PercentDecode(PercentEncode(text), true), text);
}

TEST(FormTest, ParsesUrlEncodedPairs) {
  auto pairs = ParseUrlEncoded("a=1&b=two+words&c&&d=%26&a=again&=x");
  EXPECT_EQ(pairs["a"], "1");
  EXPECT_EQ(pairs["b"], "two words");
  EXPECT_EQ(pairs["c"], "");
  EXPECT_EQ(pairs["d"], "&");
  EXPECT_EQ(pairs[""], "x");
}

TEST(FormTest, ParsesOnlyPlainIds) {
  EXPECT_EQ(ParseId("7"), 7);
  EXPECT_EQ(ParseId("123456"), 123456);
  for (const char* bad :
       {"", "0", "07", "-1", "+1", "1.5", " 1", "1 ", "x", "99999999999999999999", "0x10"}) {
    EXPECT_FALSE(ParseId(bad)) << bad;
  }
}

TEST(CookiesTest, ParsesTheCookieHeader) {
  auto cookies = ParseCookieHeader("a=1; b = 2 ;c=x=y; bad=\"q\"; a=again; =v; novalue");
  EXPECT_EQ(cookies["a"], "1");
  EXPECT_EQ(cookies["b"], "2");
  EXPECT_EQ(cookies["c"], "x=y");
  EXPECT_EQ(cookies.count("bad"), 0u);
  EXPECT_EQ(cookies.count(""), 0u);
}

TEST(CookiesTest, FormatsSetCookie) {
  CookieOptions options;
  EXPECT_EQ(FormatSetCookie("s", "abc", options), "s=abc; Path=/; SameSite=Strict; HttpOnly");
  options.secure = true;
  options.max_age = std::chrono::seconds(60);
  options.same_site = "Lax";
  EXPECT_EQ(FormatSetCookie("l", "fr", options),
            "l=fr; Path=/; SameSite=Lax; Max-Age=60; HttpOnly; Secure");
  EXPECT_EQ(FormatClearCookie("s", CookieOptions{}),
            "s=; Path=/; SameSite=Strict; Max-Age=0; HttpOnly");
}

HttpRequest Message(http::verb verb, std::string target) {
  HttpRequest message{verb, target, 11};
  return message;
}

TEST(RequestTest, SplitsTheTarget) {
  Request request(Message(http::verb::get, "/cases/3?lang=fr&x=%2F"));
  EXPECT_TRUE(request.valid_target());
  EXPECT_EQ(request.path(), "/cases/3");
  EXPECT_EQ(request.Query("lang"), "fr");
  EXPECT_EQ(request.Query("x"), "/");
  EXPECT_FALSE(request.Query("y"));
}

TEST(RequestTest, RejectsTargetsThatAreNotPaths) {
  for (const char* target : {"*", "http://example.com/", "cases", ""}) {
    Request request(Message(http::verb::get, target));
    EXPECT_FALSE(request.valid_target()) << target;
  }
}

TEST(RequestTest, ReadsCookiesAndForms) {
  HttpRequest message = Message(http::verb::post, "/unlock");
  message.set(http::field::cookie, "rempart_csrf=abc; other=1");
  message.set(http::field::content_type, "application/x-www-form-urlencoded; charset=UTF-8");
  message.body() = "csrf=abc&passphrase=correct+horse%21";
  Request request(std::move(message));
  EXPECT_EQ(request.Cookie("rempart_csrf"), "abc");
  EXPECT_EQ(request.FormField("csrf"), "abc");
  EXPECT_EQ(request.FormField("passphrase"), "correct horse!");
}

TEST(RequestTest, IgnoresBodiesThatAreNotForms) {
  HttpRequest message = Message(http::verb::post, "/unlock");
  message.set(http::field::content_type, "text/plain");
  message.body() = "csrf=abc";
  Request request(std::move(message));
  EXPECT_FALSE(request.FormField("csrf"));
}

}  // namespace
}  // namespace rempart::server
