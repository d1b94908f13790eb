// Merkle root of transaction ids, shaped as RFC 6962's Merkle Tree Hash with BLAKE2b-256:
//   leaf  = H(0x00 || id)
//   node  = H(0x01 || left || right), splitting n leaves at the largest power of two below n
//   empty = H("")
// The split rule (not "duplicate the last leaf") means no two different id lists share a root.
#pragma once

#include <string>
#include <vector>

namespace tl {

std::string MerkleRoot(const std::vector<std::string>& leaves);

}  // namespace tl
