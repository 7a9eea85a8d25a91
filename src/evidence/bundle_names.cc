#include "evidence/bundle_names.h"

#include <cstdint>

namespace rempart {
namespace {

// Length of the UTF-8 sequence starting at `s[i]`, or 0 when it is not well formed (overlong
// forms, surrogates and code points above U+10FFFF are refused, as RFC 3629 requires).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t len;
  uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

bool IsControl(uint8_t c) { return c < 0x20 || c == 0x7F; }

std::string FoldCase(std::string_view name) {
  std::string folded(name);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return folded;
}

}  // namespace

Status CheckBundleName(std::string_view name) {
  if (name.empty()) return BadEntry(name, "has an empty name");
  if (name.size() > kMaxBundleNameBytes) return BadEntry(name, "has a name that is too long");
  for (size_t i = 0; i < name.size();) {
    const size_t len = Utf8SequenceLength(name, i);
    if (len == 0) return BadEntry(name, "has a name that is not valid UTF-8");
    if (len == 1) {
      const uint8_t c = static_cast<uint8_t>(name[i]);
      if (c == 0) return BadEntry(name, "has a NUL byte in its name");
      if (IsControl(c)) return BadEntry(name, "has a control character in its name");
      if (c == '\\') return BadEntry(name, "has a backslash in its name");
    }
    i += len;
  }
  if (name.front() == '/') return BadEntry(name, "has an absolute path");
  // "C:x" is relative to drive C's current directory and "a:b" writes a hidden NTFS stream.
  if (name.find(':') != std::string_view::npos) {
    return BadEntry(name, "has a colon, which Windows reads as a drive letter or a hidden stream");
  }
  size_t start = 0;
  while (true) {
    const size_t slash = name.find('/', start);
    const std::string_view part = name.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty()) return BadEntry(name, "has an empty path component");
    if (part == "..") return BadEntry(name, "has a \"..\" path component");
    if (part == ".") return BadEntry(name, "has a \".\" path component");
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return Status::Ok();
}

std::string PrintableName(std::string_view name) {
  constexpr size_t kMaxShown = 200;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  size_t i = 0;
  while (i < name.size() && out.size() < kMaxShown) {
    const size_t len = Utf8SequenceLength(name, i);
    const uint8_t c = static_cast<uint8_t>(name[i]);
    if (len == 0 || (len == 1 && (IsControl(c) || c == '"' || c == '\\'))) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      i += 1;
    } else {
      out.append(name.substr(i, len));
      i += len;
    }
  }
  if (i < name.size()) out += "...";
  return out;
}

Status BadEntry(std::string_view name, std::string_view problem) {
  return Status(Code::kInvalidInput,
                "bundle entry \"" + PrintableName(name) + "\" " + std::string(problem) +
                    ". The bundle may have been tampered with: do not open it with other tools, "
                    "and ask the sender to export it again from Rempart.");
}

Status BundleNameSet::AddParents(std::string_view name, std::string_view folded) {
  for (size_t slash = folded.find('/'); slash != std::string_view::npos;
       slash = folded.find('/', slash + 1)) {
    const std::string_view parent = folded.substr(0, slash);
    if (files_.count(parent) != 0) {
      return BadEntry(name, "lies inside a name that is also a file");
    }
    directories_.insert(parent);
  }
  return Status::Ok();
}

Status BundleNameSet::AddFile(std::string_view name) {
  const std::string& folded = folded_.emplace_back(FoldCase(name));
  if (files_.count(folded) != 0) {
    return BadEntry(name, "appears twice (names are compared ignoring case)");
  }
  if (directories_.count(folded) != 0) {
    return BadEntry(name, "is both a file and a directory");
  }
  REMPART_RETURN_IF_ERROR(AddParents(name, folded));
  files_.insert(folded);
  return Status::Ok();
}

Status BundleNameSet::AddDirectory(std::string_view name) {
  const std::string& folded = folded_.emplace_back(FoldCase(name));
  if (files_.count(folded) != 0) {
    return BadEntry(name, "is both a file and a directory");
  }
  REMPART_RETURN_IF_ERROR(AddParents(name, folded));
  directories_.insert(folded);
  return Status::Ok();
}

}  // namespace rempart
