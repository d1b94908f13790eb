// The journal stream on a running three-node network (docs/erp.md): `journal follow` gives the
// book's entries in order and resumes after a cursor; a stream from a follower goes on through a
// leader's kill -9 and delivers what the new leader commits; a bad cursor and another party are
// refused with their reason.
#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cost_facts.h"
#include "mobilisation_sow.h"
#include "network_test.h"

namespace tl {
namespace {

using nlohmann::json;
using testing::CommandResult;

constexpr char kCroFinance[] = "northwind-cro-finance";

class JournalStreamTest : public testing::NetworkTest {
 protected:
  std::string CostFacts(int first, int count, bool with_estimate) {
    return WriteFile("costs-" + std::to_string(first) + ".json",
                     testing::CostFactsJson("mob", first, count, with_estimate));
  }
  // The lines `journal follow` printed, parsed.
  static std::vector<json> Lines(const CommandResult& result) {
    std::vector<json> lines;
    std::istringstream out(result.out);
    std::string line;
    while (std::getline(out, line)) {
      if (!line.empty()) lines.push_back(json::parse(line));
    }
    return lines;
  }
};

TEST_F(JournalStreamTest, FollowResumesAfterACursorAndGoesOnThroughALeaderChange) {
  const std::string sow = WriteFile("mob.sow", testing::kMobilisationSow);
  ASSERT_EQ(RunJson(kCroFinance, {"contract", "propose", sow, "--id", "mob", "--effective",
                                  "2026-11-02"})["result"],
            "ok");
  ASSERT_EQ(RunJson("acme-bio-finance", {"contract", "accept", "mob"})["result"], "ok");
  RunJson("northwind-cro-cost",
          {"facts", "submit", "--contract", "mob", "--file", CostFacts(1, 3, true)});
  const json journal = RunJson(kCroFinance, {"journal", "list", "--book", "northwind-cro"});
  // The mobilisation billing and one revenue entry per cost: 1 + 3.
  ASSERT_EQ(journal.size(), 4u);

  const int leader = network_->AwaitLeader();
  ASSERT_GE(leader, 0);
  const int follower = (leader + 1) % network_->size();
  CommandResult all = Run(
      kCroFinance,
      {"journal", "follow", "--book", "northwind-cro", "--count", std::to_string(journal.size())},
      follower);
  ASSERT_EQ(all.exit_code, 0) << all.err;
  std::vector<json> lines = Lines(all);
  ASSERT_EQ(lines.size(), journal.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i]["entry_id"], journal[i]["entry_id"]);
    EXPECT_FALSE(lines[i]["idempotency_key"].get<std::string>().empty());
  }
  // After the second entry: the third and the fourth, from another node.
  CommandResult rest = Run(kCroFinance,
                           {"journal", "follow", "--book", "northwind-cro", "--after",
                            lines[1]["cursor"], "--count", "2"},
                           leader);
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  std::vector<json> resumed = Lines(rest);
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_EQ(resumed[0]["entry_id"], journal[2]["entry_id"]);
  EXPECT_EQ(resumed[1]["cursor"], lines[3]["cursor"]);

  // The live tail from the follower, while the leader is killed and a new one commits more.
  std::vector<std::string> streamed;
  std::thread subscriber([&] {
    ClientOptions options = network_->client_options();
    options.member = network_->member_key(kCroFinance).keys;
    std::unique_ptr<LedgerClient> client =
        LedgerClient::Connect(network_->address(follower), options);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(90));
    v1::StreamJournalRequest request;
    request.set_book("northwind-cro");
    request.set_after_cursor(lines[3]["cursor"]);
    client->Authenticate(context, request);
    auto stream = client->stub().StreamJournal(&context, request);
    v1::JournalStreamItem item;
    while (streamed.size() < 2 && stream->Read(&item))
      streamed.push_back(item.entry().entry_id());
    context.TryCancel();
    stream->Finish();
  });
  network_->Kill(leader);
  ASSERT_GE(network_->AwaitLeader(leader), 0);
  RunJson("northwind-cro-cost",
          {"facts", "submit", "--contract", "mob", "--file", CostFacts(4, 2, false)}, follower);
  subscriber.join();
  EXPECT_EQ(streamed,
            (std::vector<std::string>{"northwind-cro/00000005", "northwind-cro/00000006"}));
  network_->Start(leader);

  ExpectRefused(
      Run(kCroFinance, {"journal", "follow", "--book", "northwind-cro", "--after", "garbage!"}),
      "is not a journal cursor");
  ExpectRefused(
      Run(kCroFinance, {"journal", "follow", "--book", "acme-bio", "--after", lines[0]["cursor"]}),
      "permission_denied");
  ExpectRefused(Run("acme-bio-finance", {"journal", "follow", "--book", "northwind-cro"}),
                "permission_denied: member 'acme-bio-finance' of 'acme-bio' may not read book "
                "'northwind-cro'");
  ExpectRefused(Run("acme-bio-finance",
                    {"journal", "follow", "--book", "acme-bio", "--after", lines[0]["cursor"]}),
                "of book 'northwind-cro', not of book 'acme-bio'");
}

}  // namespace
}  // namespace tl
