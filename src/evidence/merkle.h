// RFC 6962 (Certificate Transparency) Merkle tree hashing over SHA-256, for the evidence log.
//
// Leaves and interior nodes are hashed with different prefixes (0x00 and 0x01) so that a leaf
// can never pass for a node. Functions that build trees take the leaf *hashes* in log order and
// run in O(n) time and O(log n) stack; proofs follow RFC 6962 §2.1.1 (PATH) and §2.1.2 (PROOF),
// and the verifiers are the RFC 9162 §2.1.3.2 and §2.1.4.2 algorithms, which need no tree.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/sha256.h"

namespace rempart {

Sha256Digest LeafHash(std::span<const uint8_t> data);  // SHA-256(0x00 || data)
Sha256Digest LeafHash(std::string_view data);
Sha256Digest NodeHash(const Sha256Digest& left, const Sha256Digest& right);  // SHA-256(0x01||l||r)

// MTH over the leaf hashes; the empty tree's root is SHA-256("").
Sha256Digest RootHash(std::span<const Sha256Digest> leaf_hashes);

// The audit path for leaf `index`, leaf-side first. kInvalidInput if index is out of range.
Result<std::vector<Sha256Digest>> InclusionProof(std::span<const Sha256Digest> leaf_hashes,
                                                 uint64_t index);
bool VerifyInclusion(const Sha256Digest& leaf_hash, uint64_t index, uint64_t tree_size,
                     std::span<const Sha256Digest> proof, const Sha256Digest& root);

// Proves that the first old_size leaves are a prefix of all of leaf_hashes. Empty when old_size
// is 0 or the whole tree. kInvalidInput if old_size exceeds the tree.
Result<std::vector<Sha256Digest>> ConsistencyProof(std::span<const Sha256Digest> leaf_hashes,
                                                   uint64_t old_size);
// An empty old tree is consistent with anything (the proof must then be empty); equal sizes
// need equal roots and an empty proof.
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Sha256Digest& old_root,
                       const Sha256Digest& new_root, std::span<const Sha256Digest> proof);

}  // namespace rempart
