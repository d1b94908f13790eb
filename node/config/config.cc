#include "trialledger/node/config.h"

#include <filesystem>
#include <sstream>

#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/identity_rules.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/toml_reader.h"

namespace tl::node {
namespace {

std::string Resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

}  // namespace

absl::StatusOr<NodeConfig> ParseNodeConfig(std::string_view text, std::string_view origin,
                                           const std::string& base_dir) {
  absl::StatusOr<toml::table> table = ParseToml(text, origin);
  if (!table.ok()) return table.status();
  TableReader reader(*table, std::string(origin), "node config");
  NodeConfig config;
  config.name = reader.String("name");
  config.listen_address = reader.String("listen");
  config.data_dir = Resolve(base_dir, reader.String("data_dir"));
  config.genesis_path = Resolve(base_dir, reader.String("genesis"));
  config.node_key_path = Resolve(base_dir, reader.String("node_key"));
  config.block_interval_ms = reader.Integer("block_interval_ms", 0, 0, 60000);
  config.block_max_txs =
      reader.Integer("block_max_txs", 500, 1, static_cast<int64_t>(limits::kBlockTxsMax));
  config.peer_listen_address = reader.String("peer_listen");
  config.tls_ca_path = Resolve(base_dir, reader.String("tls_ca"));
  config.tls_cert_path = Resolve(base_dir, reader.String("tls_cert"));
  config.tls_key_path = Resolve(base_dir, reader.String("tls_key"));
  config.raft_tick_ms = reader.Integer("raft_tick_ms", 100, 10, 1000);
  config.election_ticks = reader.Integer("election_ticks", 10, 3, 100);
  config.snapshot_interval = reader.Integer("snapshot_interval", 1000, 2, 1'000'000);
  if (reader.status().ok()) reader.Check(ValidateName(config.name, "name"));
  if (!reader.status().ok()) return reader.status();
  return config;
}

absl::StatusOr<NodeConfig> ReadNodeConfig(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  std::string base_dir = std::filesystem::path(path).parent_path().string();
  return ParseNodeConfig(*text, path, base_dir.empty() ? "." : base_dir);
}

std::string FormatNodeConfig(const NodeConfig& config) {
  toml::table table{
      {"name", config.name},
      {"listen", config.listen_address},
      {"data_dir", config.data_dir},
      {"genesis", config.genesis_path},
      {"node_key", config.node_key_path},
      {"block_interval_ms", config.block_interval_ms},
      {"block_max_txs", config.block_max_txs},
      {"peer_listen", config.peer_listen_address},
      {"tls_ca", config.tls_ca_path},
      {"tls_cert", config.tls_cert_path},
      {"tls_key", config.tls_key_path},
      {"raft_tick_ms", config.raft_tick_ms},
      {"election_ticks", config.election_ticks},
      {"snapshot_interval", config.snapshot_interval},
  };
  std::ostringstream out;
  out << "# trialledgerd configuration (docs/network-config.md). Relative paths are relative to\n"
      << "# this file's folder.\n"
      << table << "\n";
  return out.str();
}

}  // namespace tl::node
