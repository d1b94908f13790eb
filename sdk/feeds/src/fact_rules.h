// Rules every importer shares: how a source_record_id is made from a record's key fields, and
// the ledger's own shape checks on a finished fact (so that a fact the ledger would refuse is
// reported at its source line instead). Internal to tl_feeds.
#pragma once

#include <array>
#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "trialledger/v1/facts.pb.h"

namespace tl::feeds::internal {

// The first 128 bits of BLAKE2b-256 over length-prefixed fields: what ids are made of, and a
// compact key for what an import remembers per record.
using FieldsHash = std::array<char, 16>;
FieldsHash HashFields(std::initializer_list<std::string_view> fields);

// "<prefix>-<32 hex digits>" of HashFields(fields). Sets `*key` to the fields joined by '|'
// (FactOrigin::key), which is what an auditor reads; the hash keeps the id within the ledger's
// 64 bytes whatever the fields' lengths. `*hash`, when given, gets the hash itself.
std::string HashedRecordId(std::string_view prefix, std::initializer_list<std::string_view> fields,
                           std::string* key, FieldsHash* hash = nullptr);

// The checks the ledger runs on a fact before any contract sees it (field lengths, a kind, valid
// money): contracts/abi's EncodeFactBatch on a batch of this one fact.
absl::Status CheckFactShape(const trialledger::v1::Fact& fact);

}  // namespace tl::feeds::internal
