// Names of the files inside an evidence bundle, and the rules they must obey.
//
// A bundle travels between people and tools (Windows Explorer, macOS Archive Utility, unzip), so a
// name must mean the same harmless relative path everywhere: UTF-8, '/'-separated, no absolute or
// drive-letter prefix, no "." or ".." component, no backslash, no control character. The writer
// applies these rules so that it never produces a bundle the reader would refuse.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/status.h"

namespace rempart {

// Longest accepted name in bytes; real bundle names are short ("files/0001-photo.jpg").
inline constexpr size_t kMaxBundleNameBytes = 1024;

// Ok when `name` is a safe relative file path as described above (no trailing '/').
Status CheckBundleName(std::string_view name);

// `name` made safe to print in a message or on a terminal: control characters and bytes that are
// not UTF-8 become \xNN escapes, and very long names are shortened.
std::string PrintableName(std::string_view name);

// The kInvalidInput Status for a hostile or unsupported entry: names the entry and says what to do.
Status BadEntry(std::string_view name, std::string_view problem);

// Collects the names of a bundle and refuses the second of two names that would land on the same
// path on some system: exact duplicates, duplicates that differ only in ASCII case (Windows and
// macOS file systems fold case), and a file whose name is also used as a directory ("a" and "a/b").
// Limit: case folding is ASCII only and Unicode normalisation (NFC vs NFD) is not applied, so
// "é" written two ways counts as two names.
class BundleNameSet {
 public:
  // Records a file name (already checked with CheckBundleName) and its parent directories.
  Status AddFile(std::string_view name);
  // Records a directory name (without its trailing '/') and its parents.
  Status AddDirectory(std::string_view name);

 private:
  Status AddParents(std::string_view name, std::string_view folded);

  // Every name is folded and stored once; the sets hold views into it, parents included, so a
  // deep hostile name costs one copy rather than one per parent.
  std::deque<std::string> folded_;
  std::unordered_set<std::string_view> files_;
  std::unordered_set<std::string_view> directories_;
};

}  // namespace rempart
