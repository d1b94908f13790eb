// Network specs (network-config/, docs/network-config.md) end to end: each sample is turned into a
// network by `network init --spec`, started with `network up`, takes a transaction, answers
// `network status` and stops with `network down`; the spec's auditor grants are in force; a bad
// spec is refused with its file, line and field and writes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "process.h"
#include "test_ledger.h"

namespace tl {
namespace {

using nlohmann::json;
using testing::CommandResult;

std::string Cli() {
  return testing::BinDir() + "/trialledger";
}

// The sample with every port replaced by a free one, so that tests running at once never meet.
std::string WithFreePorts(const std::string& text) {
  std::regex port_line(R"((^|\n)((peer_)?port = )\d+)");
  std::string out;
  std::sregex_iterator end;
  size_t last = 0;
  for (std::sregex_iterator match(text.begin(), text.end(), port_line); match != end; ++match) {
    out += text.substr(last, match->position() - last);
    out += (*match)[1].str() + (*match)[2].str() + std::to_string(testing::FreePort());
    last = match->position() + match->length();
  }
  return out + text.substr(last);
}

class NetworkSpecTest : public ::testing::Test {
 protected:
  std::string Sample(const std::string& name) {
    std::ifstream in(std::string(TL_NETWORK_CONFIG_DIR) + "/" + name);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_FALSE(text.empty()) << name;
    const std::string path = dir_.Sub(name);
    std::ofstream(path) << WithFreePorts(text);
    return path;
  }
  CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), Cli());
    return testing::RunCommand(args);
  }
  json RunJson(std::vector<std::string> args) {
    args.insert(args.end(), {"-o", "json"});
    CommandResult result = Run(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.exit_code == 0 ? json::parse(result.out) : json();
  }
  // A command as `member` against node `address` of the network in `net`.
  CommandResult As(const std::string& net, const std::string& address, const std::string& member,
                   std::vector<std::string> args) {
    args.insert(args.begin(), {"--node", address, "--ca", net + "/tls/ca.crt", "--key",
                               net + "/keys/" + member + ".key"});
    return Run(args);
  }
  // Init, up, a note by `admin`, status, down; returns the address of the first node (the
  // network is down again) and leaves `net` for more checks in between via `between`.
  void UpAndDown(const std::string& sample, size_t nodes, const std::string& admin,
                 const std::function<void(const std::string&, const std::string&)>& between) {
    const std::string net = dir_.Sub(sample + ".net");
    json init = RunJson({"network", "init", "--spec", Sample(sample), "--out", net});
    ASSERT_EQ(init["nodes"].size(), nodes);
    json up = RunJson({"network", "up", net});
    ASSERT_EQ(up["nodes"].size(), nodes) << up.dump();
    EXPECT_FALSE(up["leader"].get<std::string>().empty());
    const std::string address = init["nodes"][0]["address"];
    CommandResult note = As(net, address, admin, {"tx", "note", "spec network up", "-o", "json"});
    EXPECT_EQ(note.exit_code, 0) << note.err;
    if (note.exit_code == 0) {
      EXPECT_EQ(json::parse(note.out)["status"], "committed");
    }
    json status = RunJson({"network", "status", net});
    ASSERT_EQ(status.size(), nodes);
    for (const json& node : status) {
      EXPECT_EQ(node["process"], "running") << node.dump();
      EXPECT_EQ(node["answer"], "ok") << node.dump();
      EXPECT_EQ(node["leader"], up["leader"]) << node.dump();
    }
    between(net, address);
    json down = RunJson({"network", "down", net});
    for (const json& node : down)
      EXPECT_EQ(node["state"], "stopped") << node.dump();
    for (const json& node : RunJson({"network", "status", net})) {
      EXPECT_EQ(node["process"], "not running") << node.dump();
    }
  }

  testing::TempDir dir_;
};

TEST_F(NetworkSpecTest, TwoPartiesOnThreeNodesWithTheCrosAuditorGranted) {
  UpAndDown("two-party-3-nodes.toml", 3, "acme-bio-admin",
            [&](const std::string& net, const std::string& address) {
              // The grant of the spec: the auditor reads the CRO's book, not the sponsor's.
              CommandResult audited =
                  As(net, address, "ledger-audit-auditor",
                     {"report", "trial-balance", "--book", "northwind-cro", "--period", "2026-11"});
              EXPECT_EQ(audited.exit_code, 0) << audited.err;
              CommandResult refused =
                  As(net, address, "ledger-audit-auditor",
                     {"report", "trial-balance", "--book", "acme-bio", "--period", "2026-11"});
              EXPECT_NE(refused.err.find("permission_denied"), std::string::npos) << refused.err;
              // A second `up` finds the nodes running and submits the grant no more.
              json again = RunJson({"network", "up", net});
              EXPECT_EQ(again["grants_made"], 0);
              EXPECT_EQ(again["nodes"][0]["state"], "already running");
            });
}

TEST_F(NetworkSpecTest, TwoPartiesOnFiveNodes) {
  UpAndDown("two-party-5-nodes.toml", 5, "northwind-cro-admin",
            [](const std::string&, const std::string&) {});
}

TEST_F(NetworkSpecTest, ASponsorWithTwoCrosWhoseBooksAreTheirOwn) {
  UpAndDown("sponsor-two-cros.toml", 3, "harbor-cro-admin",
            [&](const std::string& net, const std::string& address) {
              CommandResult other =
                  As(net, address, "northwind-cro-finance",
                     {"report", "trial-balance", "--book", "harbor-cro", "--period", "2026-11"});
              EXPECT_NE(other.err.find("permission_denied: member 'northwind-cro-finance' of "
                                       "'northwind-cro' may not read book 'harbor-cro'"),
                        std::string::npos)
                  << other.err;
              CommandResult sponsor_audited =
                  As(net, address, "ledger-audit-auditor",
                     {"report", "trial-balance", "--book", "acme-bio", "--period", "2026-11"});
              EXPECT_EQ(sponsor_audited.exit_code, 0) << sponsor_audited.err;
              // The spec's accrual grid for ACME-303 is the file `books set-accrual-grid` takes:
              // set by the sponsor once the contract is approved, it is the contract's grid.
              const std::string grid = net + "/accrual-grids/acme-303.json";
              ASSERT_TRUE(std::filesystem::exists(grid));
              const std::string sow =
                  std::string(TL_NETWORK_CONFIG_DIR) + "/../contracts/templates/unit_priced.sow";
              for (const auto& [member, args] :
                   std::vector<std::pair<std::string, std::vector<std::string>>>{
                       {"northwind-cro-finance", {"contract", "propose", sow, "--id", "acme-303"}},
                       {"acme-bio-finance", {"contract", "accept", "acme-303"}},
                       {"acme-bio-finance",
                        {"books", "set-accrual-grid", "--contract", "acme-303", "--file", grid}}}) {
                CommandResult result = As(net, address, member, args);
                EXPECT_EQ(result.exit_code, 0) << args[0] << " " << args[1] << ": " << result.err;
              }
              CommandResult mirror =
                  As(net, address, "acme-bio-finance",
                     {"report", "mirror", "--contract", "acme-303", "-o", "json"});
              EXPECT_EQ(mirror.exit_code, 0) << mirror.err;
              // The harbor CRO may not set the sponsor's grid, even with the spec's file.
              CommandResult harbor =
                  As(net, address, "harbor-cro-finance",
                     {"books", "set-accrual-grid", "--contract", "acme-303", "--file", grid});
              EXPECT_EQ(harbor.exit_code, 1) << harbor.out;
            });
}

TEST_F(NetworkSpecTest, ABadSpecNamesFileLineAndFieldAndWritesNothing) {
  const std::string head =
      "chain_id = \"n\"\n[[organizations]]\nname = \"a\"\nkind = \"sponsor\"\n";
  const std::string node =
      "[[nodes]]\nname = \"node1\"\norg = \"a\"\nport = 7001\npeer_port = 7002\n";
  // Lines 10-13: a grid and its first rate, whose fields follow from line 14.
  const std::string grid =
      "[[accrual_grids]]\ncontract = \"k-1\"\nsponsor = \"a\"\n[[accrual_grids.rates]]\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {head + "colour = \"red\"\n" + node,
       "spec.toml:5:10: organizations[0]: unknown field 'colour'"},
      {head + "[[organizations.members]]\nname = \"x\"\nroles = [\"finance\"]\n" + node,
       "spec.toml:2:1: organizations[0]: organization 'a' has no member with the admin role"},
      {head + "[[organizations]]\nname = \"b\"\nkind = \"auditor\"\n" +
           "[[nodes]]\nname = \"node1\"\norg = \"b\"\nport = 7001\npeer_port = 7002\n",
       "spec.toml:8:1: nodes[0]: 'b' is an auditor"},
      {head + "[[nodes]]\nname = \"node1\"\norg = \"a\"\nport = 72922\npeer_port = 7002\n",
       "spec.toml:8:8: nodes[0]: 'port' is 72922; it must be between 1 and 65535"},
      {head + node + "[[nodes]]\nname = \"node2\"\norg = \"a\"\nport = 7001\npeer_port = 7004\n",
       "spec.toml:10:1: nodes[1]: 127.0.0.1:7001 is used twice"},
      {head + node + "[[grants]]\nauditor = \"a\"\nbook = \"a\"\n",
       "spec.toml:10:1: grants[0]: auditor 'a' is not an auditor organisation"},
      {head + node + grid + "kind = \"subject_enrolled\"\nrate = \"USD 5.00\"\n",
       "spec.toml:13:1: accrual_grids[0].rates[0]: 'payee' is missing"},
      {head + node + grid + "kind = \"subject_enrolled\"\nrate = \"USD -5.00\"\npayee = \"a\"\n",
       "spec.toml:10:1: accrual_grids[0]: rate 1 (subject_enrolled): the rate must be positive"},
      {head + node + grid + "kind = \"first_patient_in\"\nrate = \"USD 5.00\"\npayee = \"a\"\n",
       "spec.toml:10:1: accrual_grids[0]: rate 1 (first_patient_in): not a kind of fact the grid "
       "prices"},
      {head + node + grid + "kind = \"subject_enrolled\"\nrate = \"USD 5.00\"\npayee = \"a\"\n" +
           "[[accrual_grids.rates]]\nkind = \"site_activated\"\nrate = \"EUR 5.00\"\npayee = "
           "\"a\"\n",
       "spec.toml:19:8: accrual_grids[0].rates[1]: rate in EUR; the grid's other rates are in USD"},
      {head + node + "[[organizations]]\nname = \"c\"\nkind = \"cro\"\n" +
           "[[accrual_grids]]\ncontract = \"k-1\"\nsponsor = \"c\"\n[[accrual_grids.rates]]\n" +
           "kind = \"subject_enrolled\"\nrate = \"USD 5.00\"\npayee = \"a\"\n",
       "spec.toml:13:1: accrual_grids[0]: sponsor 'c' is not a sponsor organisation"},
  };
  for (const auto& [text, expected] : cases) {
    const std::string spec = dir_.Sub("spec.toml");
    std::ofstream(spec) << text;
    const std::string out = dir_.Sub("never");
    CommandResult result = Run({"network", "init", "--spec", spec, "--out", out});
    EXPECT_EQ(result.exit_code, 1) << text;
    EXPECT_NE(result.err.find(dir_.path() + "/" + expected), std::string::npos)
        << result.err << "\nwanted: " << expected;
    EXPECT_FALSE(std::filesystem::exists(out)) << "a bad spec wrote " << out;
  }
  // The spec and the flags that would say the same are not mixed.
  CommandResult mixed = Run({"network", "init", "--spec", dir_.Sub("spec.toml"), "--nodes", "3",
                             "--out", dir_.Sub("mixed")});
  EXPECT_EQ(mixed.exit_code, 2) << mixed.err;
}

}  // namespace
}  // namespace tl
