#include "server/download_name.h"

#include <gtest/gtest.h>

namespace rempart::server {
namespace {

TEST(DownloadNameTest, KeepsTheStemAndTakesTheServersExtension) {
  EXPECT_EQ(DownloadName("photo.jpg", "clean", "jpg", "photo"), "photo.clean.jpg");
  EXPECT_EQ(DownloadName("IMG_2041.HEIC", "redacted", "jpg", "photo"), "IMG_2041.redacted.jpg");
  EXPECT_EQ(DownloadName("holiday.png.exe", "clean", "png", "photo"), "holiday_png.clean.png");
  EXPECT_EQ(DownloadName("no-extension", "clean", "mp4", "video"), "no-extension.clean.mp4");
}

TEST(DownloadNameTest, DropsPathsAndEverythingUnsafe) {
  EXPECT_EQ(DownloadName("C:\\Users\\me\\Pictures\\me.jpg", "clean", "jpg", "photo"),
            "me.clean.jpg");
  EXPECT_EQ(DownloadName("../../etc/passwd", "clean", "jpg", "photo"), "passwd.clean.jpg");
  EXPECT_EQ(DownloadName("a\"; filename=\"evil.html", "clean", "jpg", "photo"),
            "a_filename_evil.clean.jpg");
  EXPECT_EQ(DownloadName("line\r\nSet-Cookie: x=1.jpg", "clean", "jpg", "photo"),
            "line_Set-Cookie_x_1.clean.jpg");
  EXPECT_EQ(DownloadName("été à Paris.jpg", "clean", "jpg", "photo"), "t_Paris.clean.jpg");
  EXPECT_EQ(DownloadName("-rf.jpg", "clean", "jpg", "photo"), "rf.clean.jpg");
  EXPECT_EQ(DownloadName(".hidden", "clean", "jpg", "photo"), "hidden.clean.jpg");
}

TEST(DownloadNameTest, FallsBackWhenNothingIsLeft) {
  EXPECT_EQ(DownloadName("", "clean", "jpg", "photo"), "photo.clean.jpg");
  EXPECT_EQ(DownloadName("写真.jpg", "clean", "jpg", "photo"), "photo.clean.jpg");
  EXPECT_EQ(DownloadName("dir/", "clean", "mov", "video"), "video.clean.mov");
  EXPECT_EQ(DownloadName("...", "clean", "jpg", "photo"), "photo.clean.jpg");
}

TEST(DownloadNameTest, CutsLongNames) {
  std::string name = DownloadName(std::string(5000, 'a') + ".jpg", "clean", "jpg", "photo");
  EXPECT_EQ(name, std::string(64, 'a') + ".clean.jpg");
}

TEST(DisplayNameTest, ShowsTheNameWithoutControlsOrBrokenText) {
  EXPECT_EQ(DisplayName("été à Paris.jpg"), "été à Paris.jpg");
  EXPECT_EQ(DisplayName("C:\\Users\\me\\photo.jpg"), "photo.jpg");
  EXPECT_EQ(DisplayName("a\r\nb.jpg"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b.jpg");
  EXPECT_EQ(DisplayName("bad\xFF\xC3.jpg"), "bad\xEF\xBF\xBD\xEF\xBF\xBD.jpg");
  EXPECT_EQ(DisplayName("photo\xE2\x80\xAEgpj.exe"), "photo\xEF\xBF\xBDgpj.exe");
  EXPECT_EQ(DisplayName("\xC2\x85x"), "\xEF\xBF\xBDx");                            // C1 control
  EXPECT_EQ(DisplayName("\xE0\x80\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  std::string long_name(150, 'x');
  EXPECT_EQ(DisplayName(long_name), std::string(100, 'x') + "…");
}

TEST(UploadedExtensionTest, LowerCasesTheLastExtension) {
  EXPECT_EQ(UploadedExtension("a.JPEG"), "jpeg");
  EXPECT_EQ(UploadedExtension("a.tar.GZ"), "gz");
  EXPECT_EQ(UploadedExtension("noext"), "");
  EXPECT_EQ(UploadedExtension(".profile"), "");
  EXPECT_EQ(UploadedExtension("dir.d/file"), "");
}

}  // namespace
}  // namespace rempart::server
