#include "trialledger/sdk/merkle.h"

#include <gtest/gtest.h>

#include <set>

#include "trialledger/sdk/crypto.h"

namespace tl {
namespace {

std::string Leaf(const std::string& id) {
  return Blake2b256Hasher().Update(std::string(1, '\0')).Update(id).Final();
}
std::string Node(const std::string& left, const std::string& right) {
  return Blake2b256Hasher().Update("\x01").Update(left).Update(right).Final();
}

TEST(MerkleRoot, FollowsRfc6962Shape) {
  EXPECT_EQ(MerkleRoot({}), Blake2b256(""));
  EXPECT_EQ(MerkleRoot({"a"}), Leaf("a"));
  EXPECT_EQ(MerkleRoot({"a", "b"}), Node(Leaf("a"), Leaf("b")));
  // Three leaves split 2 + 1; five split 4 + 1.
  EXPECT_EQ(MerkleRoot({"a", "b", "c"}), Node(Node(Leaf("a"), Leaf("b")), Leaf("c")));
  std::string four = Node(Node(Leaf("a"), Leaf("b")), Node(Leaf("c"), Leaf("d")));
  EXPECT_EQ(MerkleRoot({"a", "b", "c", "d", "e"}), Node(four, Leaf("e")));
}

TEST(MerkleRoot, OrderAndDuplicationChangeTheRoot) {
  EXPECT_NE(MerkleRoot({"a", "b"}), MerkleRoot({"b", "a"}));
  // Duplicating the last leaf must not give the same root (Bitcoin's CVE-2012-2459 shape).
  EXPECT_NE(MerkleRoot({"a", "b", "c"}), MerkleRoot({"a", "b", "c", "c"}));
  // A leaf can never pose as an inner node.
  EXPECT_NE(MerkleRoot({"a", "b"}), MerkleRoot({Leaf("a") + Leaf("b")}));
  std::set<std::string> roots;
  std::vector<std::string> leaves;
  for (int n = 0; n < 40; ++n) {
    roots.insert(MerkleRoot(leaves));
    leaves.push_back(std::to_string(n));
  }
  EXPECT_EQ(roots.size(), 40u);
}

}  // namespace
}  // namespace tl
