// The media page over a real server on a loopback port, with no vault at all.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/i18n.h"
#include "server/http_client_for_test.h"
#include "server/media_photo_for_test.h"
#include "server/vault_server.h"

namespace rempart::server {
namespace {

namespace fs = std::filesystem;
using testing::RawResponse;

constexpr char kBoundary[] = "----RempartTestBoundary7MA4YWxkTrZu0gW";

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

struct Upload {
  std::string action = "check";
  std::string filename = "photo.jpg";
  std::string data;
  std::map<std::string, std::string> fields;  // besides csrf, action and file
};

class MediaServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(64); }

  void StartServer(int max_upload_mb) {
    server_.reset();
    ServeOptions options;
    options.vault_path =
        (fs::temp_directory_path() / "rempart-no-vault-here" / "vault.db").string();
    options.port = 0;
    options.max_upload_mb = max_upload_mb;
    options.web_dir = (fs::path(REMPART_SOURCE_DIR) / "web").string();
    auto server = VaultServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(server).value();
  }

  RawResponse Get(const std::string& target, const std::string& extra_headers = "") {
    auto r = testing::Fetch(server_->port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                                 extra_headers + "Connection: close\r\n\r\n");
    EXPECT_TRUE(r);
    return r.value_or(RawResponse{});
  }

  // The form's CSRF token: the rempart_csrf cookie the page sets, which the form repeats.
  std::string Csrf() {
    if (csrf_.empty()) {
      RawResponse page = Get("/media");
      for (const auto& line : page.All("set-cookie")) {
        if (line.rfind("rempart_csrf=", 0) == 0) csrf_ = line.substr(13, 64);
      }
      EXPECT_EQ(csrf_.size(), 64u);
    }
    return csrf_;
  }

  static std::string Body(const Upload& upload, const std::string& csrf) {
    std::string body;
    auto part = [&](const std::string& disposition, const std::string& value) {
      body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; " + disposition +
              "\r\n\r\n" + value + "\r\n";
    };
    part("name=\"csrf\"", csrf);
    body += std::string("--") + kBoundary +
            "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + upload.filename +
            "\"\r\nContent-Type: image/jpeg\r\n\r\n" + upload.data + "\r\n";
    part("name=\"action\"", upload.action);
    for (const auto& [name, value] : upload.fields) part("name=\"" + name + "\"", value);
    return body + "--" + kBoundary + "--\r\n";
  }

  RawResponse Post(const Upload& upload, const std::string& extra_headers = "",
                   std::optional<std::string> csrf = std::nullopt) {
    std::string token = csrf.value_or(Csrf());
    std::string body = Body(upload, token);
    std::string request =
        "POST /media HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: rempart_csrf=" + Csrf() +
        "\r\nContent-Type: multipart/form-data; boundary=" + kBoundary +
        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers +
        "Connection: close\r\n\r\n" + body;
    auto r = testing::Fetch(server_->port(), request);
    EXPECT_TRUE(r);
    return r.value_or(RawResponse{});
  }

  std::unique_ptr<VaultServer> server_;
  std::string csrf_;
};

TEST_F(MediaServerTest, TheFormWorksWithoutAVault) {
  RawResponse r = Get("/media");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Contains(r.body, "enctype=\"multipart/form-data\""));
  EXPECT_TRUE(Contains(r.body, "type=\"file\""));
  EXPECT_TRUE(Contains(r.body, "id=\"quick-exit\""));
  EXPECT_TRUE(Contains(r.body, "up to 64 MB"));
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  EXPECT_FALSE(Contains(r.Header("content-security-policy"), "data:"));
  EXPECT_EQ(Csrf().size(), 64u);
  // Every page links to it, the vault's too.
  EXPECT_TRUE(Contains(Get("/unlock").body, "href=\"/media\""));
}

TEST_F(MediaServerTest, CheckNamesTheLocation) {
  std::string jpeg = testing::JpegWithGps();
  ASSERT_FALSE(jpeg.empty());
  RawResponse r = Post({.data = jpeg});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Contains(r.body, "Where it was taken")) << r.body;
  EXPECT_TRUE(Contains(r.body, "48.85821, 2.29444"));
  EXPECT_TRUE(Contains(r.body, "Canon"));
  EXPECT_TRUE(Contains(r.body, "What photo.jpg reveals"));
  EXPECT_TRUE(Contains(r.body, "No face found"));
  EXPECT_FALSE(Contains(r.body, "Nothing found that identifies"));
  EXPECT_TRUE(Contains(r.body, "choose it again")) << "the form follows, to clean the file";
  EXPECT_EQ(r.Header("cache-control"), "no-store");
}

TEST_F(MediaServerTest, CheckSaysWhenNothingIsFound) {
  std::string jpeg = testing::JpegWithGps();
  Upload clean{.action = "clean", .data = jpeg};
  RawResponse cleaned = Post(clean);
  ASSERT_EQ(cleaned.status, 200);
  RawResponse r = Post({.data = cleaned.body});
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(
      Contains(r.body, "Nothing found that identifies a person, a place, a device or a time."));
}

TEST_F(MediaServerTest, CleanDownloadsTheSamePictureWithoutExif) {
  std::string jpeg = testing::JpegWithGps();
  RawResponse r =
      Post({.action = "clean", .filename = "C:\\Users\\me\\My %22photo%22.JPEG", .data = jpeg});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "image/jpeg");
  EXPECT_EQ(r.Header("content-disposition"), "attachment; filename=\"My_photo.clean.jpeg\"");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  EXPECT_TRUE(Contains(r.Header("content-security-policy"), "sandbox"));
  ASSERT_GT(r.body.size(), 4u);
  EXPECT_EQ(r.body.substr(0, 2), "\xFF\xD8");
  EXPECT_FALSE(Contains(r.body, std::string_view("Exif\0\0", 6)));
  EXPECT_FALSE(Contains(r.body, "Canon"));
  ASSERT_FALSE(testing::ScanData(jpeg).empty());
  EXPECT_EQ(testing::ScanData(r.body), testing::ScanData(jpeg)) << "lossless";
}

TEST_F(MediaServerTest, FrenchBrowsersGetFrench) {
  RawResponse r = Post({.data = testing::JpegWithGps()}, "Accept-Language: fr-FR,fr;q=0.9\r\n");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Contains(r.body, "<html lang=\"fr\">"));
  EXPECT_TRUE(Contains(r.body, "Sortie rapide"));
  EXPECT_TRUE(Contains(r.body, "Vérifiez une photo ou une vidéo avant de la publier"));
  Translator fr = Translator::ForLanguage("fr");
  EXPECT_TRUE(Contains(r.body, "<dt>" + fr.tr("Where it was taken") + "</dt>"));
  EXPECT_TRUE(Contains(r.body, fr.tr("Check a photo or video")));
}

TEST_F(MediaServerTest, TooLargeGets413WithTheLimit) {
  StartServer(1);
  csrf_.clear();
  // Declared too large: refused as soon as the header arrives, before the body is read.
  testing::RawConnection connection(server_->port());
  ASSERT_TRUE(connection.Send(
      "POST /media HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
      "boundary=x\r\nContent-Length: 5000000\r\n\r\n"));
  auto early = testing::ParseResponse(connection.ReadUntilClosed());
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 413);
  EXPECT_TRUE(Contains(early->body, "larger than 1 MB")) << early->body;
  EXPECT_TRUE(Contains(early->body, "rempart scrub"));
  EXPECT_TRUE(Contains(early->body, "type=\"file\"")) << "the form again";

  // Within the request limit, which leaves room for the form, but over the file limit.
  std::string data = testing::JpegWithGps();
  data.resize((1 << 20) + 1000, '\0');
  RawResponse r = Post({.data = data});
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(Contains(r.body, "larger than 1 MB"));

  // Elsewhere the small limit of ordinary forms still applies.
  std::string big(200 * 1024, 'a');
  auto other = testing::Fetch(server_->port(),
                              "POST /unlock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                                  std::to_string(big.size()) + "\r\n\r\n" + big);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 413);
}

TEST_F(MediaServerTest, ALargeUploadIsFine) {
  // Far above the 64 KiB limit of other forms: a PNG-sized photo with padding after its end.
  std::string data = testing::JpegWithGps();
  data += std::string(3 << 20, '\x55');
  RawResponse r = Post({.data = data});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Contains(r.body, "Data after the image"));
}

TEST_F(MediaServerTest, HostileFilesGetAnExplainedErrorPage) {
  RawResponse garbage = Post({.data = "this is not a photo at all, just some text"});
  EXPECT_EQ(garbage.status, 415);
  EXPECT_TRUE(Contains(garbage.body, "Not a photo or video format Rempart knows")) << garbage.body;
  EXPECT_TRUE(Contains(garbage.body, "role=\"alert\""));
  EXPECT_TRUE(Contains(garbage.body, "id=\"quick-exit\""));

  std::string jpeg = testing::JpegWithGps();
  // Cut inside the Exif block: the report says the file is damaged, as `rempart inspect` does…
  RawResponse damaged = Post({.data = jpeg.substr(0, 60)});
  EXPECT_EQ(damaged.status, 200);
  EXPECT_TRUE(Contains(damaged.body, "damaged after")) << damaged.body;
  EXPECT_FALSE(Contains(damaged.body, "Nothing found"));
  for (const char* action : {"clean", "preview", "redact"}) {
    // … and nothing can be made of it.
    RawResponse cut = Post({.action = action, .data = jpeg.substr(0, 60)});
    EXPECT_GE(cut.status, 400) << action;
    EXPECT_LT(cut.status, 500) << action << cut.body;
    EXPECT_TRUE(Contains(cut.body, "role=\"alert\"")) << action;
  }
  for (const char* action : {"check", "clean", "preview", "redact"}) {
    // Cut inside the picture: an answer either way, never a crash or a server error.
    RawResponse half = Post({.action = action, .data = jpeg.substr(0, jpeg.size() / 2)});
    EXPECT_NE(half.status, 0) << action;
    EXPECT_LT(half.status, 500) << action << half.body;
  }

  // A header that claims 60000 x 60000 pixels: no decoding is even tried.
  std::string huge = jpeg;
  size_t sof = huge.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  huge.replace(sof + 5, 4, testing::Be16(60000) + testing::Be16(60000));
  RawResponse redact = Post({.action = "redact", .data = huge, .fields = {{"faces", "1"}}});
  EXPECT_EQ(redact.status, 422) << redact.body;
  EXPECT_TRUE(Contains(redact.body, "too large")) << redact.body;
  RawResponse check = Post({.data = huge});
  EXPECT_EQ(check.status, 200) << "the metadata report still helps";
  EXPECT_TRUE(Contains(check.body, "Faces could not be searched"));

  RawResponse empty = Post({.filename = "", .data = ""});
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(Contains(empty.body, "Choose a photo or video first."));

  RawResponse action = Post({.action = "format-disk", .data = jpeg});
  EXPECT_EQ(action.status, 400);
}

TEST_F(MediaServerTest, MalformedUploadsGet400) {
  std::string body = "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc";  // cut
  auto r = testing::Fetch(
      server_->port(),
      "POST /media HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x"
      "\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(Contains(r->body, "damaged or incomplete"));
  auto urlencoded = testing::Fetch(
      server_->port(),
      "POST /media HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
      "\r\nContent-Length: 3\r\nConnection: close\r\n\r\na=b");
  ASSERT_TRUE(urlencoded);
  EXPECT_EQ(urlencoded->status, 400);
}

TEST_F(MediaServerTest, TheFormNeedsItsCsrfToken) {
  std::string jpeg = testing::JpegWithGps();
  EXPECT_EQ(Post({.action = "clean", .data = jpeg}, "", std::string(64, 'a')).status, 403);
  EXPECT_EQ(Post({.action = "clean", .data = jpeg}, "", std::string()).status, 403);
}

TEST_F(MediaServerTest, PreviewShowsTheFramesInline) {
  std::string jpeg = testing::JpegWithGps();
  RawResponse r = Post({.action = "preview", .data = jpeg, .fields = {{"regions", "10,10,20,20"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Contains(r.body, "src=\"data:image/jpeg;base64,/9j/"));
  EXPECT_TRUE(Contains(r.body, "<code>10,10,20,20</code> area"));
  EXPECT_TRUE(Contains(r.body, "Faces found: 0"));
  EXPECT_TRUE(Contains(r.body, "value=\"10,10,20,20\"")) << "the areas stay in the form";
  EXPECT_TRUE(Contains(r.Header("content-security-policy"), "img-src 'self' data:"));
  EXPECT_FALSE(Contains(r.Header("content-security-policy"), "unsafe"));
}

TEST_F(MediaServerTest, HideFacesDownloadsARedactedPhotoWithoutMetadata) {
  std::string jpeg = testing::JpegWithGps();
  RawResponse none = Post({.action = "redact", .data = jpeg, .fields = {{"faces", "1"}}});
  EXPECT_EQ(none.status, 422) << "no face in a gradient: nothing hidden is an error";
  EXPECT_TRUE(Contains(none.body, "No face was found"));

  RawResponse r = Post({.action = "redact",
                        .filename = "IMG_1.jpg",
                        .data = jpeg,
                        .fields = {{"regions", "0,0,32,32; 50%,50%,10%,10%"}, {"style", "solid"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-disposition"), "attachment; filename=\"IMG_1.redacted.jpg\"");
  EXPECT_EQ(r.Header("content-type"), "image/jpeg");
  EXPECT_EQ(r.body.substr(0, 2), "\xFF\xD8");
  EXPECT_FALSE(Contains(r.body, std::string_view("Exif\0\0", 6)));

  RawResponse bad = Post({.action = "redact", .data = jpeg, .fields = {{"regions", "1,2,3"}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Contains(bad.body, "The region &quot;1,2,3&quot; is not valid"));
}

TEST_F(MediaServerTest, VideosAreCleanedButNotRedacted) {
  fs::path video = "/work/shared/testdata/media/synthetic/video.mp4";
  if (!fs::exists(video)) GTEST_SKIP() << "no " << video;
  std::ifstream in(video, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  RawResponse check = Post({.filename = "video.mp4", .data = data});
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_TRUE(Contains(check.body, "Faces are not searched in videos."));
  RawResponse clean = Post({.action = "clean", .filename = "video.mp4", .data = data});
  ASSERT_EQ(clean.status, 200) << clean.body;
  EXPECT_EQ(clean.Header("content-type"), "video/mp4");
  EXPECT_EQ(clean.Header("content-disposition"), "attachment; filename=\"video.clean.mp4\"");
  RawResponse redact = Post({.action = "redact", .filename = "video.mp4", .data = data});
  EXPECT_EQ(redact.status, 422);
}

}  // namespace
}  // namespace rempart::server
