// A network spec file (`network init --spec FILE`, docs/network-config.md): the organisations,
// their members and roles, account maps, the nodes and their addresses, and the auditors the books
// name, in TOML. `network init` turns it into keys, certificates, genesis and node configs; the
// flags of `network init` (--nodes, --orgs, ...) make the same spec without a file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/sdk/protocol.h"

namespace tl::cli {

struct MemberSpec {
  std::string name;
  std::vector<std::string> roles;
};

struct OrgSpec {
  v1::Organization org;  // name, display name, kind, account map
  std::vector<MemberSpec> members;
};

struct NodeSpec {
  std::string name, org, host;
  int port = 0, peer_port = 0;
};

// An auditor organisation that may read a book from the start. `network up` submits each as
// GrantAccess, signed by the book's finance member, once the network has a leader. (A grant of
// one contract needs the contract, so it is made later with `access grant --contract`.)
struct GrantSpec {
  std::string auditor, book;
};

// The sponsor's accrual settings for a contract the network will run: its own unit-cost grid
// (docs/books.md, "The sponsor's unit-cost grid") instead of the CRO's measure. The contract
// does not exist at init, so `network init` writes each as DIR/accrual-grids/<contract>.json, the
// file `books set-accrual-grid` takes; the sponsor's finance member sets it once the contract is
// proposed and before its first fact (the ledger refuses a first grid after a posting).
struct AccrualGridSpec {
  std::string sponsor;
  v1::SetAccrualGrid grid;  // contract_id, currency, rates, holdback_released_by
};

struct NetworkSpec {
  std::string chain_id = "trialledger-local";
  int64_t genesis_time_ms = 0;
  std::vector<OrgSpec> orgs;
  std::vector<NodeSpec> nodes;
  std::vector<GrantSpec> grants;
  std::vector<AccrualGridSpec> accrual_grids;
};

// The members a newcomer needs per kind of organisation, named "<org>-<suffix>".
std::vector<MemberSpec> DefaultMembers(const v1::Organization& org);
// A sample chart of ERP codes for a kind's book, replaced later with `books set-account-map`.
void AddSampleAccountMap(v1::Organization& org);

// Parses and checks a spec: every field and cross-record rule, errors "origin:line:column: what".
absl::StatusOr<NetworkSpec> ParseNetworkSpec(std::string_view text, std::string_view origin);
absl::StatusOr<NetworkSpec> ReadNetworkSpecFile(const std::string& path);

// The rules a spec keeps beyond each field: names unique, every org with an admin, nodes run by a
// sponsor or CRO, ports distinct and in range, grants from a book to an auditor, accrual grids of
// a sponsor that keep the ledger's grid rules, one per contract.
absl::Status ValidateNetworkSpec(const NetworkSpec& spec);

}  // namespace tl::cli
