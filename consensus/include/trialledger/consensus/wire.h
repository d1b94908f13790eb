// Raft messages on the wire between nodes: tl::raft::Message <-> trialledger.v1.RaftMessage.
// Decoding is of untrusted bytes from a peer, so it checks every enum and limit and says what is
// wrong; a message that fails to decode is dropped by the transport (Raft tolerates loss).
#pragma once

#include "absl/status/statusor.h"
#include "trialledger/consensus/types.h"
#include "trialledger/v1/raft.pb.h"

namespace tl::raft {

trialledger::v1::RaftMessage ToWire(const Message& message);
absl::StatusOr<Message> FromWire(const trialledger::v1::RaftMessage& wire);

}  // namespace tl::raft
