// The `trialledger` command line end to end against a real node: every command of the
// foundation, its -o json shape, and one-line errors with a non-zero exit.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "local_network.h"
#include "trialledger/sdk/tls.h"

namespace tl {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::LocalNetwork;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { network_.Start(0); }

  CommandResult Run(const std::vector<std::string>& args) { return network_.Cli(0, args); }
  json RunJson(const std::vector<std::string>& args) {
    std::vector<std::string> with_json = args;
    with_json.push_back("-o");
    with_json.push_back("json");
    CommandResult result = Run(with_json);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.exit_code == 0 ? json::parse(result.out) : json();
  }
  // Exactly one line on stderr, naming the problem.
  void ExpectOneLineFailure(const CommandResult& result, const std::string& needle) {
    EXPECT_NE(result.exit_code, 0);
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_NE(result.err.find(needle), std::string::npos) << result.err;
  }

  LocalNetwork network_{1};
};

TEST_F(CliTest, NetworkInitDescribesNodesAndMembersInJson) {
  testing::TempDir dir;
  CommandResult init = testing::RunCommand({testing::BinDir() + "/trialledger", "network", "init",
                                            "--out", dir.Sub("net"), "--nodes", "3", "--orgs",
                                            "sponsor:acme,cro:fastcro,auditor:kpmg", "-o", "json"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  json layout = json::parse(init.out);
  ASSERT_EQ(layout["nodes"].size(), 3u);
  for (const auto& node : layout["nodes"]) {
    for (const char* field : {"name", "config", "address", "data_dir"}) {
      EXPECT_TRUE(node.contains(field)) << field;
    }
    // Each node certificate is issued by the network's CA; the private key is 0600.
    EXPECT_TRUE(
        VerifyCertificate(testing::ReadFile(layout["tls_ca"]), testing::ReadFile(node["tls_cert"]))
            .ok());
    struct stat key_info;
    ASSERT_EQ(::stat(node["tls_key"].get<std::string>().c_str(), &key_info), 0);
    EXPECT_EQ(key_info.st_mode & 0777, 0600);
  }
  bool has_edc_oracle = false;
  for (const auto& member : layout["members"]) {
    for (const char* field : {"name", "org", "roles", "key"})
      EXPECT_TRUE(member.contains(field));
    struct stat info;
    ASSERT_EQ(::stat(member["key"].get<std::string>().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
    for (const auto& role : member["roles"])
      has_edc_oracle |= role == "oracle:edc";
  }
  EXPECT_TRUE(has_edc_oracle);
  // A second init into the same folder is refused and leaves the first intact.
  CommandResult again = testing::RunCommand(
      {testing::BinDir() + "/trialledger", "network", "init", "--out", dir.Sub("net")});
  ExpectOneLineFailure(again, "not empty");
  CommandResult bad_org =
      testing::RunCommand({testing::BinDir() + "/trialledger", "network", "init", "--out",
                           dir.Sub("other"), "--orgs", "pharma:acme"});
  ExpectOneLineFailure(bad_org, "kind must be sponsor, cro or auditor");
  // --hosts: one address per node, each in the node's addresses (and so its certificate).
  json hosts = json::parse(testing::RunCommand({testing::BinDir() + "/trialledger", "network",
                                                "init", "--out", dir.Sub("hosts"), "--nodes", "2",
                                                "--hosts", "127.0.0.2,127.0.0.3", "-o", "json"})
                               .out);
  ASSERT_EQ(hosts["nodes"].size(), 2u);
  EXPECT_EQ(hosts["nodes"][0]["address"], "127.0.0.2:7051");
  EXPECT_EQ(hosts["nodes"][1]["peer_address"], "127.0.0.3:7054");
  CommandResult too_few =
      testing::RunCommand({testing::BinDir() + "/trialledger", "network", "init", "--out",
                           dir.Sub("few"), "--nodes", "3", "--hosts", "127.0.0.2,127.0.0.3"});
  ExpectOneLineFailure(too_few, "--hosts gives 2 addresses for 3 nodes");
  CommandResult bad_host =
      testing::RunCommand({testing::BinDir() + "/trialledger", "network", "init", "--out",
                           dir.Sub("bad-host"), "--nodes", "2", "--hosts", "a b,127.0.0.3"});
  ExpectOneLineFailure(bad_host, "host:");
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("bad-host")));
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("few")));
}

TEST_F(CliTest, KeysGenAndShow) {
  testing::TempDir dir;
  std::string path = dir.Sub("alice.key");
  json made = RunJson({"keys", "gen", "--out", path});
  EXPECT_EQ(made["name"], "alice");
  EXPECT_EQ(made["public_key"].get<std::string>().size(), 64u);
  json shown = RunJson({"keys", "show", path});
  EXPECT_EQ(shown["public_key"], made["public_key"]);
  ExpectOneLineFailure(Run({"keys", "gen", "--out", path}), "refusing to overwrite");
}

TEST_F(CliTest, NotesBlocksAndTransactionsThroughTheCli) {
  std::string key = network_.member_key_path("northwind-cro-edc");
  json note = RunJson({"--key", key, "tx", "note", "site 101 activated"});
  EXPECT_EQ(note["status"], "committed");
  EXPECT_EQ(note["result"], "ok");
  std::string tx_id = note["tx_id"];

  json shown = RunJson({"tx", "show", tx_id});
  EXPECT_EQ(shown["status"], "committed");
  EXPECT_EQ(shown["payload"], "note: site 101 activated");
  EXPECT_EQ(shown["height"], note["height"]);
  EXPECT_EQ(shown["signer"], "northwind-cro/northwind-cro-edc");

  json block = RunJson({"block", "show", std::to_string(note["height"].get<uint64_t>())});
  EXPECT_EQ(block["transactions"][0]["tx_id"], tx_id);
  EXPECT_EQ(block["proposer"], "node1");

  RunJson({"--key", key, "tx", "note", "second"});
  json list = RunJson({"block", "list"});
  ASSERT_GE(list.size(), 2u);
  EXPECT_LT(list[0]["height"].get<uint64_t>(), list[1]["height"].get<uint64_t>());

  json status = RunJson({"status"});
  EXPECT_EQ(status["height"], list.back()["height"]);
  EXPECT_EQ(status["chain_id"], "trialledger-local");
  json linearizable = RunJson({"status", "--linearizable"});
  EXPECT_EQ(linearizable["height"], list.back()["height"]);

  CommandResult table = Run({"block", "list"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("HEIGHT"), std::string::npos);

  ASSERT_EQ(network_.Stop(0), 0);
  json verified = RunJson({"verify", "--data-dir", network_.data_dir(0)});
  EXPECT_EQ(verified["result"], "ok");
  EXPECT_EQ(verified["transactions"], 2);
}

TEST_F(CliTest, MembersAreManagedByTheirOrganisationsAdmin) {
  testing::TempDir dir;
  json key = RunJson({"keys", "gen", "--out", dir.Sub("monitor.key")});
  std::string admin = network_.member_key_path("northwind-cro-admin");
  json added = RunJson({"--key", admin, "member", "add", "--name", "monitor", "--roles", "clinops",
                        "--public-key", key["public_key"]});
  EXPECT_EQ(added["status"], "committed");
  json member = RunJson({"member", "show", key["public_key"]});
  EXPECT_EQ(member["org"], "northwind-cro");
  EXPECT_EQ(RunJson({"--key", dir.Sub("monitor.key"), "tx", "note", "hi"})["result"], "ok");

  // The sponsor's finance member may not register anyone.
  CommandResult refused =
      Run({"--key", network_.member_key_path("acme-bio-finance"), "member", "add", "--name", "x",
           "--roles", "finance", "--public-key", key["public_key"]});
  ExpectOneLineFailure(refused, "permission_denied");

  RunJson({"--key", admin, "member", "revoke", key["public_key"], "--reason", "left the study"});
  // Refused from the next block on, already when the CLI reads the member's nonce with it.
  ExpectOneLineFailure(Run({"--key", dir.Sub("monitor.key"), "tx", "note", "after"}),
                       "of 'northwind-cro' was revoked at block");
}

TEST_F(CliTest, ASettingsFileSparesTheFlagsAndConfigShowSaysWhereEachCameFrom) {
  testing::TempDir dir;
  const std::string config = dir.Sub("config.toml");
  std::ofstream(config) << "node = \"" << network_.address(0) << "\"\nca = \"" << network_.ca_path()
                        << "\"\nkey = \"" << network_.member_key_path("acme-bio-admin")
                        << "\"\noutput = \"json\"\n";
  const std::string cli = testing::BinDir() + "/trialledger";
  // No flags at all: node, CA, key and output come from the file.
  CommandResult note =
      testing::RunCommand({cli, "tx", "note", "from the settings file"}, {"TL_CONFIG=" + config});
  ASSERT_EQ(note.exit_code, 0) << note.err;
  EXPECT_EQ(json::parse(note.out)["status"], "committed");
  CommandResult shown = testing::RunCommand({cli, "config", "show", "--timeout", "5"},
                                            {"TL_CONFIG=" + config, "TL_KEY=/elsewhere.key"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  std::map<std::string, json> settings;
  const json parsed =
      json::parse(shown.out);  // kept: a range-for over a temporary's member dangles
  for (const json& row : parsed["settings"])
    settings[row["setting"].get<std::string>()] = row;
  EXPECT_EQ(settings["node"]["source"], "file " + config);
  EXPECT_EQ(settings["key"]["source"], "environment TL_KEY");
  EXPECT_EQ(settings["key"]["value"], "/elsewhere.key");
  EXPECT_EQ(settings["timeout"]["source"], "flag --timeout");
  EXPECT_EQ(settings["timeout"]["value"], "5");
  // A typo in the file is refused with its line, not ignored.
  std::ofstream(config) << "node = \"x\"\nouput = \"json\"\n";
  ExpectOneLineFailure(testing::RunCommand({cli, "status"}, {"TL_CONFIG=" + config}),
                       config + ":2:9: trialledger config: unknown field 'ouput'");
}

TEST_F(CliTest, BashCompletionKnowsEveryCommandAndFlag) {
  testing::TempDir dir;
  CommandResult script = Run({"completion", "bash"});
  ASSERT_EQ(script.exit_code, 0) << script.err;
  std::ofstream(dir.Sub("completion.sh")) << script.out;
  // What bash offers after `trialledger network u` and `trialledger journal export --f`.
  CommandResult offered = testing::RunCommand(
      {"/bin/bash", "-c",
       "source " + dir.Sub("completion.sh") +
           "; COMP_WORDS=(trialledger network u); COMP_CWORD=2; _trialledger; "
           "echo \"${COMPREPLY[@]}\"; COMP_WORDS=(trialledger -o json journal export --f); "
           "COMP_CWORD=5; _trialledger; echo \"${COMPREPLY[@]}\""});
  ASSERT_EQ(offered.exit_code, 0) << offered.err;
  EXPECT_EQ(offered.out, "up\n--format\n");
}

TEST_F(CliTest, ErrorsAreOneLineWithNonZeroExit) {
  ExpectOneLineFailure(Run({"--key", "/nonexistent.key", "tx", "note", "x"}), "does not exist");
  ExpectOneLineFailure(Run({"tx", "show", "abcd"}), "transaction id");
  ExpectOneLineFailure(Run({"tx", "show", std::string(64, 'a')}), "no such transaction");
  ExpectOneLineFailure(Run({"block", "show", "999"}), "no block at height 999");
  // Without any key (Run signs reads with a reader's): a transaction needs one, and so does a read.
  std::vector<std::string> keyless = network_.CliArgs(0);
  keyless.insert(keyless.end(), {"tx", "note", "unsigned"});
  ExpectOneLineFailure(testing::RunCommand(keyless), "--key");
  keyless = network_.CliArgs(0);
  keyless.insert(keyless.end(), {"block", "list"});
  ExpectOneLineFailure(testing::RunCommand(keyless), "not signed by a member's key");
  ExpectOneLineFailure(Run({"verify", "--data-dir", "/nonexistent-dir"}), "cannot open");
  CommandResult unreachable =
      testing::RunCommand({testing::BinDir() + "/trialledger", "--node", "127.0.0.1:1", "--ca",
                           network_.ca_path(), "status"});
  EXPECT_NE(unreachable.exit_code, 0);
  EXPECT_NE(unreachable.err.find("127.0.0.1:1"), std::string::npos) << unreachable.err;
  // Without the network CA the CLI does not try plaintext: it says what to give.
  ExpectOneLineFailure(testing::RunCommand({testing::BinDir() + "/trialledger", "--node",
                                            network_.address(0), "status"}),
                       "give --ca FILE (or TL_CA)");
  ExpectOneLineFailure(
      testing::RunCommand({testing::BinDir() + "/trialledger", "--node", network_.address(0),
                           "--ca", "/nonexistent.crt", "status"}),
      "--ca: ");
}

}  // namespace
}  // namespace tl
