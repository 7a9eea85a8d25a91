// Entry: one piece of evidence as it is logged, exported and verified.
//
// The canonical form of an entry is its *leaf*: a JSON object with sorted keys that holds every
// field below except leaf_index and leaf itself. The leaf is what the Merkle log hashes
// (SHA-256(0x00 || leaf)), what the vault seals, and what a bundle's manifest carries verbatim,
// so a verifier checks exactly the bytes that were logged. A random salt in each leaf keeps
// the hashes of other entries from being guessed when one case is disclosed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/i18n.h"
#include "core/status.h"

namespace rempart {

enum class EntryKind { kFile, kMessage, kUrl, kNote };
std::string_view EntryKindName(EntryKind kind);  // "file", "message", "url", "note"
Result<EntryKind> ParseEntryKind(std::string_view name);
// What a person reads for the kind, in the translator's language ("Web page", "Page web").
std::string EntryKindLabel(EntryKind kind, const Translator& t);

struct Entry {
  int64_t id = 0;       // entry number, unique in the vault, starting at 1
  int64_t case_id = 0;  // the case it belongs to
  EntryKind kind = EntryKind::kNote;
  std::string captured_at;                    // when Rempart recorded it, RFC 3339 UTC
  std::string mime;                           // detected from the content bytes, not the name
  std::string name;                           // original file name, if any
  std::string sha256;                         // hex SHA-256 of the content bytes
  uint64_t size = 0;                          // content size in bytes
  std::string text;                           // message text or note
  std::string sender, platform, received_at;  // messages
  std::string url, seen_at;                   // URLs
  std::string file_modified_at;               // files: modification time on disk
  std::string ocr_text;                       // text read from a screenshot, if any
  std::string salt;                           // random hex; see above
  bool stored_content = false;  // content kept as an encrypted blob (files, saved pages)

  uint64_t leaf_index = 0;  // position in the Merkle log
  std::string leaf;         // canonical JSON, as logged
};

// Canonical leaf of an entry (everything but leaf_index and leaf).
std::string EntryLeaf(const Entry& entry);
// Parses a leaf back into an entry (leaf_index is left 0, leaf is set). Rejects malformed or
// oversized leaves with Code::kInvalidInput.
Result<Entry> EntryFromLeaf(std::string_view leaf);

// The content bytes of entries that have no stored blob (messages, notes, URLs without a
// saved page): the text, or the URL. For the others returns "".
std::string InlineContent(const Entry& entry);

// A short file name for the entry's content in a bundle: "0007-screenshot.png", "0008-message.txt".
std::string BundleFileName(const Entry& entry);

}  // namespace rempart
