#include "trialledger/sdk/merkle.h"

#include <span>

#include "trialledger/sdk/crypto.h"

namespace tl {
namespace {

size_t LargestPowerOfTwoBelow(size_t n) {
  size_t k = 1;
  while (k * 2 < n)
    k *= 2;
  return k;
}

std::string TreeHash(std::span<const std::string> leaves) {
  if (leaves.size() == 1) {
    return Blake2b256Hasher().Update(std::string_view("\x00", 1)).Update(leaves[0]).Final();
  }
  size_t split = LargestPowerOfTwoBelow(leaves.size());
  std::string left = TreeHash(leaves.first(split));
  std::string right = TreeHash(leaves.subspan(split));
  return Blake2b256Hasher().Update("\x01").Update(left).Update(right).Final();
}

}  // namespace

std::string MerkleRoot(const std::vector<std::string>& leaves) {
  if (leaves.empty()) return Blake2b256("");
  return TreeHash(leaves);
}

}  // namespace tl
