#include "evidence/merkle.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "crypto/encoding.h"

namespace rempart {
namespace {

using Digests = std::vector<Sha256Digest>;

Sha256Digest D(std::string_view hex) {
  auto bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.ok() && bytes->size() == kSha256Bytes) << hex;
  Sha256Digest digest{};
  if (bytes.ok() && bytes->size() == digest.size()) {
    std::copy(bytes->begin(), bytes->end(), digest.begin());
  }
  return digest;
}

// The RFC 6962 reference tree from transparency-dev/merkle (testonly/constants.go and
// proof/verify_test.go), originally from certificate-transparency.
Digests ReferenceLeafHashes() {
  const std::string_view kLeafHex[] = {"",
                                       "00",
                                       "10",
                                       "2021",
                                       "3031",
                                       "40414243",
                                       "5051525354555657",
                                       "606162636465666768696a6b6c6d6e6f"};
  Digests leaves;
  for (std::string_view hex : kLeafHex) leaves.push_back(LeafHash(*HexDecode(hex)));
  return leaves;
}

// Roots indexed by tree size, 0..8.
Digests ReferenceRoots() {
  return {
      D("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      D("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
      D("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
      D("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
      D("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
      D("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
      D("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
      D("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
      D("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
  };
}

TEST(MerkleTest, LeafHashesMatchReference) {
  Digests leaves = ReferenceLeafHashes();
  EXPECT_EQ(leaves[0], D("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"));
  EXPECT_EQ(leaves[1], D("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"));
  EXPECT_EQ(leaves[7], D("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"));
  EXPECT_EQ(LeafHash(std::string_view("")), leaves[0]);
  EXPECT_EQ(NodeHash(leaves[0], leaves[1]),
            D("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"));
}

TEST(MerkleTest, RootsMatchReferenceForEverySize) {
  Digests leaves = ReferenceLeafHashes();
  Digests roots = ReferenceRoots();
  for (size_t size = 0; size <= leaves.size(); ++size) {
    EXPECT_EQ(RootHash(std::span(leaves).first(size)), roots[size]) << "size " << size;
  }
  EXPECT_EQ(RootHash({}), Sha256Of(""));
}

struct InclusionVector {
  uint64_t index, size;
  Digests proof;
};

TEST(MerkleTest, InclusionProofsMatchReference) {
  const InclusionVector kVectors[] = {
      {0, 1, {}},
      {0,
       8,
       {D("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        D("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        D("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")}},
      {5,
       8,
       {D("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        D("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        D("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
      {2, 3, {D("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")}},
      {1,
       5,
       {D("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        D("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        D("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")}},
  };
  Digests leaves = ReferenceLeafHashes();
  Digests roots = ReferenceRoots();
  for (const InclusionVector& v : kVectors) {
    auto subtree = std::span(leaves).first(v.size);
    auto proof = InclusionProof(subtree, v.index);
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(*proof, v.proof) << v.index << " in " << v.size;
    EXPECT_TRUE(VerifyInclusion(leaves[v.index], v.index, v.size, v.proof, roots[v.size]));
  }
}

struct ConsistencyVector {
  uint64_t old_size, new_size;
  Digests proof;
};

TEST(MerkleTest, ConsistencyProofsMatchReference) {
  const ConsistencyVector kVectors[] = {
      {1, 1, {}},
      {1,
       8,
       {D("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        D("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        D("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")}},
      {6,
       8,
       {D("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        D("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        D("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
      {2,
       5,
       {D("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        D("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")}},
      {6,
       7,
       {D("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        D("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
        D("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
  };
  Digests leaves = ReferenceLeafHashes();
  Digests roots = ReferenceRoots();
  for (const ConsistencyVector& v : kVectors) {
    auto proof = ConsistencyProof(std::span(leaves).first(v.new_size), v.old_size);
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(*proof, v.proof) << v.old_size << " -> " << v.new_size;
    EXPECT_TRUE(
        VerifyConsistency(v.old_size, v.new_size, roots[v.old_size], roots[v.new_size], v.proof));
  }
}

TEST(MerkleTest, InclusionRejectsCorruptedReferenceProofs) {
  // The corruptions transparency-dev/merkle's verify_test.go tries.
  Digests leaves = ReferenceLeafHashes();
  Digests roots = ReferenceRoots();
  uint64_t index = 5, size = 8;
  Digests proof = *InclusionProof(leaves, index);
  const Sha256Digest& leaf = leaves[index];
  const Sha256Digest& root = roots[size];
  ASSERT_TRUE(VerifyInclusion(leaf, index, size, proof, root));
  EXPECT_FALSE(VerifyInclusion(leaf, index - 1, size, proof, root));
  EXPECT_FALSE(VerifyInclusion(leaf, index + 1, size, proof, root));
  EXPECT_FALSE(VerifyInclusion(leaf, index ^ 2, size, proof, root));
  EXPECT_FALSE(VerifyInclusion(leaf, index, size * 2, proof, root));
  EXPECT_FALSE(VerifyInclusion(leaf, index, size / 2, proof, root));
  EXPECT_FALSE(VerifyInclusion(LeafHash(std::string_view("WrongLeaf")), index, size, proof, root));
  EXPECT_FALSE(VerifyInclusion(leaf, index, size, proof, roots[0]));
  Digests longer = proof;
  longer.push_back(root);
  EXPECT_FALSE(VerifyInclusion(leaf, index, size, longer, root));
  Digests prefixed = proof;
  prefixed.insert(prefixed.begin(), root);
  EXPECT_FALSE(VerifyInclusion(leaf, index, size, prefixed, root));
  EXPECT_FALSE(VerifyInclusion(leaf, index, size, std::span(proof).first(proof.size() - 1), root));
  // A one-leaf tree: the root is the leaf hash and the proof is empty.
  EXPECT_TRUE(VerifyInclusion(leaf, 0, 1, {}, leaf));
  EXPECT_FALSE(VerifyInclusion(leaf, 0, 0, {}, leaf));
  EXPECT_FALSE(VerifyInclusion(leaf, 1, 1, {}, leaf));
}

TEST(MerkleTest, ConsistencyEdgeCases) {
  Sha256Digest a = Sha256Of("a"), b = Sha256Of("b");
  EXPECT_TRUE(VerifyConsistency(0, 0, a, a, {}));
  EXPECT_FALSE(VerifyConsistency(0, 0, a, b, {}));
  EXPECT_TRUE(VerifyConsistency(0, 1, a, b, {}));  // the empty tree is a prefix of anything
  EXPECT_TRUE(VerifyConsistency(1, 1, b, b, {}));
  EXPECT_FALSE(VerifyConsistency(1, 1, a, b, {}));
  EXPECT_FALSE(VerifyConsistency(1, 0, a, b, {}));  // time travel
  EXPECT_FALSE(VerifyConsistency(2, 1, a, b, {}));
  EXPECT_FALSE(VerifyConsistency(1, 2, a, b, {}));  // a growing tree needs a proof
  Digests junk = {a};
  EXPECT_FALSE(VerifyConsistency(0, 1, a, a, junk));
  EXPECT_FALSE(VerifyConsistency(1, 1, a, a, junk));

  Digests leaves = ReferenceLeafHashes();
  EXPECT_FALSE(ConsistencyProof(leaves, 9).ok());
  EXPECT_TRUE(ConsistencyProof(leaves, 0)->empty());
  EXPECT_TRUE(ConsistencyProof(leaves, 8)->empty());
  EXPECT_FALSE(InclusionProof(leaves, 8).ok());
  EXPECT_FALSE(InclusionProof({}, 0).ok());
}

TEST(MerkleTest, ConsistencyRejectsCorruptedReferenceProofs) {
  Digests leaves = ReferenceLeafHashes();
  Digests roots = ReferenceRoots();
  for (auto [m, n] : {std::pair<uint64_t, uint64_t>{6, 8}, {2, 5}, {1, 8}, {6, 7}}) {
    Digests proof = *ConsistencyProof(std::span(leaves).first(n), m);
    const Sha256Digest &r1 = roots[m], &r2 = roots[n];
    ASSERT_TRUE(VerifyConsistency(m, n, r1, r2, proof));
    EXPECT_FALSE(VerifyConsistency(m - 1, n, r1, r2, proof));
    EXPECT_FALSE(VerifyConsistency(m + 1, n, r1, r2, proof));
    EXPECT_FALSE(VerifyConsistency(m ^ 2, n, r1, r2, proof));
    EXPECT_FALSE(VerifyConsistency(m, n * 2, r1, r2, proof));
    EXPECT_FALSE(VerifyConsistency(m, n / 2, r1, r2, proof));
    EXPECT_FALSE(VerifyConsistency(m, n, r2, r1, proof));
    EXPECT_FALSE(VerifyConsistency(m, n, roots[0], r2, proof));
    EXPECT_FALSE(VerifyConsistency(m, n, r1, roots[0], proof));
    EXPECT_FALSE(VerifyConsistency(m, n, r1, r2, {}));
    for (const Sha256Digest& extra : {r1, r2, proof[0]}) {
      Digests longer = proof;
      longer.push_back(extra);
      EXPECT_FALSE(VerifyConsistency(m, n, r1, r2, longer));
      Digests prefixed = proof;
      prefixed.insert(prefixed.begin(), extra);
      EXPECT_FALSE(VerifyConsistency(m, n, r1, r2, prefixed));
    }
    EXPECT_FALSE(VerifyConsistency(m, n, r1, r2, std::span(proof).first(proof.size() - 1)));
    for (size_t i = 0; i < proof.size(); ++i) {
      Digests flipped = proof;
      flipped[i][0] ^= 16;
      EXPECT_FALSE(VerifyConsistency(m, n, r1, r2, flipped)) << m << "->" << n << " [" << i << "]";
    }
  }
}

Digests RandomishLeaves(size_t n) {
  Digests leaves;
  leaves.reserve(n);
  for (size_t i = 0; i < n; ++i) leaves.push_back(LeafHash("leaf " + std::to_string(i)));
  return leaves;
}

TEST(MerkleTest, EveryInclusionProofVerifiesAndCorruptionsFail) {
  std::mt19937 rng(6962);
  std::vector<size_t> sizes;
  for (size_t n = 1; n <= 70; ++n) sizes.push_back(n);
  for (size_t n : {127, 128, 129, 255, 256, 257, 300}) sizes.push_back(n);
  for (int i = 0; i < 20; ++i) sizes.push_back(std::uniform_int_distribution<size_t>(71, 300)(rng));

  Digests all = RandomishLeaves(301);
  for (size_t n : sizes) {
    auto leaves = std::span(all).first(n);
    Sha256Digest root = RootHash(leaves);
    Sha256Digest bigger_root = RootHash(std::span(all).first(n + 1));
    Sha256Digest smaller_root = RootHash(std::span(all).first(n - 1));
    for (uint64_t i = 0; i < n; ++i) {
      auto proof = InclusionProof(leaves, i);
      ASSERT_TRUE(proof.ok());
      ASSERT_TRUE(VerifyInclusion(leaves[i], i, n, *proof, root)) << i << " of " << n;
      if (!proof->empty()) {
        Digests flipped = *proof;
        size_t at = std::uniform_int_distribution<size_t>(0, flipped.size() - 1)(rng);
        flipped[at][std::uniform_int_distribution<size_t>(0, 31)(rng)] ^=
            static_cast<uint8_t>(1u << std::uniform_int_distribution<int>(0, 7)(rng));
        EXPECT_FALSE(VerifyInclusion(leaves[i], i, n, flipped, root)) << i << " of " << n;
      }
      uint64_t wrong_index = (i + 1) % n;
      if (wrong_index != i) {
        EXPECT_FALSE(VerifyInclusion(leaves[i], wrong_index, n, *proof, root));
      }
      // A proof does not bind the tree size by itself (for leaf 0 the paths of sizes 3 and 4
      // look alike); the root of the claimed size does. So check other sizes against their roots,
      // and the go-style doubled and halved sizes against this root.
      EXPECT_FALSE(VerifyInclusion(leaves[i], i, n + 1, *proof, bigger_root)) << i << " of " << n;
      if (i < n - 1) {
        EXPECT_FALSE(VerifyInclusion(leaves[i], i, n - 1, *proof, smaller_root));
      }
      EXPECT_FALSE(VerifyInclusion(leaves[i], i, n * 2, *proof, root)) << i << " of " << n;
      if (i < n / 2) {
        EXPECT_FALSE(VerifyInclusion(leaves[i], i, n / 2, *proof, root)) << i << " of " << n;
      }
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion(leaves[(i + 1) % n], i, n, *proof, root));
      }
    }
  }
}

TEST(MerkleTest, EveryConsistencyProofUpTo64Verifies) {
  Digests all = RandomishLeaves(64);
  Digests roots;
  for (size_t n = 0; n <= all.size(); ++n) roots.push_back(RootHash(std::span(all).first(n)));
  for (uint64_t n = 0; n <= all.size(); ++n) {
    for (uint64_t m = 0; m <= n; ++m) {
      auto proof = ConsistencyProof(std::span(all).first(n), m);
      ASSERT_TRUE(proof.ok());
      ASSERT_TRUE(VerifyConsistency(m, n, roots[m], roots[n], *proof)) << m << " -> " << n;
      if (m > 0 && m < n) {
        EXPECT_FALSE(VerifyConsistency(m, n, roots[m - 1], roots[n], *proof));
        EXPECT_FALSE(VerifyConsistency(m, n, roots[m], roots[n - 1], *proof));
        Digests flipped = *proof;
        flipped.back()[31] ^= 1;
        EXPECT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], flipped));
      }
    }
  }
}

TEST(MerkleTest, HundredThousandLeavesIsLinear) {
  // O(n) root and proofs: a quadratic algorithm would take minutes here, not milliseconds.
  constexpr size_t kLeaves = 100000;
  Digests leaves = RandomishLeaves(kLeaves);
  Sha256Digest root = RootHash(leaves);
  for (uint64_t i : {uint64_t{0}, uint64_t{12345}, uint64_t{65536}, uint64_t{kLeaves - 1}}) {
    auto proof = InclusionProof(leaves, i);
    ASSERT_TRUE(proof.ok());
    EXPECT_LE(proof->size(), 17u);
    EXPECT_TRUE(VerifyInclusion(leaves[i], i, kLeaves, *proof, root));
  }
  for (uint64_t m : {uint64_t{1}, uint64_t{65536}, uint64_t{99999}}) {
    auto proof = ConsistencyProof(leaves, m);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(VerifyConsistency(m, kLeaves, RootHash(std::span(leaves).first(m)), root, *proof));
  }
}

}  // namespace
}  // namespace rempart
