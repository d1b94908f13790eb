#include "trialledger/node/config.h"

#include <filesystem>
#include <sstream>

#include "trialledger/base/str_cat.h"
#include "trialledger/node/log.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/identity_rules.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/toml_reader.h"

namespace tl::node {
namespace {

constexpr std::string_view kAddressExample = "e.g. 127.0.0.1:7051 or [::1]:7051";

std::string Resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
// A host name or an IPv4 address: letters, digits, '.', '-' and '_'.
bool IsHostNameChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-' ||
         c == '_';
}
// Inside the brackets: hex digits, ':', '.' for an IPv4 tail, and '%' with a zone name (so any
// letter). A rough check: the listener refuses what is still not an address.
bool IsIpv6Char(char c) {
  return IsHostNameChar(c) || c == ':' || c == '%';
}

// The address `key` (an error names the file, line and key); "" when absent and not required.
std::string ReadAddress(TableReader& reader, const toml::table& table, std::string_view key,
                        bool required) {
  std::string address = reader.String(key, required);
  if (!reader.status().ok() || (!required && table.get(key) == nullptr)) return address;
  if (!required && address.empty()) return address;  // an empty optional address: off
  absl::StatusOr<HostPort> parsed = ParseHostPort(address);
  if (!parsed.ok()) reader.Fail(*table.get(key), StrCat(key, ": ", MessageOf(parsed.status())));
  return address;
}

}  // namespace

absl::StatusOr<HostPort> ParseHostPort(std::string_view address) {
  if (address.empty()) {
    return absl::InvalidArgumentError(StrCat("expected HOST:PORT (", kAddressExample, ")"));
  }
  HostPort parsed;
  std::string_view port;
  if (address.front() == '[') {
    size_t close = address.find(']');
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError(
          StrCat("'", address, "' opens an IPv6 address with '[' but never closes it"));
    }
    std::string_view host = address.substr(1, close - 1);
    if (host.empty()) return absl::InvalidArgumentError(StrCat("'", address, "' has no host"));
    for (char c : host) {
      if (!IsIpv6Char(c)) {
        return absl::InvalidArgumentError(StrCat("'", host, "' is not an IPv6 address"));
      }
    }
    if (host.find(':') == std::string_view::npos) {
      return absl::InvalidArgumentError(
          StrCat("'", host, "' is not an IPv6 address; only IPv6 addresses go in brackets"));
    }
    if (close + 1 >= address.size() || address[close + 1] != ':') {
      return absl::InvalidArgumentError(
          StrCat("'", address, "' has no port after the address (", kAddressExample, ")"));
    }
    parsed.host = std::string(host);
    port = address.substr(close + 2);
  } else {
    size_t colon = address.rfind(':');
    if (colon == std::string_view::npos) {
      return absl::InvalidArgumentError(
          StrCat("'", address, "' has no port (", kAddressExample, ")"));
    }
    std::string_view host = address.substr(0, colon);
    if (host.find(':') != std::string_view::npos) {
      return absl::InvalidArgumentError(
          StrCat("'", address, "': an IPv6 address goes in brackets, e.g. [::1]:7051"));
    }
    if (host.empty()) {
      return absl::InvalidArgumentError(
          StrCat("'", address, "' has no host (", kAddressExample, ")"));
    }
    for (char c : host) {
      if (!IsHostNameChar(c)) {
        return absl::InvalidArgumentError(StrCat("'", host, "' is not a host name or address"));
      }
    }
    parsed.host = std::string(host);
    port = address.substr(colon + 1);
  }
  if (port.empty()) {
    return absl::InvalidArgumentError(
        StrCat("'", address, "' has no port (", kAddressExample, ")"));
  }
  for (char c : port) {
    if (!IsDigit(c)) return absl::InvalidArgumentError(StrCat("'", port, "' is not a port number"));
  }
  // More than five digits is out of range whatever they are (and would not fit an int).
  int value = 0;
  if (port.size() <= 5) {
    for (char c : port)
      value = value * 10 + (c - '0');
  }
  if (port.size() > 5 || value < 1 || value > 65535) {
    return absl::InvalidArgumentError(StrCat("port ", port, " is out of range (1-65535)"));
  }
  parsed.port = value;
  return parsed;
}

absl::StatusOr<NodeConfig> ParseNodeConfig(std::string_view text, std::string_view origin,
                                           const std::string& base_dir) {
  absl::StatusOr<toml::table> table = ParseToml(text, origin);
  if (!table.ok()) return table.status();
  TableReader reader(*table, std::string(origin), "node config");
  NodeConfig config;
  config.name = reader.String("name");
  config.listen_address = ReadAddress(reader, *table, "listen", /*required=*/true);
  config.data_dir = Resolve(base_dir, reader.String("data_dir"));
  config.genesis_path = Resolve(base_dir, reader.String("genesis"));
  config.node_key_path = Resolve(base_dir, reader.String("node_key"));
  config.block_interval_ms = reader.Integer("block_interval_ms", 0, 0, 60000);
  config.block_max_txs =
      reader.Integer("block_max_txs", 500, 1, static_cast<int64_t>(limits::kBlockTxsMax));
  config.peer_listen_address = ReadAddress(reader, *table, "peer_listen", /*required=*/true);
  config.tls_ca_path = Resolve(base_dir, reader.String("tls_ca"));
  config.tls_cert_path = Resolve(base_dir, reader.String("tls_cert"));
  config.tls_key_path = Resolve(base_dir, reader.String("tls_key"));
  config.raft_tick_ms = reader.Integer("raft_tick_ms", 100, 10, 1000);
  config.election_ticks = reader.Integer("election_ticks", 10, 3, 100);
  config.snapshot_interval = reader.Integer("snapshot_interval", 1000, 2, 1'000'000);
  config.metrics_listen_address = ReadAddress(reader, *table, "metrics_listen", /*required=*/false);
  if (table->get("log_level") != nullptr) {
    config.log_level = reader.String("log_level");
    absl::StatusOr<log::Level> level = log::ParseLevel(config.log_level);
    if (reader.status().ok() && !level.ok()) {
      reader.Fail(*table->get("log_level"), StrCat("log_level: ", MessageOf(level.status())));
    }
  }
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
  // Optional keys are written only when set, so generated files show what was chosen.
  if (!config.metrics_listen_address.empty()) {
    table.insert("metrics_listen", config.metrics_listen_address);
  }
  if (config.log_level != NodeConfig().log_level) table.insert("log_level", config.log_level);
  std::ostringstream out;
  out << "# trialledgerd configuration (docs/network-config.md). Relative paths are relative to\n"
      << "# this file's folder.\n"
      << table << "\n";
  return out.str();
}

}  // namespace tl::node
