// Byte encodings of the core's value types, used by LevelDbLogStorage and by snapshot chunks.
//
// Scalars are little-endian fixed width; strings and vectors are length-prefixed. A record is
// [payload length: u32][CRC32C of payload: u32][payload], so a torn or corrupted record is
// detected on read instead of being trusted. The wire codec of Message is the node's (protobuf);
// nothing here is meant for untrusted peers except DecodeRecord, which validates everything.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/consensus/types.h"

namespace tl::raft {

// CRC32C (Castagnoli), software table implementation; `seed` chains calls over pieces.
uint32_t Crc32c(std::string_view data, uint32_t seed = 0);

std::string EncodeEntry(const Entry& entry);
absl::StatusOr<Entry> DecodeEntry(std::string_view bytes);

std::string EncodeHardState(const HardState& hard_state);
absl::StatusOr<HardState> DecodeHardState(std::string_view bytes);

std::string EncodeConfChange(const ConfChange& change);
absl::StatusOr<ConfChange> DecodeConfChange(std::string_view bytes);

std::string EncodeSnapshot(const Snapshot& snapshot);
absl::StatusOr<Snapshot> DecodeSnapshot(std::string_view bytes);

// Wraps a payload in a checksummed record, and unwraps one (DataLoss if torn or corrupt).
std::string EncodeRecord(std::string_view payload);
absl::StatusOr<std::string> DecodeRecord(std::string_view record);

}  // namespace tl::raft
