// The SDK's example programs (sdk/examples/) on a running three-node network: submit-fact commits
// through a node list whose first node is dead and after the leader is killed; follow-book prints
// the book's entries and, started again, goes on after its checkpoint with none missing or twice.
#include <gtest/gtest.h>

#include <sstream>

#include "mobilisation_sow.h"
#include "network_test.h"

namespace tl {
namespace {

using testing::CommandResult;

constexpr char kCroFinance[] = "northwind-cro-finance";
// Nothing listens on port 1: the client must step over it.
constexpr char kDeadNode[] = "127.0.0.1:1";

class SdkExamplesTest : public testing::NetworkTest {
 protected:
  std::string Nodes(int except = -1) {
    std::string nodes = kDeadNode;
    for (int i = 0; i < network_->size(); ++i) {
      if (i != except) nodes += "," + network_->address(i);
    }
    return nodes;
  }
  CommandResult SubmitCost(const std::string& record_id, const std::string& nodes,
                           const std::string& contract = "mob") {
    return testing::RunCommand({testing::BinDir() + "/tl-example-submit-fact", "--nodes", nodes,
                                "--ca", network_->ca_path(), "--key",
                                network_->member_key_path("northwind-cro-cost"), "--contract",
                                contract, "--record-id", record_id, "--amount-minor", "100000",
                                "--date", "2026-11-03", "--study", "S-9"});
  }
  std::vector<std::string> Follow(const std::string& checkpoint, int count) {
    CommandResult result = testing::RunCommand(
        {testing::BinDir() + "/tl-example-follow-book", "--nodes", Nodes(), "--ca",
         network_->ca_path(), "--key", network_->member_key_path(kCroFinance), "--book",
         "northwind-cro", "--checkpoint", checkpoint, "--count", std::to_string(count)});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::vector<std::string> ids;
    std::istringstream out(result.out);
    std::string line;
    while (std::getline(out, line))
      ids.push_back(line.substr(0, line.find(' ')));
    return ids;
  }
};

TEST_F(SdkExamplesTest, SubmitAFactThroughAnyNodeAndFollowTheBookFromACheckpoint) {
  const std::string sow = WriteFile("mob.sow", testing::kMobilisationSow);
  ASSERT_EQ(RunJson(kCroFinance, {"contract", "propose", sow, "--id", "mob", "--effective",
                                  "2026-11-02"})["result"],
            "ok");
  ASSERT_EQ(RunJson("acme-bio-finance", {"contract", "accept", "mob"})["result"], "ok");
  const std::string estimate = WriteFile("eac.json", R"({"contract": "mob", "facts": [
    {"kind": "estimate_at_completion", "source_system": "erp", "source_record_id": "EAC-1",
     "source_timestamp": "2026-11-02T09:00:00Z", "study": "S-9", "amount": "USD 200,000.00",
     "date": "2026-11-02"}]})");
  ASSERT_EQ(Run("northwind-cro-cost", {"facts", "submit", "--contract", "mob", "--file", estimate})
                .exit_code,
            0);

  CommandResult first = SubmitCost("C-1", Nodes());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("committed "), std::string::npos) << first.out;
  // The leader killed: the list still holds two live nodes, one of which leads soon.
  const int leader = network_->AwaitLeader();
  ASSERT_GE(leader, 0);
  network_->Kill(leader);
  CommandResult second = SubmitCost("C-2", Nodes());
  EXPECT_EQ(second.exit_code, 0) << second.err;
  network_->Start(leader);
  AwaitSameHead();
  // A fact for a contract the ledger does not hold is rejected in its block, with the reason.
  CommandResult rejected = SubmitCost("C-3", Nodes(), "no-such-contract");
  EXPECT_NE(rejected.exit_code, 0);
  EXPECT_NE(rejected.err.find("rejected: "), std::string::npos) << rejected.err;
  EXPECT_NE(rejected.err.find("no-such-contract"), std::string::npos) << rejected.err;

  // The book: the mobilisation billing and a revenue entry per cost.
  const nlohmann::json journal =
      RunJson(kCroFinance, {"journal", "list", "--book", "northwind-cro"});
  ASSERT_EQ(journal.size(), 3u);
  const std::string checkpoint = dir_.Sub("gl.cursor");
  std::vector<std::string> printed = Follow(checkpoint, 2);
  std::vector<std::string> rest = Follow(checkpoint, 1);
  printed.insert(printed.end(), rest.begin(), rest.end());
  ASSERT_EQ(printed.size(), journal.size());
  for (size_t i = 0; i < printed.size(); ++i)
    EXPECT_EQ(printed[i], journal[i]["entry_id"]);
}

}  // namespace
}  // namespace tl
