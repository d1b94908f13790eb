// A running three-node network shared by the tests of one suite, driven through the
// `trialledger` CLI as an operator would: run a command as a member, read its JSON, expect a
// refusal with its reason, write an input file, wait until every node holds the same head.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "local_network.h"

namespace tl::testing {

class NetworkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { SetUpNetwork(""); }
  // A suite that needs other organisations hides SetUpTestSuite with one that calls this with
  // its `network init --orgs`.
  static void SetUpNetwork(const std::string& orgs) {
    network_ = new LocalNetwork(3, orgs);
    network_->StartAll();
    ASSERT_GE(network_->AwaitLeader(), 0);
  }
  static void TearDownTestSuite() {
    delete network_;
    network_ = nullptr;
  }

  // The CLI on node `node`, signing with `member`'s key when given.
  CommandResult Run(const std::string& member, std::vector<std::string> args, int node = 0) {
    if (!member.empty()) {
      args.insert(args.begin(), {"--key", network_->member_key_path(member)});
    }
    return network_->Cli(node, args);
  }
  nlohmann::json RunJson(const std::string& member, std::vector<std::string> args, int node = 0) {
    args.insert(args.end(), {"-o", "json"});
    CommandResult result = Run(member, args, node);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.exit_code == 0 ? nlohmann::json::parse(result.out) : nlohmann::json();
  }
  void ExpectRefused(const CommandResult& result, const std::string& needle) {
    EXPECT_NE(result.exit_code, 0) << result.out;
    EXPECT_NE(result.err.find(needle), std::string::npos) << result.err;
  }
  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = dir_.Sub(name);
    std::ofstream(path) << text;
    return path;
  }
  void AwaitSameHead() {
    std::vector<int> all;
    for (int i = 0; i < network_->size(); ++i)
      all.push_back(i);
    ASSERT_TRUE(network_->AwaitSameHead(all));
  }

  static inline LocalNetwork* network_ = nullptr;
  TempDir dir_;
};

}  // namespace tl::testing
