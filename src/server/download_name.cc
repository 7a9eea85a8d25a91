#include "server/download_name.h"

namespace rempart::server {
namespace {

constexpr size_t kMaxStem = 64;
constexpr size_t kMaxDisplay = 100;  // code points
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// After the last '/' or '\': browsers send the bare name, but old ones and scripts may not.
std::string_view LastComponent(std::string_view name) {
  size_t slash = name.find_last_of("/\\");
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

// The length of the valid UTF-8 sequence at the start of `text`, or 0.
size_t Utf8Length(std::string_view text) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  auto continuation = [&](size_t i) { return i < text.size() && (byte(i) & 0xC0) == 0x80; };
  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (lead == 0xED && byte(1) >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (lead == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// C0 and C1 controls, and the bidirectional overrides and isolates that can make
// "photo\u202Egpj.exe" read as "photoexe.jpg".
bool IsControl(std::string_view c) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(c[i]); };
  if (c.size() == 1) return b(0) < 0x20 || b(0) == 0x7F;
  if (c.size() == 2) return b(0) == 0xC2 && b(1) < 0xA0;
  if (c.size() == 3 && b(0) == 0xE2) {
    return (b(1) == 0x80 && b(2) >= 0xAA && b(2) <= 0xAE) ||
           (b(1) == 0x81 && b(2) >= 0xA6 && b(2) <= 0xA9);
  }
  return false;
}

}  // namespace

std::string DownloadName(std::string_view uploaded_name, std::string_view suffix,
                         std::string_view extension, std::string_view fallback) {
  std::string_view base = LastComponent(uploaded_name);
  size_t dot = base.rfind('.');
  std::string_view stem = dot == std::string_view::npos || dot == 0 ? base : base.substr(0, dot);
  std::string safe;
  bool gap = false;  // one '_' for each run of characters left out
  for (char c : stem) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_';
    if (!keep) {
      gap = true;
      continue;
    }
    if (gap && !safe.empty()) safe += '_';
    gap = false;
    safe += c;
    if (safe.size() >= kMaxStem) break;
  }
  // A leading '-' would read as an option to the shell tools people use on the download.
  while (!safe.empty() && (safe.front() == '-' || safe.front() == '_')) safe.erase(0, 1);
  if (safe.empty()) safe = std::string(fallback);
  std::string name = safe;
  if (!suffix.empty()) name += "." + std::string(suffix);
  if (!extension.empty()) name += "." + std::string(extension);
  return name;
}

std::string DisplayName(std::string_view uploaded_name) {
  std::string_view text = LastComponent(uploaded_name);
  std::string out;
  size_t count = 0;
  while (!text.empty() && count < kMaxDisplay) {
    size_t n = Utf8Length(text);
    if (n == 0 || IsControl(text.substr(0, n))) {
      out += kReplacement;
      n = n == 0 ? 1 : n;
    } else {
      out += text.substr(0, n);
    }
    text.remove_prefix(n);
    ++count;
  }
  if (!text.empty()) out += "…";
  return out;
}

std::string UploadedExtension(std::string_view uploaded_name) {
  std::string_view base = LastComponent(uploaded_name);
  size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string extension(base.substr(dot + 1));
  for (char& c : extension) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return extension;
}

}  // namespace rempart::server
