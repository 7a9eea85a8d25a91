// Test helpers shared by the container tests: reading sample files, printing reports, and the
// exiftool oracle (Debian's exiftool must find nothing identifying in a scrubbed file).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "media/privacy_report.h"

namespace rempart::testing {

inline const std::string kTestdata = REMPART_SOURCE_DIR "/../shared/testdata/media";

inline std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline const Finding* FindField(const PrivacyReport& report, std::string_view field) {
  for (const Finding& f : report.findings)
    if (f.field == field) return &f;
  return nullptr;
}

inline std::string ValueOf(const PrivacyReport& report, std::string_view field) {
  const Finding* f = FindField(report, field);
  return f ? f->value : "<missing " + std::string(field) + ">";
}

inline std::string Describe(const PrivacyReport& report) {
  std::string out;
  for (const Finding& f : report.findings) out += f.where + ":" + f.field + "=" + f.value + "\n";
  return out;
}

// A temporary file removed when it goes out of scope.
class TempFile {
 public:
  TempFile(const std::string& bytes, const std::string& extension) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() / ("rempart-test-" + std::to_string(::getpid()) +
                                                      "-" + std::to_string(++counter) + extension);
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline bool HaveExiftool() { return std::filesystem::exists("/usr/bin/exiftool"); }

// `exiftool -G1 -a -s` on the bytes, without the lines about the file and the tool themselves.
inline std::string Exiftool(const std::string& bytes, const std::string& extension) {
  TempFile file(bytes, extension);
  std::string raw;
  if (FILE* pipe = ::popen(("exiftool -G1 -a -s '" + file.path() + "' 2>&1").c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) raw.append(buf, n);
    ::pclose(pipe);
  }
  std::string out;
  std::istringstream lines(raw);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("[System]") && !line.starts_with("[ExifTool]")) out += line + "\n";
  }
  return out;
}

// The oracle: none of these may appear after scrubbing.
inline void ExpectExiftoolFindsNothing(const std::string& bytes, const std::string& extension) {
  if (!HaveExiftool()) return;
  std::string out = Exiftool(bytes, extension);
  for (const char* forbidden : {"GPS",
                                "Make",
                                "Model",
                                "Serial",
                                "Artist",
                                "Copyright",
                                "OwnerName",
                                "DateTimeOriginal",
                                "CreateDate",
                                "ModifyDate",
                                "[XMP",
                                "[IPTC",
                                "MakerNote",
                                "[Canon",
                                "[Olympus",
                                "Thumbnail",
                                "Comment",
                                "Software",
                                "By-line",
                                "Trailer",
                                "MPImage",
                                "[Photoshop",
                                "ImageDescription",
                                "HostComputer",
                                "DocumentName",
                                "PageName",
                                "[ExifIFD]",
                                "Warning"})
    EXPECT_EQ(out.find(forbidden), std::string::npos) << forbidden << " in\n" << out;
}

}  // namespace rempart::testing
