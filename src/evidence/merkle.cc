#include "evidence/merkle.h"

#include <bit>

namespace rempart {
namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;

using Leaves = std::span<const Sha256Digest>;

// The largest power of two strictly below n (n >= 2): where RFC 6962 splits a tree.
size_t SplitPoint(size_t n) { return std::bit_floor(n - 1); }

// Appends PATH(index, leaves) (RFC 6962 §2.1.1). Siblings are hashed once each, and their sizes
// halve on the way down, so the whole proof costs O(n).
void AppendPath(Leaves leaves, size_t index, std::vector<Sha256Digest>& proof) {
  if (leaves.size() <= 1) return;
  size_t k = SplitPoint(leaves.size());
  if (index < k) {
    AppendPath(leaves.first(k), index, proof);
    proof.push_back(RootHash(leaves.subspan(k)));
  } else {
    AppendPath(leaves.subspan(k), index - k, proof);
    proof.push_back(RootHash(leaves.first(k)));
  }
}

// Appends SUBPROOF(m, leaves, complete) (RFC 6962 §2.1.2); `complete` says that the subtree
// leaves[0:m] is itself a subtree of the old tree whose root the verifier already has.
void AppendSubproof(size_t m, Leaves leaves, bool complete, std::vector<Sha256Digest>& proof) {
  if (m == leaves.size()) {
    if (!complete) proof.push_back(RootHash(leaves));
    return;
  }
  size_t k = SplitPoint(leaves.size());
  if (m <= k) {
    AppendSubproof(m, leaves.first(k), complete, proof);
    proof.push_back(RootHash(leaves.subspan(k)));
  } else {
    AppendSubproof(m - k, leaves.subspan(k), false, proof);
    proof.push_back(RootHash(leaves.first(k)));
  }
}

bool Lsb(uint64_t x) { return (x & 1) != 0; }

}  // namespace

Sha256Digest LeafHash(std::span<const uint8_t> data) {
  Sha256 hasher;
  hasher.Update(std::span(&kLeafPrefix, 1));
  hasher.Update(data);
  return hasher.Final();
}

Sha256Digest LeafHash(std::string_view data) {
  return LeafHash(std::span(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

Sha256Digest NodeHash(const Sha256Digest& left, const Sha256Digest& right) {
  Sha256 hasher;
  hasher.Update(std::span(&kNodePrefix, 1));
  hasher.Update(left);
  hasher.Update(right);
  return hasher.Final();
}

Sha256Digest RootHash(std::span<const Sha256Digest> leaf_hashes) {
  switch (leaf_hashes.size()) {
    case 0:
      return Sha256Of(std::string_view());
    case 1:
      return leaf_hashes[0];
    default: {
      size_t k = SplitPoint(leaf_hashes.size());
      return NodeHash(RootHash(leaf_hashes.first(k)), RootHash(leaf_hashes.subspan(k)));
    }
  }
}

Result<std::vector<Sha256Digest>> InclusionProof(std::span<const Sha256Digest> leaf_hashes,
                                                 uint64_t index) {
  if (index >= leaf_hashes.size()) {
    return Status(Code::kInvalidInput, "no leaf at that index in the Merkle tree");
  }
  std::vector<Sha256Digest> proof;
  AppendPath(leaf_hashes, index, proof);
  return proof;
}

bool VerifyInclusion(const Sha256Digest& leaf_hash, uint64_t index, uint64_t tree_size,
                     std::span<const Sha256Digest> proof, const Sha256Digest& root) {
  if (index >= tree_size) return false;
  // fn walks up from the leaf, sn from the last leaf; where they meet, the node has no right
  // sibling and the proof skips that level.
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  Sha256Digest r = leaf_hash;
  for (const Sha256Digest& p : proof) {
    if (sn == 0) return false;  // proof longer than the tree is tall
    if (Lsb(fn) || fn == sn) {
      r = NodeHash(p, r);
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

Result<std::vector<Sha256Digest>> ConsistencyProof(std::span<const Sha256Digest> leaf_hashes,
                                                   uint64_t old_size) {
  if (old_size > leaf_hashes.size()) {
    return Status(Code::kInvalidInput, "the old tree is larger than the Merkle tree");
  }
  std::vector<Sha256Digest> proof;
  if (old_size > 0) AppendSubproof(old_size, leaf_hashes, true, proof);
  return proof;
}

bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Sha256Digest& old_root,
                       const Sha256Digest& new_root, std::span<const Sha256Digest> proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty();
  if (proof.empty()) return false;

  // When the old tree is a complete subtree, the proof omits its root: the verifier has it.
  bool old_is_complete = std::has_single_bit(old_size);
  Sha256Digest first = old_is_complete ? old_root : proof[0];
  std::span<const Sha256Digest> rest = old_is_complete ? proof : proof.subspan(1);

  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while (Lsb(fn)) {
    fn >>= 1;
    sn >>= 1;
  }
  Sha256Digest fr = first;
  Sha256Digest sr = first;
  for (const Sha256Digest& c : rest) {
    if (sn == 0) return false;
    if (Lsb(fn) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == new_root;
}

}  // namespace rempart
