// The rules an organisation, member or node record must satisfy, wherever it comes from (the
// genesis file or a RegisterMember transaction). Messages name the record and the field.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trialledger/sdk/protocol.h"

namespace tl {

// Names: 1..64 characters of [a-z0-9._-], starting with a letter or digit.
absl::Status ValidateName(std::string_view name, std::string_view what);
absl::Status ValidateOrganization(const v1::Organization& org);
// Checks the member's own fields (name, key size, known roles); the organisation's existence and
// key uniqueness are checked against the state by the caller.
absl::Status ValidateMember(const v1::Member& member);
absl::Status ValidateNode(const v1::NodeInfo& node);
std::string_view OrgKindName(v1::OrgKind kind);
// "sponsor", "cro", "auditor"; InvalidArgument naming the kinds otherwise.
absl::StatusOr<v1::OrgKind> ParseOrgKind(std::string_view kind);

// A node's Raft id: the first 8 bytes (big-endian) of a domain-separated BLAKE2b-256 of its
// public key, never 0. Derived rather than assigned, so a new node knows its id before it has
// seen the block that admitted it, and no counter has to be agreed on.
uint64_t RaftNodeId(std::string_view node_public_key);

}  // namespace tl
