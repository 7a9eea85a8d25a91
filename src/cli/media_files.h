// What `inspect`, `scrub` and `redact` share: which files in a folder are photos or videos, and
// where a cleaned copy goes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/file_walk.h"
#include "core/status.h"

namespace rempart::cli {

// Photos and videos named on the command line or found in folders. Files in folders that are
// not media (by their first bytes), hidden files, and earlier outputs ("*.clean.*",
// "*.redacted.*") are left out; files named explicitly are always kept, so they get an error.
Result<std::vector<WalkedFile>> WalkMediaFiles(const std::vector<std::string>& arguments);

// Where the result for `file` goes: `out_dir` / its relative path, the file itself when
// `in_place`, else "name.<suffix>.ext" beside it.
std::filesystem::path OutputPath(const WalkedFile& file, const std::optional<std::string>& out_dir,
                                 bool in_place, const std::string& suffix);

}  // namespace rempart::cli
