// Every limit of the consensus layer, in one place. None is part of the protocol: they bound what
// one node holds in memory for its peers and what its decoders accept.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tl::raft::limits {

// Messages queued per peer before new ones are dropped (Raft retries what is lost).
inline constexpr size_t kPeerQueueMessagesMax = 4096;
// Node ids in one stored membership list: bounds decoding of a corrupt length.
inline constexpr uint64_t kCodecIdsMax = 1 << 20;

}  // namespace tl::raft::limits
