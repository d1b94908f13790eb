#include "trialledger/node/config.h"

#include <gtest/gtest.h>

namespace tl::node {
namespace {

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<NodeConfig> config = ParseNodeConfig(text, "node.toml", "/etc/tl");
  return config.ok() ? "accepted" : std::string(config.status().message());
}

const char* kGood = R"(name = "node1"
listen = "127.0.0.1:7051"
data_dir = "data"
genesis = "../genesis.toml"
node_key = "/keys/node1.key"
block_interval_ms = 50
peer_listen = "127.0.0.1:7151"
tls_ca = "../tls/ca.crt"
tls_cert = "../tls/node1.crt"
tls_key = "../tls/node1.key"
)";

TEST(NodeConfig, ResolvesRelativePathsAgainstTheConfigFolder) {
  absl::StatusOr<NodeConfig> config = ParseNodeConfig(kGood, "node.toml", "/etc/tl");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->data_dir, "/etc/tl/data");
  EXPECT_EQ(config->genesis_path, "/etc/genesis.toml");
  EXPECT_EQ(config->node_key_path, "/keys/node1.key");
  EXPECT_EQ(config->block_interval_ms, 50);
  EXPECT_EQ(config->block_max_txs, 500);
  EXPECT_EQ(config->tls_ca_path, "/etc/tls/ca.crt");
  EXPECT_EQ(config->raft_tick_ms, 100);
  EXPECT_EQ(config->election_ticks, 10);
}

TEST(NodeConfig, FormatReadsBack) {
  NodeConfig config = *ParseNodeConfig(kGood, "node.toml", "/etc/tl");
  config.data_dir = "data";
  absl::StatusOr<NodeConfig> again = ParseNodeConfig(FormatNodeConfig(config), "again", "/x");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->data_dir, "/x/data");
  EXPECT_EQ(again->listen_address, config.listen_address);
}

TEST(NodeConfig, ErrorsNameTheFieldAndPosition) {
  std::string missing = ErrorOf("name = \"node1\"\n");
  EXPECT_NE(missing.find("'listen' is missing"), std::string::npos) << missing;
  std::string range = ErrorOf(std::string(kGood) + "block_max_txs = 999999\n");
  EXPECT_NE(range.find("node.toml:11:"), std::string::npos) << range;
  EXPECT_NE(range.find("between 1 and 2000"), std::string::npos) << range;
  std::string type = ErrorOf(std::string(kGood) + "block_max_txs = \"many\"\n");
  EXPECT_NE(type.find("must be an integer"), std::string::npos) << type;
  std::string name = ErrorOf(std::string(kGood).replace(8, 5, "Node 1"));
  EXPECT_NE(name.find("lower-case"), std::string::npos) << name;
  EXPECT_NE(ErrorOf("name = ").find("node.toml:1:"), std::string::npos);
  std::string tick = ErrorOf(std::string(kGood) + "raft_tick_ms = 5\n");
  EXPECT_NE(tick.find("between 10 and 1000"), std::string::npos) << tick;
  std::string peer =
      ErrorOf(std::string(kGood).replace(std::string(kGood).find("peer_listen"), 31, ""));
  EXPECT_NE(peer.find("'peer_listen' is missing"), std::string::npos) << peer;
}

// kGood with `key = value` in place of its line for `key`, or added at the end.
std::string With(const std::string& key, const std::string& value) {
  std::string text = kGood;
  std::string line = key + " = " + value + "\n";
  size_t at = text.find(key + " = ");
  if (at == std::string::npos) return text + line;
  return text.replace(at, text.find('\n', at) + 1 - at, line);
}

TEST(NodeConfig, OptionalKeysDefaultToOff) {
  absl::StatusOr<NodeConfig> config = ParseNodeConfig(kGood, "node.toml", "/etc/tl");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->metrics_listen_address, "");
  EXPECT_EQ(config->log_level, "info");
  config = ParseNodeConfig(With("metrics_listen", "\"\""), "node.toml", "/etc/tl");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->metrics_listen_address, "");
  config = ParseNodeConfig(With("metrics_listen", "\"127.0.0.1:9151\"") + "log_level = \"debug\"\n",
                           "node.toml", "/etc/tl");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->metrics_listen_address, "127.0.0.1:9151");
  EXPECT_EQ(config->log_level, "debug");
  absl::StatusOr<NodeConfig> again = ParseNodeConfig(FormatNodeConfig(*config), "again", "/x");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->metrics_listen_address, "127.0.0.1:9151");
  EXPECT_EQ(again->log_level, "debug");
  // Unset optional keys are not written.
  std::string plain = FormatNodeConfig(*ParseNodeConfig(kGood, "node.toml", "/etc/tl"));
  EXPECT_EQ(plain.find("metrics_listen"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("log_level"), std::string::npos) << plain;
}

TEST(NodeConfig, GoodAddressesAreAccepted) {
  for (const char* address : {"127.0.0.1:7051", "0.0.0.0:1", "localhost:65535", "[::1]:7051",
                              "[::]:7051", "[fe80::1%eth0]:7051", "node-1.example.org:7051"}) {
    std::string value = std::string("\"") + address + "\"";
    EXPECT_EQ(ErrorOf(With("listen", value)), "accepted") << address;
    EXPECT_EQ(ErrorOf(With("metrics_listen", value)), "accepted") << address;
  }
  absl::StatusOr<HostPort> v6 = ParseHostPort("[::1]:9151");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9151);
}

// Each bad form is refused with the file, the line of the key, the key and what is wrong.
TEST(NodeConfig, BadAddressesNameFileLineKeyAndProblem) {
  struct Case {
    const char* value;
    const char* problem;
  };
  const Case cases[] = {
      {"'127.0.0.1:72922'", "port 72922 is out of range (1-65535)"},
      {"'127.0.0.1:99999999999999999999'", "port 99999999999999999999 is out of range (1-65535)"},
      {"'127.0.0.1:0'", "port 0 is out of range (1-65535)"},
      {"'127.0.0.1:notaport'", "'notaport' is not a port number"},
      {"'127.0.0.1:-1'", "'-1' is not a port number"},
      {"'127.0.0.1: 7051'", "' 7051' is not a port number"},
      {"'127.0.0.1:'", "'127.0.0.1:' has no port"},
      {"'127.0.0.1'", "'127.0.0.1' has no port"},
      {"':7051'", "':7051' has no host"},
      {"''", "expected HOST:PORT"},
      {"'::1:7051'", "an IPv6 address goes in brackets, e.g. [::1]:7051"},
      {"'[::1:7051'", "opens an IPv6 address with '[' but never closes it"},
      {"'[::1]7051'", "'[::1]7051' has no port after the address"},
      {"'[::1]:'", "'[::1]:' has no port"},
      {"'[]:7051'", "'[]:7051' has no host"},
      {"'[127.0.0.1]:7051'", "only IPv6 addresses go in brackets"},
      {"'local host:7051'", "'local host' is not a host name or address"},
      {"'unix:/tmp/sock'", "'/tmp/sock' is not a port number"},
      {"7051", "'listen' must be a string"},
  };
  for (const Case& bad : cases) {
    // listen is on line 2 of kGood, peer_listen on line 7; metrics_listen is added as line 11.
    std::string listen = ErrorOf(With("listen", bad.value));
    EXPECT_NE(listen.find("node.toml:2:"), std::string::npos) << bad.value << ": " << listen;
    EXPECT_NE(listen.find(bad.problem), std::string::npos) << bad.value << ": " << listen;
    if (std::string(bad.problem).find("must be a string") == std::string::npos) {
      EXPECT_NE(listen.find("listen: "), std::string::npos) << listen;
    }
    std::string peer = ErrorOf(With("peer_listen", bad.value));
    EXPECT_NE(peer.find("node.toml:7:"), std::string::npos) << bad.value << ": " << peer;
    EXPECT_NE(peer.find("peer_listen"), std::string::npos) << peer;
    if (std::string(bad.value) == "''") continue;  // an empty metrics_listen turns metrics off
    std::string metrics = ErrorOf(With("metrics_listen", bad.value));
    EXPECT_NE(metrics.find("node.toml:11:"), std::string::npos) << bad.value << ": " << metrics;
    EXPECT_NE(metrics.find("metrics_listen"), std::string::npos) << metrics;
  }
  EXPECT_EQ(ErrorOf(With("listen", "'127.0.0.1:72922'")),
            "node.toml:2:10: node config: listen: port 72922 is out of range (1-65535)");
}

TEST(NodeConfig, BadLogLevelIsRefused) {
  std::string level = ErrorOf(std::string(kGood) + "log_level = \"verbose\"\n");
  EXPECT_EQ(level,
            "node.toml:11:13: node config: log_level: log level 'verbose' is not one of debug, "
            "info, warn, error");
  EXPECT_NE(ErrorOf(std::string(kGood) + "log_level = 3\n").find("'log_level' must be a string"),
            std::string::npos);
}

}  // namespace
}  // namespace tl::node
