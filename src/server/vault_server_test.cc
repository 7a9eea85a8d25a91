#include "server/vault_server.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "crypto/password_kdf.h"
#include "evidence/vault.h"
#include "server/form.h"
#include "server/http_client_for_test.h"

namespace rempart::server {
namespace {

namespace fs = std::filesystem;
using testing::RawResponse;

constexpr char kPassphrase[] = "correct horse battery staple";
// A 1x1 PNG, so libmagic types the file as image/png.
constexpr char kPngBase64[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

KdfParams FastKdf() {
  KdfParams kdf;
  kdf.opslimit = crypto_pwhash_OPSLIMIT_MIN;
  kdf.memlimit = crypto_pwhash_MEMLIMIT_MIN;
  randombytes_buf(kdf.salt.data(), kdf.salt.size());
  return kdf;
}

std::string Png() {
  unsigned char bin[256];
  size_t len = 0;
  sodium_base642bin(bin, sizeof bin, kPngBase64, sizeof kPngBase64 - 1, nullptr, &len, nullptr,
                    sodium_base64_VARIANT_ORIGINAL);
  return std::string(reinterpret_cast<char*>(bin), len);
}

// A browser in miniature: keeps cookies, sends one request per connection.
class Browser {
 public:
  explicit Browser(uint16_t port) : port_(port) {}

  RawResponse Get(const std::string& target, const std::string& extra_headers = "") {
    return Send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + CookieLine() +
                extra_headers + "Connection: close\r\n\r\n");
  }
  RawResponse Post(const std::string& target, const std::map<std::string, std::string>& form) {
    std::string body;
    for (const auto& [name, value] : form) {
      if (!body.empty()) body += '&';
      body += PercentEncode(name) + "=" + PercentEncode(value);
    }
    return Send("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + CookieLine() +
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  }
  RawResponse Send(const std::string& raw) {
    auto response = testing::Fetch(port_, raw);
    EXPECT_TRUE(response) << raw;
    if (!response) return {};
    for (const auto& line : response->All("set-cookie")) {
      auto eq = line.find('=');
      auto semi = line.find(';');
      std::string name = line.substr(0, eq);
      std::string value = line.substr(eq + 1, semi - eq - 1);
      if (line.find("Max-Age=0") != std::string::npos) {
        cookies_.erase(name);
      } else {
        cookies_[name] = value;
      }
    }
    return *response;
  }

  // The value of the hidden csrf field of the last form in `html`.
  static std::string Csrf(const std::string& html) {
    auto at = html.rfind("name=\"csrf\" value=\"");
    if (at == std::string::npos) return "";
    at += 19;
    return html.substr(at, html.find('"', at) - at);
  }

  std::map<std::string, std::string> cookies_;

 private:
  std::string CookieLine() const {
    if (cookies_.empty()) return "";
    std::string line = "Cookie: ";
    for (const auto& [name, value] : cookies_) line += name + "=" + value + "; ";
    return line + "\r\n";
  }
  uint16_t port_;
};

class VaultServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rempart-server-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "runtime");
    ::setenv("XDG_RUNTIME_DIR", (dir_ / "runtime").c_str(), 1);
    vault_path_ = (dir_ / "vault.db").string();
    ASSERT_TRUE(
        Vault::Create(vault_path_, SecretBytes(std::string_view(kPassphrase)), FastKdf()).ok());
    auto vault = Vault::Open(vault_path_, SecretBytes(std::string_view(kPassphrase)));
    ASSERT_TRUE(vault.ok()) << vault.status().message();
    auto threats = (*vault)->CreateCase("Threats on Insta");
    ASSERT_TRUE(threats.ok());
    ASSERT_TRUE((*vault)->CreateCase("Empty case").ok());
    std::ofstream(dir_ / "screenshot.png", std::ios::binary) << Png();
    ASSERT_TRUE((*vault)->AddFile(threats->id, (dir_ / "screenshot.png").string()).ok());
    ASSERT_TRUE((*vault)
                    ->AddMessage(threats->id, {.text = "Pay or I post <script>alert(1)</script>",
                                               .sender = "@stalker",
                                               .platform = "Instagram",
                                               .received_at = "2026-11-28T21:30:00Z"})
                    .ok());
    ASSERT_TRUE((*vault)->AddNote(threats->id, "Called the helpline").ok());
    vault->reset();
    StartServer();
  }

  void StartServer(bool behind_tls = false) {
    ServeOptions options;
    options.behind_tls = behind_tls;
    options.vault_path = vault_path_;
    options.port = 0;
    options.web_dir = (fs::path(REMPART_SOURCE_DIR) / "web").string();
    auto server = VaultServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(server).value();
  }

  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  RawResponse Unlock(Browser& browser, const std::string& passphrase) {
    auto form = browser.Get("/unlock");
    return browser.Post("/unlock",
                        {{"csrf", Browser::Csrf(form.body)}, {"passphrase", passphrase}});
  }

  void UnlockOrFail(Browser& browser) {
    auto r = Unlock(browser, kPassphrase);
    ASSERT_EQ(r.status, 303) << r.body;
    ASSERT_EQ(r.Header("location"), "/cases");
  }

  fs::path dir_;
  std::string vault_path_;
  std::unique_ptr<VaultServer> server_;
};

void ExpectSecurityHeaders(const RawResponse& r) {
  std::string csp = r.Header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.Header("referrer-policy"), "no-referrer");
  EXPECT_EQ(r.Header("x-frame-options"), "DENY");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_F(VaultServerTest, LockedBrowserIsSentToUnlock) {
  Browser browser(server_->port());
  for (const char* path : {"/", "/cases", "/cases/1", "/entries/1", "/cases/1/bundle"}) {
    auto r = browser.Get(path);
    EXPECT_EQ(r.status, 303) << path;
    EXPECT_EQ(r.Header("location"), "/unlock") << path;
  }
}

TEST_F(VaultServerTest, UnlockPageIsAFormWithCsrfAndQuickExit) {
  Browser browser(server_->port());
  auto r = browser.Get("/unlock");
  EXPECT_EQ(r.status, 200);
  ExpectSecurityHeaders(r);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(Contains(r.body, "<html lang=\"en\">"));
  EXPECT_TRUE(Contains(r.body, "id=\"quick-exit\""));
  EXPECT_TRUE(Contains(r.body, "<label for=\"passphrase\">"));
  EXPECT_EQ(Browser::Csrf(r.body).size(), 64u);
  EXPECT_EQ(browser.cookies_["rempart_csrf"], Browser::Csrf(r.body));
  EXPECT_FALSE(Contains(r.body, "<script>"));  // only <script src=…>
}

TEST_F(VaultServerTest, WrongPassphraseShowsTheFormAgainWith401) {
  Browser browser(server_->port());
  auto r = Unlock(browser, "not it");
  EXPECT_EQ(r.status, 401);
  ExpectSecurityHeaders(r);
  EXPECT_TRUE(Contains(r.body, "aria-invalid=\"true\""));
  EXPECT_TRUE(Contains(r.body, "id=\"passphrase-error\""));
  EXPECT_EQ(browser.cookies_.count("rempart_session"), 0u);
  EXPECT_EQ(browser.Get("/cases").status, 303);
}

TEST_F(VaultServerTest, RightPassphraseOpensTheVault) {
  Browser browser(server_->port());
  auto form = browser.Get("/unlock");
  auto r =
      browser.Post("/unlock", {{"csrf", Browser::Csrf(form.body)}, {"passphrase", kPassphrase}});
  ASSERT_EQ(r.status, 303);
  std::string cookie;
  for (const auto& line : r.All("set-cookie")) {
    if (line.rfind("rempart_session=", 0) == 0) cookie = line;
  }
  EXPECT_TRUE(Contains(cookie, "; HttpOnly"));
  EXPECT_TRUE(Contains(cookie, "SameSite=Strict"));
  EXPECT_TRUE(Contains(cookie, "Path=/"));
  EXPECT_FALSE(Contains(cookie, "Secure"));
  EXPECT_EQ(browser.cookies_["rempart_session"].size(), 64u);

  auto cases = browser.Get("/cases");
  EXPECT_EQ(cases.status, 200);
  ExpectSecurityHeaders(cases);
  EXPECT_TRUE(Contains(cases.body, "Threats on Insta"));
  EXPECT_TRUE(Contains(cases.body, "Entries: 3"));
  EXPECT_TRUE(Contains(cases.body, "Empty case"));
  EXPECT_TRUE(Contains(cases.body, "action=\"/lock\""));
  EXPECT_EQ(browser.Get("/unlock").status, 303);  // already open
}

TEST_F(VaultServerTest, CookiesAreSecureBehindTls) {
  server_.reset();
  StartServer(/*behind_tls=*/true);
  Browser browser(server_->port());
  auto form = browser.Get("/unlock");
  EXPECT_TRUE(Contains(form.Header("set-cookie"), "; Secure"));
  auto r =
      browser.Post("/unlock", {{"csrf", Browser::Csrf(form.body)}, {"passphrase", kPassphrase}});
  ASSERT_EQ(r.status, 303);
  EXPECT_TRUE(Contains(r.Header("set-cookie"), "; Secure"));
}

TEST_F(VaultServerTest, UnlockWithoutTheCsrfTokenIsRefused) {
  Browser browser(server_->port());
  browser.Get("/unlock");
  auto missing = browser.Post("/unlock", {{"passphrase", kPassphrase}});
  EXPECT_EQ(missing.status, 403);
  auto wrong =
      browser.Post("/unlock", {{"csrf", std::string(64, 'a')}, {"passphrase", kPassphrase}});
  EXPECT_EQ(wrong.status, 403);
  Browser no_cookie(server_->port());
  auto forged =
      no_cookie.Post("/unlock", {{"csrf", std::string(64, 'a')}, {"passphrase", kPassphrase}});
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(browser.cookies_.count("rempart_session"), 0u);
}

TEST_F(VaultServerTest, LockNeedsTheSessionCsrfToken) {
  Browser browser(server_->port());
  UnlockOrFail(browser);
  auto page = browser.Get("/cases");
  std::string csrf = Browser::Csrf(page.body);
  ASSERT_EQ(csrf.size(), 64u);
  EXPECT_EQ(browser.Post("/lock", {}).status, 403);
  EXPECT_EQ(browser.Post("/lock", {{"csrf", std::string(64, '0')}}).status, 403);
  EXPECT_EQ(browser.Get("/cases").status, 200);  // still open

  auto locked = browser.Post("/lock", {{"csrf", csrf}});
  EXPECT_EQ(locked.status, 303);
  EXPECT_EQ(locked.Header("location"), "/unlock?locked=1");
  EXPECT_EQ(browser.cookies_.count("rempart_session"), 0u);
  EXPECT_EQ(browser.Get("/cases").status, 303);
}

TEST_F(VaultServerTest, AStolenOldCookieIsUselessAfterLock) {
  Browser browser(server_->port());
  UnlockOrFail(browser);
  std::string token = browser.cookies_["rempart_session"];
  browser.Post("/lock", {{"csrf", Browser::Csrf(browser.Get("/cases").body)}});
  Browser thief(server_->port());
  thief.cookies_["rempart_session"] = token;
  auto r = thief.Get("/cases");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.Header("location"), "/unlock?locked=idle");
}

TEST_F(VaultServerTest, CasePageListsEntries) {
  Browser browser(server_->port());
  UnlockOrFail(browser);
  auto r = browser.Get("/cases/1");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Contains(r.body, "#1"));
  EXPECT_TRUE(Contains(r.body, "screenshot.png"));
  EXPECT_TRUE(Contains(r.body, "@stalker on Instagram"));
  EXPECT_TRUE(Contains(r.body, "Called the helpline"));
  EXPECT_TRUE(Contains(r.body, "<img src=\"/entries/1/content\""));
  EXPECT_TRUE(Contains(r.body, "href=\"/cases/1/bundle\""));
  EXPECT_TRUE(Contains(r.body, "…</code>"));  // shortened SHA-256
  EXPECT_EQ(browser.Get("/cases/99").status, 404);
  EXPECT_EQ(browser.Get("/cases/abc").status, 404);
  EXPECT_EQ(browser.Get("/cases/2").status, 200);
}

TEST_F(VaultServerTest, EntryPageEscapesMessageText) {
  Browser browser(server_->port());
  UnlockOrFail(browser);
  auto r = browser.Get("/entries/2");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Contains(r.body, "Pay or I post &lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_FALSE(Contains(r.body, "<script>alert"));
  EXPECT_TRUE(Contains(r.body, "Instagram"));
  EXPECT_EQ(browser.Get("/entries/999").status, 404);
}

TEST_F(VaultServerTest, ImagesAreInlineEverythingElseIsAnAttachment) {
  Browser browser(server_->port());
  UnlockOrFail(browser);
  auto image = browser.Get("/entries/1/content");
  ASSERT_EQ(image.status, 200);
  EXPECT_EQ(image.Header("content-type"), "image/png");
  EXPECT_EQ(image.Header("content-disposition").rfind("inline;", 0), 0u);
  EXPECT_EQ(image.body, Png());
  EXPECT_TRUE(Contains(image.Header("content-security-policy"), "sandbox"));
  EXPECT_EQ(image.Header("cache-control"), "no-store");

  auto message = browser.Get("/entries/2/content");
  ASSERT_EQ(message.status, 200);
  EXPECT_EQ(message.Header("content-disposition").rfind("attachment;", 0), 0u);
  EXPECT_EQ(message.Header("content-type"), "application/octet-stream");
}

TEST_F(VaultServerTest, BundleIsAZipAndLeavesNoTemporaryFile) {
  Browser browser(server_->port());
  UnlockOrFail(browser);
  auto r = browser.Get("/cases/1/bundle");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/zip");
  EXPECT_EQ(r.Header("content-disposition"), "attachment; filename=\"case-1-bundle.zip\"");
  ASSERT_GT(r.body.size(), 4u);
  EXPECT_EQ(r.body.substr(0, 2), "PK");
  EXPECT_TRUE(Contains(r.body, "manifest.json"));
  EXPECT_TRUE(fs::is_empty(dir_ / "runtime"));
}

TEST_F(VaultServerTest, StaticFilesAndNoPathTraversal) {
  Browser browser(server_->port());
  auto css = browser.Get("/static/style.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("content-type"), "text/css; charset=utf-8");
  ExpectSecurityHeaders(css);
  EXPECT_EQ(browser.Get("/static/quick-exit.js").status, 200);
  for (const char* path :
       {"/static/../templates/layout.html", "/static/..%2ftemplates%2flayout.html",
        "/static/%2e%2e%2f%2e%2e%2fCMakeLists.txt", "/static/..%5c..%5cCMakeLists.txt",
        "/static/.%2e/templates/layout.html", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
        "/static/..", "/static/.", "/static/nope.css", "/static/style.css%00.js",
        "/templates/layout.html", "/web/static/style.css"}) {
    auto r = browser.Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_FALSE(Contains(r.body, "{{")) << path;
  }
}

TEST_F(VaultServerTest, LanguageFromQueryCookieOrAcceptLanguage) {
  Browser browser(server_->port());
  EXPECT_TRUE(Contains(browser.Get("/unlock", "Accept-Language: fr-CH, fr;q=0.9\r\n").body,
                       "<html lang=\"fr\">"));
  EXPECT_TRUE(Contains(browser.Get("/unlock").body, "<html lang=\"en\">"));
  auto switched = browser.Get("/unlock?lang=fr");
  EXPECT_TRUE(Contains(switched.body, "<html lang=\"fr\">"));
  EXPECT_EQ(browser.cookies_["rempart_lang"], "fr");
  EXPECT_TRUE(Contains(browser.Get("/unlock").body, "<html lang=\"fr\">"));
  EXPECT_TRUE(Contains(browser.Get("/unlock?lang=xx").body, "<html lang=\"fr\">"));
  EXPECT_TRUE(Contains(browser.Get("/unlock?lang=en").body, "<html lang=\"en\">"));
}

TEST_F(VaultServerTest, RepeatedFailuresAreThrottled) {
  Browser browser(server_->port());
  for (int i = 0; i <= UnlockThrottle::kFreeFailures; ++i) {
    EXPECT_EQ(Unlock(browser, "guess").status, 401);
  }
  auto r = Unlock(browser, kPassphrase);  // even the right one must wait
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.Header("retry-after"), "1");
}

TEST_F(VaultServerTest, ErrorsAreCleanPages) {
  Browser browser(server_->port());
  auto missing = browser.Get("/nope");
  EXPECT_EQ(missing.status, 404);
  ExpectSecurityHeaders(missing);
  EXPECT_TRUE(Contains(missing.body, "id=\"quick-exit\""));
  auto method =
      browser.Send("DELETE /unlock HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.Header("allow"), "GET, POST");
  auto bad = browser.Send("BLAH\r\n\r\n");
  EXPECT_EQ(bad.status, 400);
  ExpectSecurityHeaders(bad);
  auto absolute = browser.Send("GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(absolute.status, 400);
  std::string big(70 * 1024, 'a');
  auto too_big = browser.Send("POST /unlock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                              std::to_string(big.size()) + "\r\n\r\n" + big);
  EXPECT_EQ(too_big.status, 413);
  EXPECT_TRUE(Contains(too_big.body, "<html"));
}

TEST_F(VaultServerTest, RefusesOtherHostNamesAgainstDnsRebinding) {
  Browser browser(server_->port());
  UnlockOrFail(browser);
  auto r =
      browser.Send("GET /cases HTTP/1.1\r\nHost: evil.example:8080\r\nCookie: rempart_session=" +
                   browser.cookies_["rempart_session"] + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.status, 421);
  EXPECT_FALSE(Contains(r.body, "Threats on Insta"));
  ExpectSecurityHeaders(r);
  for (const char* host : {"localhost:1234", "127.0.0.1", "[::1]:80", "LOCALHOST"}) {
    auto ok = browser.Send(std::string("GET /cases HTTP/1.1\r\nHost: ") + host +
                           "\r\nCookie: rempart_session=" + browser.cookies_["rempart_session"] +
                           "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(ok.status, 200) << host;
  }
}

TEST_F(VaultServerTest, MissingVaultSaysHowToCreateOne) {
  server_.reset();
  fs::remove(vault_path_);
  StartServer();
  Browser browser(server_->port());
  auto r = browser.Get("/unlock");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(Contains(r.body, "rempart init"));
  EXPECT_TRUE(Contains(r.body, "vault.db"));
}

TEST_F(VaultServerTest, WipedVaultSaysSo) {
  server_.reset();
  ASSERT_TRUE(Vault::Wipe(vault_path_).ok());
  StartServer();
  Browser browser(server_->port());
  auto r = Unlock(browser, kPassphrase);
  EXPECT_EQ(r.status, 410);
  EXPECT_TRUE(Contains(r.body, "rempart init"));
}

TEST(VaultServerOptionsTest, RefusesNonLoopbackWithoutAllowRemote) {
  ServeOptions options;
  options.port = 0;
  options.bind = "0.0.0.0";
  options.web_dir = (fs::path(REMPART_SOURCE_DIR) / "web").string();
  auto server = VaultServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), Code::kUsage);
  options.bind = "not an address";
  EXPECT_EQ(VaultServer::Start(options).status().code(), Code::kUsage);
  options.bind = "::1";
  options.port = 70000;
  EXPECT_EQ(VaultServer::Start(options).status().code(), Code::kUsage);
}

}  // namespace
}  // namespace rempart::server
