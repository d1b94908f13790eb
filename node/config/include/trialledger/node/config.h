// trialledgerd's configuration file (TOML, docs/network-config.md):
//
//   name = "node1"                     # this node's name in the genesis [[nodes]]
//   listen = "127.0.0.1:7051"          # gRPC address to serve on
//   data_dir = "data/node1"            # relative paths are relative to this file
//   genesis = "genesis.toml"
//   node_key = "keys/node1.key"
//   block_interval_ms = 0              # 0: cut a block as soon as the last one is durable;
//                                      # N: wait up to N ms to batch more
//   block_max_txs = 500                # at most this many transactions per block
//   peer_listen = "127.0.0.1:7151"     # mutual-TLS endpoint for Raft and the other nodes
//   tls_ca = "../../tls/ca.crt"        # the network CA: the only issuer peers accept
//   tls_cert = "../../tls/node1.crt"   # this node's certificate (names the node)
//   tls_key = "../../tls/node1.key"
//   raft_tick_ms = 100                 # one Raft tick; heartbeats go out every tick
//   election_ticks = 10                # a follower campaigns after 10..20 silent ticks
//   snapshot_interval = 1000           # compact the Raft log every this many applied entries
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace tl::node {

struct NodeConfig {
  std::string name;
  std::string listen_address;
  std::string data_dir;
  std::string genesis_path;
  std::string node_key_path;
  int64_t block_interval_ms = 0;
  int64_t block_max_txs = 500;
  std::string peer_listen_address;
  std::string tls_ca_path;
  std::string tls_cert_path;
  std::string tls_key_path;
  int64_t raft_tick_ms = 100;
  int64_t election_ticks = 10;
  int64_t snapshot_interval = 1000;
};

absl::StatusOr<NodeConfig> ReadNodeConfig(const std::string& path);
absl::StatusOr<NodeConfig> ParseNodeConfig(std::string_view text, std::string_view origin,
                                           const std::string& base_dir);
// TOML text that ParseNodeConfig reads back to `config` (paths written as given).
std::string FormatNodeConfig(const NodeConfig& config);

}  // namespace tl::node
