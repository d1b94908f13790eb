// Runtime edges: malformed batches are refused before the contract runs, and a contract that
// is not instantiated takes no facts.
#include <gtest/gtest.h>

#include "contract_harness.h"

namespace tl::contracts::testing {
namespace {

TEST(RuntimeTest, FactsBeforeInstantiationAreRefused) {
  ContractFixture fx(CompileTemplate("fixed_fee.sow"));
  fx.Submit(CroOracle("oracle:ctms"),
            {Fact("site_activated", "SA-201", "2026-02-01", "\"site\": \"201\"")});
  EXPECT_FALSE(fx.last.accepted);
  EXPECT_TRUE(fx.state.entries.empty());
}

TEST(RuntimeTest, MalformedBatchesNameTheFactAndField) {
  ContractFixture fx(CompileTemplate("fixed_fee.sow"));
  ASSERT_TRUE(fx.Instantiate({}).accepted);
  trialledger::v1::FactBatch batch =
      Batch({Fact("site_activated", "SA-201", "2026-02-01", "\"site\": \"201\"")});
  batch.mutable_facts(0)->mutable_site_activated()->set_site(std::string(65, 'x'));
  absl::StatusOr<RunResult> run =
      fx.runtime.SubmitFacts(fx.state, fx.Next(), CroOracle("oracle:ctms"), batch);
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(run->accepted);
  EXPECT_EQ(run->message, "fact 1: site is longer than 64 bytes");
  batch.mutable_facts(0)->clear_kind();
  run = fx.runtime.SubmitFacts(fx.state, fx.Next(), CroOracle("oracle:ctms"), batch);
  EXPECT_EQ(run->message, "fact 1: no fact kind is set");
  run = fx.runtime.SubmitFacts(fx.state, fx.Next(), CroOracle("oracle:ctms"),
                               trialledger::v1::FactBatch());
  EXPECT_EQ(run->message, "the batch has no facts");
}

TEST(RuntimeTest, KindWithoutAFeedIsRefused) {
  ContractFixture fx(CompileTemplate("fixed_fee.sow"));
  ASSERT_TRUE(fx.Instantiate({}).accepted);
  fx.Submit(CroOracle("oracle:edc"), {Fact("visit_completed", "V-1", "2026-02-01",
                                           "\"site\": \"201\", \"subject\": \"201-001\", "
                                           "\"visit_type\": \"WEEK4\"")});
  EXPECT_FALSE(fx.last.accepted);
  EXPECT_EQ(fx.last.message, "fact 1: this contract binds no feed to visit_completed facts");
}

}  // namespace
}  // namespace tl::contracts::testing
