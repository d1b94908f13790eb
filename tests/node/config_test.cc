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

}  // namespace
}  // namespace tl::node
