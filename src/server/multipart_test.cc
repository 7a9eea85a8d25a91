#include "server/multipart.h"

#include <gtest/gtest.h>

#include <string>

namespace rempart::server {
namespace {

constexpr char kBoundary[] = "----WebKitFormBoundaryx8KMsU3J2cVbD8Ru";

// A body the way Chromium writes it.
std::string Body(const std::vector<std::string>& parts) {
  std::string body;
  for (const auto& part : parts) body += std::string("--") + kBoundary + "\r\n" + part + "\r\n";
  return body + "--" + kBoundary + "--\r\n";
}

std::string Field(const std::string& name, const std::string& value) {
  return "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value;
}

std::string FilePart(const std::string& name, const std::string& filename,
                     const std::string& data) {
  return "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename +
         "\"\r\nContent-Type: image/jpeg\r\n\r\n" + data;
}

TEST(MultipartBoundaryTest, ReadsTheBoundaryOfAFormUpload) {
  auto b = MultipartBoundary(std::string("multipart/form-data; boundary=") + kBoundary);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(*b, kBoundary);
  auto quoted = MultipartBoundary("Multipart/Form-Data;BOUNDARY=\"a b'()+_,-./:=?\"");
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ(*quoted, "a b'()+_,-./:=?");
}

TEST(MultipartBoundaryTest, RefusesOtherTypesAndBadBoundaries) {
  for (const char* type :
       {"", "application/x-www-form-urlencoded", "multipart/mixed; boundary=abc",
        "multipart/form-data",
        "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"abc", "multipart/form-data; boundary=a;boundary=b",
        "multipart/form-data; boundary=\"ends with space \"",
        "multipart/form-data; boundary=\"bad\\char\"", "multipart/form-data; boundary=a\"b"}) {
    EXPECT_FALSE(MultipartBoundary(type).ok()) << type;
  }
  std::string long_boundary(71, 'a');
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + long_boundary).ok());
  EXPECT_TRUE(MultipartBoundary("multipart/form-data; boundary=" + long_boundary.substr(1)).ok());
}

TEST(MultipartTest, ReadsFieldsAndAFile) {
  std::string jpeg("\xFF\xD8\xFF\xE0\r\n--not-the-boundary\r\n\0\xFF\xD9", 27);
  std::string body = Body({Field("csrf", "abc"), FilePart("file", "photo.jpg", jpeg),
                           Field("action", "clean"), Field("regions", "")});
  auto form = ParseMultipart(body, kBoundary);
  ASSERT_TRUE(form.ok()) << form.status().message();
  ASSERT_EQ(form->parts.size(), 4u);
  EXPECT_EQ(form->Field("csrf"), "abc");
  EXPECT_EQ(form->Field("action"), "clean");
  EXPECT_EQ(form->Field("regions"), "");
  EXPECT_FALSE(form->Field("missing"));
  EXPECT_FALSE(form->Field("file")) << "a file is not a text field";
  const MultipartPart* file = form->File("file");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "photo.jpg");
  EXPECT_EQ(file->content_type, "image/jpeg");
  EXPECT_EQ(file->data, jpeg);
  EXPECT_EQ(file->data.data(), body.data() + body.find(jpeg)) << "a view, not a copy";
  EXPECT_EQ(form->File("csrf"), nullptr);
}

TEST(MultipartTest, NoFileChosenIsNoFile) {
  std::string body = Body({FilePart("file", "", "")});
  auto form = ParseMultipart(body, kBoundary);
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->File("file"), nullptr);
  EXPECT_NE(form->Find("file"), nullptr);
}

TEST(MultipartTest, ReadsFileNamesTheWayBrowsersWriteThem) {
  // Browsers percent-encode quotes and line breaks, and only those; backslashes and UTF-8
  // come as they are.
  std::string body = Body({FilePart("file", "C:\\x\\%22été%22%0D%0A%2F.jpg", "x")});
  auto form = ParseMultipart(body, kBoundary);
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->File("file")->filename, "C:\\x\\\"été\"\r\n%2F.jpg");
}

TEST(MultipartTest, AcceptsWhatOtherClientsSend) {
  // curl: no line break after the close delimiter, unquoted parameters, odd spacing and case.
  std::string body = std::string("--") + kBoundary +
                     "\r\ncontent-disposition: Form-Data ;name=action\r\n"
                     "Content-Transfer-Encoding: binary\r\nX-Other: ignored\r\n\r\ncheck\r\n--" +
                     kBoundary + "--";
  auto form = ParseMultipart(body, kBoundary);
  ASSERT_TRUE(form.ok()) << form.status().message();
  EXPECT_EQ(form->Field("action"), "check");
  auto empty = ParseMultipart(std::string("--") + kBoundary + "--\r\n", kBoundary);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->parts.empty());
}

TEST(MultipartTest, RefusesMalformedBodies) {
  const std::string b = kBoundary;
  const std::string field = Field("a", "1");
  std::vector<std::string> bodies = {
      "",
      "preamble\r\n--" + b + "\r\n" + field + "\r\n--" + b + "--\r\n",  // no preamble allowed
      "--" + b + "\r\n" + field,                                        // cut short
      "--" + b + "\r\n" + field + "\r\n--" + b,                         // no close
      "--" + b + "\r\n" + field + "\r\n--" + b + "--\r\nepilogue",      // epilogue
      "--" + b + "\n" + field + "\r\n--" + b + "--\r\n",                // bare LF
      "--" + b + "X\r\n" + field + "\r\n--" + b + "--\r\n",             // longer boundary
      "--" + b + "\r\n" + field + "\r\n--" + b + "X\r\n--" + b + "--\r\n",
      "--" + b + "\r\nContent-Type: text/plain\r\n\r\n1\r\n--" + b + "--\r\n",  // no disposition
      "--" + b + "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--" + b + "--\r\n",
      "--" + b + "\r\nContent-Disposition: form-data\r\n\r\n1\r\n--" + b + "--\r\n",  // no name
      "--" + b + "\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n--" + b + "--\r\n",
      "--" + b + "\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--" + b + "--\r\n",
      "--" + b + "\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\n1\r\n--" + b +
          "--\r\n",
      "--" + b + "\r\nContent-Disposition: form-data; name=\"a\"\r\n folded\r\n\r\n1\r\n--" + b +
          "--\r\n",
      "--" + b + "\r\nContent-Disposition: form-data; name=\"a\"\r\nBad Header: x\r\n\r\n1\r\n--" +
          b + "--\r\n",
      "--" + b + "\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: " +
          "base64\r\n\r\nMQ==\r\n--" + b + "--\r\n",
      "--" + b + "\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x\x01y\"\r\n\r\n1" +
          "\r\n--" + b + "--\r\n",
      "--" + b + "\r\nContent-Disposition: form-data; name=\"a\"\r\n" +
          "Content-Disposition: form-data; name=\"b\"\r\n\r\n1\r\n--" + b + "--\r\n",
      Body({field, field}),  // the same name twice
  };
  for (const auto& body : bodies) {
    auto form = ParseMultipart(body, kBoundary);
    EXPECT_FALSE(form.ok()) << body;
    if (!form.ok()) {
      EXPECT_EQ(form.status().code(), Code::kInvalidInput);
    }
  }
}

TEST(MultipartTest, EnforcesItsLimits) {
  MultipartLimits limits;
  limits.max_parts = 3;
  limits.max_field_bytes = 10;
  limits.max_part_header_bytes = 100;
  EXPECT_TRUE(
      ParseMultipart(Body({Field("a", "1"), Field("b", "2"), Field("c", "3")}), kBoundary, limits)
          .ok());
  EXPECT_FALSE(
      ParseMultipart(Body({Field("a", "1"), Field("b", "2"), Field("c", "3"), Field("d", "4")}),
                     kBoundary, limits)
          .ok());
  EXPECT_TRUE(ParseMultipart(Body({Field("a", std::string(10, 'x'))}), kBoundary, limits).ok());
  EXPECT_FALSE(ParseMultipart(Body({Field("a", std::string(11, 'x'))}), kBoundary, limits).ok());
  // File parts are the caller's to limit; their headers are not.
  EXPECT_TRUE(
      ParseMultipart(Body({FilePart("f", "a.jpg", std::string(1000, 'x'))}), kBoundary, limits)
          .ok());
  EXPECT_FALSE(
      ParseMultipart(Body({FilePart("f", std::string(100, 'n'), "x")}), kBoundary, limits).ok());
}

TEST(MultipartTest, DataMayHoldAnythingButTheDelimiter) {
  std::string data;
  for (int i = 0; i < 256; ++i) data += static_cast<char>(i);
  data += "\r\n--" + std::string(kBoundary).substr(0, 10) + "\r\n\r\n--";
  std::string body = Body({FilePart("file", "a.bin", data)});  // outlives the views into it
  auto form = ParseMultipart(body, kBoundary);
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->File("file")->data, data);
}

}  // namespace
}  // namespace rempart::server
