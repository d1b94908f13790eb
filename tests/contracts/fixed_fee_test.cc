// The fixed-fee template: each study milestone releases its fee once, in the order the facts
// make the conditions true, with the completing fact as evidence.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "contract_harness.h"

namespace tl::contracts::testing {
namespace {

using ::testing::ElementsAre;

std::string SiteFact(const std::string& kind, const std::string& id, const std::string& site) {
  return Fact(kind, id, "2026-02-01", "\"site\": \"" + site + "\"");
}

TEST(FixedFeeTest, MilestonesReleaseTheirFeesInOrder) {
  const CompiledContract compiled = CompileTemplate("fixed_fee.sow");
  ContractFixture fx(compiled);
  ASSERT_TRUE(fx.Instantiate({}).accepted);
  const Signer edc = CroOracle("oracle:edc");
  const Signer ctms = CroOracle("oracle:ctms");
  std::vector<std::string> achieved;
  auto collect = [&] {
    for (const vm::Event& event : fx.last.events) {
      if (event.name == "milestone_achieved") {
        achieved.emplace_back(event.fields.RecordField("milestone")->AsString());
      }
    }
  };
  fx.Submit(ctms, {SiteFact("site_activated", "SA-201", "201")});
  collect();
  fx.Submit(edc, {Fact("subject_enrolled", "E-1", "2026-02-10",
                       "\"site\": \"201\", \"subject\": \"201-001\"")});
  collect();
  fx.Submit(ctms, {SiteFact("site_activated", "SA-202", "202"),
                   SiteFact("site_activated", "SA-203", "203")});
  collect();
  fx.Submit(edc, {Fact("last_patient_last_visit", "LPLV", "2026-08-01"),
                  Fact("database_lock", "DBL", "2026-09-01")});
  collect();
  fx.Submit(ctms,
            {SiteFact("site_closed", "SC-201", "201"), SiteFact("site_closed", "SC-202", "202"),
             SiteFact("site_closed", "SC-203", "203")});
  collect();
  EXPECT_THAT(achieved, ElementsAre("first_site", "first_patient", "all_sites", "last_visit",
                                    "lock", "close_out"));
  const MilestoneStatus first_patient = fx.Milestone("first_patient");
  EXPECT_EQ(first_patient.evidence, (std::vector<std::string>{"rave-edc/E-1", "ctms/SA-201"}));
  EXPECT_EQ(first_patient.achieved_height, 3);
  EXPECT_EQ(fx.Milestone("close_out").evidence,
            (std::vector<std::string>{"ctms/SC-203", "rave-edc/DBL"}));
  EXPECT_EQ(fx.Milestone("close_out").amount_minor, 5'000'000);
  // Every fee was invoiced once, net 30 days, with nothing withheld (no holdback here).
  absl::StatusOr<std::vector<MilestoneStatus>> all = fx.runtime.Milestones(fx.state);
  ASSERT_TRUE(all.ok());
  int64_t invoiced = 0;
  for (const MilestoneStatus& m : *all)
    invoiced += m.amount_minor;
  EXPECT_EQ(invoiced, 60'000'000);
}

TEST(FixedFeeTest, ParametersOverrideDefaultsAndAreTypeChecked) {
  const CompiledContract compiled = CompileTemplate("fixed_fee.sow");
  ContractFixture fx(compiled);
  EXPECT_FALSE(fx.Instantiate({{"sites_for_activation", "two"}}).accepted);
  EXPECT_EQ(fx.last.message, "parameter sites_for_activation (int): expected a whole number");
  EXPECT_FALSE(fx.Instantiate({{"sites", "2"}}).accepted);
  ASSERT_TRUE(fx.Instantiate({{"sites_for_activation", "1"}}).accepted);
  EXPECT_FALSE(fx.Instantiate({}).accepted);  // only once
  EXPECT_EQ(fx.last.message, "the contract is already instantiated");
  fx.Submit(CroOracle("oracle:ctms"), {SiteFact("site_activated", "SA-201", "201")});
  EXPECT_EQ(fx.Milestone("all_sites").state, MilestoneState::kAchieved);
}

}  // namespace
}  // namespace tl::contracts::testing
