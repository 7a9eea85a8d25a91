// Vault::Check: re-reads everything and proves the log still matches what was signed.
#include <fmt/format.h>

#include "crypto/aead.h"
#include "evidence/merkle.h"
#include "evidence/vault_state.h"

namespace rempart {

CheckReport Vault::Check() {
  CheckReport report;
  Status snapshot = Snapshot([&]() -> Status {
    report = CheckSnapshot();
    return Status::Ok();
  });
  if (!snapshot.ok()) report.problems.push_back({"vault", snapshot.message()});
  return report;
}

CheckReport Vault::CheckSnapshot() {
  CheckReport report;
  auto problem = [&](std::string what, std::string reason) {
    report.problems.push_back({std::move(what), std::move(reason)});
  };

  auto leaves = LeafHashes();
  if (!leaves.ok()) {
    problem("log", leaves.status().message());
    return report;
  }
  std::vector<bool> leaf_claimed(leaves->size(), false);

  auto cases = ListCases();
  if (!cases.ok()) {
    problem("cases", cases.status().message());
    return report;
  }
  for (const CaseInfo& c : *cases) {
    if (c.damaged) problem(fmt::format("case {}", c.id), "its record was changed or damaged");
    EntryListing listing = ListEntries(c.id);
    for (auto& d : listing.damaged) report.problems.push_back(d);
    for (const Entry& e : listing.entries) {
      ++report.entries_checked;
      std::string what = fmt::format("entry {}", e.id);
      if (e.leaf_index >= leaves->size() ||
          LeafHash(std::span(reinterpret_cast<const uint8_t*>(e.leaf.data()), e.leaf.size())) !=
              (*leaves)[e.leaf_index]) {
        problem(what, "it no longer matches the evidence log");
      } else {
        leaf_claimed[e.leaf_index] = true;
      }
      Sha256 hasher;
      uint64_t size = 0;
      Status read = ReadContent(e, [&](std::span<const uint8_t> chunk) {
        hasher.Update(chunk);
        size += chunk.size();
        return Status::Ok();
      });
      report.bytes_checked += size;
      if (!read.ok()) {
        problem(what, read.message());
      } else if (HexOf(hasher.Final()) != e.sha256 || size != e.size) {
        problem(what, "its content no longer matches its SHA-256");
      }
    }
  }
  // Entries in cases that no longer exist, or rows deleted behind the vault's back.
  for (size_t i = 0; i < leaf_claimed.size(); ++i) {
    if (!leaf_claimed[i]) {
      auto row = state_->db->Query("SELECT id FROM entries WHERE leaf_index = ?",
                                   {static_cast<int64_t>(i)});
      std::string what = row.ok() && !row->empty() ? fmt::format("entry {}", (*row)[0].Int(0))
                                                   : fmt::format("log position {}", i);
      bool already = false;
      for (auto& p : report.problems) already = already || p.what == what;
      if (!already) problem(what, "an entry in the log is missing or unreadable");
    }
  }

  auto head = LatestTreeHead();
  if (!head.ok()) {
    problem("log", head.status().message());
  } else if (head->tree_size != leaves->size() || head->root != RootHash(*leaves)) {
    problem("log",
            "the evidence log does not match its last signed state: entries were added, "
            "removed or changed outside Rempart");
  } else if (!VerifySignature(
                 state_->public_key.public_key,
                 [&] {
                   std::string m =
                       SignedTreeHeadMessage(head->tree_size, head->root, head->timestamp);
                   return std::vector<uint8_t>(m.begin(), m.end());
                 }(),
                 head->signature)) {
    problem("log", "the signature of the evidence log is not valid");
  }
  return report;
}

}  // namespace rempart
