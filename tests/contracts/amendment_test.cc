// Change orders: a new version takes over the state of the old one when nothing already earned
// is taken away; the amended terms apply from then on.
#include <gtest/gtest.h>

#include "absl/strings/str_replace.h"
#include "contract_harness.h"

namespace tl::contracts::testing {
namespace {

std::string Amend(const std::string& source,
                  std::vector<std::pair<std::string, std::string>> edits) {
  std::string out = source;
  for (const auto& [from, to] : edits) {
    const size_t at = out.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) out.replace(at, from.size(), to);
  }
  return out;
}

class AmendmentTest : public ::testing::Test {
 protected:
  AmendmentTest()
      : source(ReadFile(std::string(TL_CONTRACTS_TEMPLATES) + "/fixed_fee.sow")),
        v1(CompileOrDie(source, "v1.sow")),
        fx(v1) {
    EXPECT_TRUE(fx.Instantiate({}).accepted);
    fx.Submit(CroOracle("oracle:ctms"),
              {Fact("site_activated", "SA-201", "2026-02-01", "\"site\": \"201\"")});
    EXPECT_EQ(fx.Milestone("first_site").state, MilestoneState::kAchieved);
  }
  RunResult Migrate(const CompiledContract& next) {
    absl::StatusOr<ContractRuntime> runtime = ContractRuntime::Load(next);
    EXPECT_TRUE(runtime.ok());
    absl::StatusOr<RunResult> run =
        runtime->MigrateFrom(v1.metadata, fx.state, fx.Next(), SponsorFinance());
    EXPECT_TRUE(run.ok());
    return *run;
  }
  std::string source;
  CompiledContract v1;
  ContractFixture fx;
};

TEST_F(AmendmentTest, RaisedFeeAppliesAndStateCarriesOver) {
  const CompiledContract v2 = CompileOrDie(
      Amend(source, {{"version 1", "version 2"}, {"pays USD 150,000.00", "pays USD 175,000.00"}}),
      "v2.sow");
  const MemoryContractState before = fx.state;
  const RunResult migrated = Migrate(v2);
  ASSERT_TRUE(migrated.accepted) << migrated.message;
  // The old code no longer runs on the amended state.
  fx.Submit(CroOracle("oracle:edc"), {Fact("first_patient_in", "FPI", "2026-03-01")});
  EXPECT_FALSE(fx.last.accepted);
  EXPECT_EQ(fx.last.message,
            "the contract's state is not at version 1 (not instantiated, or amended to another "
            "version)");
  // The new code carries on from the same counters and milestones.
  ContractFixture next(v2);
  next.state = fx.state;
  next.height = fx.height;
  next.time_ms = fx.time_ms;
  EXPECT_EQ(next.Milestone("first_site").state, MilestoneState::kAchieved);
  EXPECT_EQ(next.Milestone("first_site").achieved_height, 2);
  next.Submit(CroOracle("oracle:edc"), {Fact("last_patient_last_visit", "LPLV", "2026-08-01"),
                                        Fact("database_lock", "DBL", "2026-09-01")});
  ASSERT_TRUE(next.last.accepted) << next.last.message;
  EXPECT_EQ(next.Milestone("lock").state, MilestoneState::kAchieved);
  EXPECT_EQ(next.Milestone("lock").amount_minor, 17'500'000);
  // Nothing but the version and the amendment changed in the migration itself.
  size_t changed = 0;
  for (const auto& [key, value] : fx.state.entries) {
    auto it = before.entries.find(key);
    if (it == before.entries.end() || it->second != value) ++changed;
  }
  EXPECT_EQ(changed, 1u);  // meta/version
}

TEST_F(AmendmentTest, LoweringTheCapOfALaterMilestoneSettlesImmediately) {
  // The change order lowers the sites needed for `all_sites` to one: already met, so the
  // migration itself achieves it, with the amendment as evidence.
  const CompiledContract v2 =
      CompileOrDie(Amend(source, {{"version 1", "version 2"},
                                  {"parameter sites_for_activation: int = 3",
                                   "parameter sites_for_activation: int = 1"}}),
                   "v2.sow");
  const RunResult migrated = Migrate(v2);
  ASSERT_TRUE(migrated.accepted) << migrated.message;
  ContractFixture next(v2);
  next.state = fx.state;
  const MilestoneStatus all_sites = next.Milestone("all_sites");
  EXPECT_EQ(all_sites.state, MilestoneState::kAchieved);
  EXPECT_EQ(all_sites.evidence, (std::vector<std::string>{"ctms/SA-201", "amendment/v2"}));
}

TEST_F(AmendmentTest, IncompatibleAmendmentsAreRefused) {
  auto refused = [&](const std::string& amended, const std::string& why) {
    const CompiledContract next = CompileOrDie(amended, "next.sow");
    const MemoryContractState before = fx.state;
    const RunResult run = Migrate(next);
    EXPECT_FALSE(run.accepted);
    EXPECT_EQ(run.message, why);
    EXPECT_EQ(fx.state.entries, before.entries);
  };
  refused(Amend(source, {{"version 1", "version 2"}, {"pays USD 50,000.00", "pays USD 60,000.00"}}),
          "amendment refused: milestone first_site is achieved; its amount cannot change");
  refused(Amend(source, {{"version 1", "version 2"}, {"\"northwind-cro\"", "\"other-cro\""}}),
          "amendment refused: the parties must stay the same");
  refused(source, "amendment refused: version 1 does not follow version 1");
  refused(Amend(source, {{"version 1", "version 2"}, {"milestone first_site", "milestone start"}}),
          "amendment refused: milestone first_site is achieved and cannot be removed");
  trialledger::v1::ContractMetadata other_currency = v1.metadata;
  other_currency.set_version(2);
  other_currency.set_currency("EUR");
  EXPECT_EQ(CheckAmendment(v1.metadata, other_currency, fx.state).message(),
            "amendment refused: the currency must stay the same");
}

}  // namespace
}  // namespace tl::contracts::testing
