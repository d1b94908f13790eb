// `trialledger network init`: keys, genesis and node configs for a local network.
//
//   OUT/genesis.toml
//   OUT/keys/<member>.key, OUT/keys/<node>.key          (0600)
//   OUT/nodes/<node>/node.toml                          (data in OUT/nodes/<node>/data)
//   OUT/tls/ca.crt, ca.key                              the network CA for node-to-node mTLS
//   OUT/tls/<node>.crt, <node>.key                      each node's certificate (key 0600)
//   OUT/grants.toml                                     the spec's auditor grants, for `network up`
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tl::cli {

struct NetworkInitOptions {
  std::string out_dir;
  // A network spec file (network_spec.h); when given, the flags below are not used.
  std::string spec_path;
  int nodes = 1;
  // "kind:name", kind one of sponsor, cro, auditor.
  std::vector<std::string> orgs = {"sponsor:acme-bio", "cro:northwind-cro"};
  std::string chain_id = "trialledger-local";
  std::string host = "127.0.0.1";
  // One address per node (node1 first) instead of `host` for all: nodes on separate machines or
  // network namespaces. Empty: every node listens on `host`.
  std::vector<std::string> hosts;
  // Client ports are base_port .. base_port+N-1, peer (mutual-TLS) ports the next N.
  int base_port = 7051;
  int64_t genesis_time_ms = 0;
};

struct NetworkLayout {
  struct NodeEntry {
    std::string name, org, config, address, peer_address, data_dir, tls_cert, tls_key;
  };
  struct MemberEntry {
    std::string name, org, key, public_key;
    std::vector<std::string> roles;
  };
  std::string genesis;
  std::string tls_ca;  // the network CA's certificate (its key beside it, 0600)
  std::vector<NodeEntry> nodes;
  std::vector<MemberEntry> members;
  // The spec's accrual grids, one file each for `books set-accrual-grid --file`.
  struct AccrualGridEntry {
    std::string contract, file, signer_key;
  };
  std::vector<AccrualGridEntry> accrual_grids;
};

absl::StatusOr<NetworkLayout> InitNetwork(const NetworkInitOptions& options);

// `trialledger network add-node`: a key, a certificate from the network's CA and a node config
// for a node that joins an existing network later (then admitted with `cluster add-learner`).
struct AddNodeOptions {
  std::string network_dir;  // what `network init --out` wrote
  std::string name;
  std::string host = "127.0.0.1";
  int port = 0;
  int peer_port = 0;
};

struct AddedNode {
  NetworkLayout::NodeEntry node;
  std::string node_key;    // path of its key file
  std::string public_key;  // hex
};

absl::StatusOr<AddedNode> AddNodeFiles(const AddNodeOptions& options);

}  // namespace tl::cli
