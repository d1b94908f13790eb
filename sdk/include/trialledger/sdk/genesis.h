// The genesis file: a network's chain id, organisations, members and nodes, in TOML
// (docs/network-config.md). Every node holds the same file; its BLAKE2b-256 over the exact bytes
// is the genesis hash, which block 1 links to.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/sdk/toml_reader.h"

namespace tl {

struct GenesisDocument {
  v1::Genesis genesis;
  std::string hash;  // BLAKE2b-256 of `text`
  std::string text;  // the file exactly as read
};

// Parses and validates; errors read "origin:line:column: what is wrong".
absl::StatusOr<GenesisDocument> ParseGenesis(std::string_view text, std::string_view origin);
absl::StatusOr<GenesisDocument> ReadGenesisFile(const std::string& path);
// Cross-record rules: unique names and keys, members and nodes in known organisations, an admin
// in every organisation, at least one node.
absl::Status ValidateGenesis(const v1::Genesis& genesis);
// [organizations.account_map] of the `index`-th [[organizations]] table into `org` (genesis and
// network spec files share the form); errors name origin:line:column.
absl::Status ReadOrganizationAccountMap(const toml::table& organization, std::string_view origin,
                                        size_t index, v1::Organization* org);
// TOML text that ParseGenesis reads back to the same Genesis.
std::string FormatGenesis(const v1::Genesis& genesis);

// An account map file: `account = "ERP code"` lines (the form of [organizations.account_map]),
// sorted by account. Whether the accounts exist is the books' to check.
absl::StatusOr<google::protobuf::RepeatedPtrField<v1::AccountCode>> ParseAccountMap(
    std::string_view text, std::string_view origin);

}  // namespace tl
