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
//   metrics_listen = "127.0.0.1:9151"  # optional: plain-HTTP Prometheus endpoint (GET /metrics)
//   log_level = "info"                 # optional: debug | info | warn | error
//
// Every address is HOST:PORT with a port from 1 to 65535 and a host name, an IPv4 address or an
// IPv6 address in brackets ("[::1]:7051"). A bad value is refused with the file, line and key
// before the node creates anything.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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
  std::string metrics_listen_address;  // empty: no metrics endpoint
  std::string log_level = "info";      // one of log.h's level names
};

// An address a node listens on, split: `host` without the brackets of an IPv6 address.
struct HostPort {
  std::string host;
  int port = 0;
};

// Parses "HOST:PORT" (see above). The error says what is wrong, e.g. "port 72922 is out of range
// (1-65535)"; the caller adds where.
absl::StatusOr<HostPort> ParseHostPort(std::string_view address);

absl::StatusOr<NodeConfig> ReadNodeConfig(const std::string& path);
absl::StatusOr<NodeConfig> ParseNodeConfig(std::string_view text, std::string_view origin,
                                           const std::string& base_dir);
// TOML text that ParseNodeConfig reads back to `config` (paths written as given).
std::string FormatNodeConfig(const NodeConfig& config);

}  // namespace tl::node
