#include "server/router.h"

#include <gtest/gtest.h>

namespace rempart::server {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return TextResponse(http::status::ok, name); };
}

std::string Call(const Router::Match& match) {
  HttpRequest message{http::verb::get, "/", 11};
  Request request(std::move(message));
  return (*match.handler)(request).body;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add(http::verb::get, "/", Named("home"));
    router_.Add(http::verb::get, "/cases", Named("cases"));
    router_.Add(http::verb::get, "/cases/{id}", Named("case"));
    router_.Add(http::verb::get, "/cases/{id}/bundle", Named("bundle"));
    router_.Add(http::verb::get, "/unlock", Named("unlock-form"));
    router_.Add(http::verb::post, "/unlock", Named("unlock"));
    router_.Add(http::verb::get, "/static/{name}", Named("static"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralPaths) {
  auto m = router_.Route(http::verb::get, "/cases");
  ASSERT_EQ(m.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(Call(m), "cases");
  EXPECT_EQ(m.pattern, "/cases");
  EXPECT_EQ(Call(router_.Route(http::verb::get, "/")), "home");
}

TEST_F(RouterTest, CapturesPlaceholders) {
  auto m = router_.Route(http::verb::get, "/cases/42/bundle");
  ASSERT_EQ(m.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(Call(m), "bundle");
  EXPECT_EQ(m.pattern, "/cases/{id}/bundle");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "id");
  EXPECT_EQ(m.params[0].second, "42");
}

TEST_F(RouterTest, DecodesPlaceholderValues) {
  auto m = router_.Route(http::verb::get, "/static/a%20b.css");
  ASSERT_EQ(m.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(m.params[0].second, "a b.css");
}

TEST_F(RouterTest, NeverMatchesASlashInsideAPlaceholder) {
  EXPECT_EQ(router_.Route(http::verb::get, "/static/..%2Fsecret").outcome,
            Router::Outcome::kNotFound);
  EXPECT_EQ(router_.Route(http::verb::get, "/static/a%2fb").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(router_.Route(http::verb::get, "/static/../secret").outcome,
            Router::Outcome::kNotFound);
  EXPECT_EQ(router_.Route(http::verb::get, "/static/%00").outcome, Router::Outcome::kNotFound);
}

TEST_F(RouterTest, IsExact) {
  for (const char* path : {"/cases/", "//cases", "/cases/1/", "/cases//bundle", "/Cases", "",
                           "cases", "/cases/1/bundle/x", "/static/", "/%63ases"}) {
    EXPECT_EQ(router_.Route(http::verb::get, path).outcome, Router::Outcome::kNotFound) << path;
  }
}

TEST_F(RouterTest, TellsWhichMethodsAPathAllows) {
  auto m = router_.Route(http::verb::delete_, "/unlock");
  EXPECT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, POST");
  EXPECT_EQ(m.handler, nullptr);
  auto post = router_.Route(http::verb::post, "/cases/3");
  EXPECT_EQ(post.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(post.allow, "GET");
  EXPECT_EQ(Call(router_.Route(http::verb::post, "/unlock")), "unlock");
}

TEST_F(RouterTest, FirstRouteAddedWins) {
  Router router;
  router.Add(http::verb::get, "/cases/new", Named("new"));
  router.Add(http::verb::get, "/cases/{id}", Named("case"));
  EXPECT_EQ(Call(router.Route(http::verb::get, "/cases/new")), "new");
  EXPECT_EQ(Call(router.Route(http::verb::get, "/cases/7")), "case");
}

}  // namespace
}  // namespace rempart::server
