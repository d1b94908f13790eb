// The SOW front end: money and date text, literals, determinism of compilation, metadata.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "contract_harness.h"
#include "lexer.h"
#include "trialledger/contracts/sow_text.h"

namespace tl::contracts::testing {
namespace {

TEST(SowTextTest, MoneyParsesAndFormatsInMinorUnits) {
  std::string currency, why;
  EXPECT_EQ(ParseMoneyText("USD 1,250,000.00", &currency, &why), 125'000'000);
  EXPECT_EQ(currency, "USD");
  EXPECT_EQ(ParseMoneyText("JPY 1,000", &currency, &why), 1000);
  EXPECT_EQ(ParseMoneyText("KWD 1.005", &currency, &why), 1005);
  EXPECT_EQ(ParseMoneyText("USD 12.5", &currency, &why), 1250);
  EXPECT_FALSE(ParseMoneyText("USD 1.005", &currency, &why));
  EXPECT_EQ(why, "USD has 2 decimal places, this amount has 3");
  EXPECT_FALSE(ParseMoneyText("USD 12,50", &currency, &why));
  EXPECT_FALSE(ParseMoneyText("usd 1", &currency, &why));
  EXPECT_EQ(FormatMoney(125'000'000, "USD"), "USD 1,250,000.00");
  EXPECT_EQ(FormatMoney(-5, "USD"), "USD -0.05");
  EXPECT_EQ(FormatMoney(1000, "JPY"), "JPY 1,000");
}

TEST(SowTextTest, DatesAreRealCalendarDays) {
  EXPECT_EQ(ParseIsoDate("1970-01-02"), 86'400'000);
  EXPECT_EQ(FormatIsoDate(*ParseIsoDate("2028-02-29")), "2028-02-29");
  EXPECT_FALSE(ParseIsoDate("2027-02-29"));
  EXPECT_FALSE(ParseIsoDate("2027-13-01"));
  EXPECT_EQ(FormatIsoTimestamp(*ParseIsoTimestamp("2026-03-02T09:15:07Z")), "2026-03-02T09:15:07Z");
}

TEST(LexerTest, GroupedDigitsOnlyAfterACurrencyCode) {
  const std::vector<Token> money = Lex("USD 1,250.00");
  ASSERT_EQ(money.size(), 3u);
  EXPECT_EQ(money[1].text, "1,250.00");
  const std::vector<Token> args = Lex("f(1,250)");
  ASSERT_EQ(args.size(), 7u);
  EXPECT_EQ(args[2].text, "1");
  const std::vector<Token> date = Lex("by 2027-06-30");
  EXPECT_EQ(date[1].kind, TokenKind::kDate);
  EXPECT_EQ(date[1].span.column, 4);
}

TEST(CompilerTest, SameSourceSameBytesAndMetadata) {
  const std::string source = ReadFile(std::string(TL_CONTRACTS_TEMPLATES) + "/full_service.sow");
  const CompiledContract a = CompileOrDie(source, "a.sow");
  const CompiledContract b = CompileOrDie(source, "b.sow");
  EXPECT_EQ(a.module_bytes, b.module_bytes);
  EXPECT_EQ(SerializeMetadata(a.metadata), SerializeMetadata(b.metadata));
  absl::StatusOr<trialledger::v1::ContractMetadata> parsed =
      ParseMetadata(SerializeMetadata(a.metadata));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(SerializeMetadata(*parsed), SerializeMetadata(a.metadata));
  EXPECT_EQ(a.metadata.code_hash(), a.code_hash);
  EXPECT_EQ(a.code_hash.size(), 32u);
}

TEST(CompilerTest, MetadataShowsTheTerms) {
  const CompiledContract c = CompileTemplate("full_service.sow");
  const auto& m = c.metadata;
  EXPECT_EQ(m.sponsor(), "acme-bio");
  EXPECT_EQ(m.cro(), "northwind-cro");
  EXPECT_EQ(m.currency(), "USD");
  ASSERT_EQ(m.milestones_size(), 6);
  EXPECT_EQ(m.milestones(1).condition(), "first_patient_in and enrolled >= 1");
  EXPECT_THAT(m.milestones(1).evidence_counters(),
              ::testing::ElementsAre("first_patient_in", "enrolled"));
  // What `milestones show` lists while it waits: the parts of `first_patient_in and enrolled >= 1`.
  ASSERT_EQ(m.milestones(1).requirements_size(), 2);
  EXPECT_EQ(m.milestones(1).requirements(0).text(), "first_patient_in");
  EXPECT_EQ(m.milestones(1).requirements(1).text(), "enrolled >= 1");
  EXPECT_THAT(m.milestones(1).requirements(1).counters(), ::testing::ElementsAre("enrolled"));
  EXPECT_FALSE(m.milestones(1).confirmed());
  EXPECT_EQ(m.milestones(5).kind(), trialledger::v1::MILESTONE_KIND_INCENTIVE);
  EXPECT_EQ(m.milestones(5).constraint(), "enrolled >= target_enrolment * 3 / 4");
  EXPECT_EQ(m.holdbacks(0).percent(), 10);
  EXPECT_TRUE(m.pass_throughs(0).principal());
  ASSERT_EQ(m.bindings_size(), 15);
  EXPECT_EQ(m.bindings(7).fact_kind(), "site_activated");
  EXPECT_EQ(m.bindings(7).role(), "oracle:ctms");
  ASSERT_EQ(m.entry_gas_size(), 4);  // init, submit, migrate, requirements
  for (const auto& gas : m.entry_gas())
    EXPECT_LE(gas.worst_case_gas(), 2'000'000);
  EXPECT_GE(m.facts_per_batch_max(), 1);
}

TEST(CompilerTest, FunctionsWithBoundedLoopsRunInRules) {
  const std::string source = R"(contract loops version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "S-1"
feed "oracle:edc" of cro reports subject_enrolled
// Subject ids look like "101-007": a three-digit site, a dash, three digits.
function digits_in(text: string, limit: int) -> int {
  let count = 0
  for i in 0 .. 12 {
    if i < length(text) and i < limit {
      count = count + 1
    }
  }
  return count
}
function well_formed(subject: string) -> bool {
  return length(subject) == 7 and digits_in(subject, 7) == 7
}
rule subject_ids "Subject ids are SSS-NNN" {
  on subject_enrolled
  require well_formed(fact.subject) else "subject id must look like 101-007"
}
milestone first "First subject" {
  when enrolled >= 1
  pays USD 1.00
}
)";
  ContractFixture fx(CompileOrDie(source, "loops.sow"));
  ASSERT_TRUE(fx.Instantiate({}).accepted);
  fx.Submit(CroOracle("oracle:edc"), {Fact("subject_enrolled", "E-1", "2026-01-05",
                                           "\"site\": \"101\", \"subject\": \"101-0070\""),
                                      Fact("subject_enrolled", "E-2", "2026-01-05",
                                           "\"site\": \"101\", \"subject\": \"101-007\"")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_EQ(fx.last.facts[0].outcome, FactOutcome::kRejected);
  EXPECT_EQ(fx.last.facts[0].message, "rule subject_ids: subject id must look like 101-007");
  EXPECT_EQ(fx.last.facts[1].outcome, FactOutcome::kApplied);
  EXPECT_EQ(fx.Milestone("first").state, MilestoneState::kAchieved);
}

TEST(CompilerTest, IncentiveLapsesAfterItsDeadlineAndPenaltyIsACredit) {
  const std::string source = R"(contract vc version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "S-1"
parameter target_enrolment: int = 2
feed "oracle:edc" of cro reports subject_enrolled
incentive quick "Two subjects by mid 2026" {
  when enrolled >= target_enrolment
  by 2026-06-30
  pays USD 1,000.00
}
penalty slow "Any subject enrolled after mid 2026" {
  when enrolled >= 1 and not achieved(quick)
  pays USD 100.00
}
)";
  ContractFixture fx(CompileOrDie(source, "vc.sow"));
  ASSERT_TRUE(fx.Instantiate({}).accepted);
  fx.Submit(CroOracle("oracle:edc"), {Fact("subject_enrolled", "E-1", "2026-07-01",
                                           "\"site\": \"1\", \"subject\": \"1-001\"")});
  ASSERT_TRUE(fx.last.accepted) << fx.last.message;
  EXPECT_EQ(fx.Milestone("quick").state, MilestoneState::kLapsed);
  EXPECT_THAT(fx.Events("incentive_lapsed"),
              ::testing::ElementsAre(
                  "incentive_lapsed{item=quick, fact=rave-edc/E-1, fact_date=2026-07-01}"));
  EXPECT_EQ(fx.Milestone("slow").state, MilestoneState::kAchieved);
  EXPECT_THAT(fx.Events("invoice_due"),
              ::testing::ElementsAre("invoice_due{item=slow, gross=USD -100.00, "
                                     "holdback=USD 0.00, net=USD -100.00, due_at=2027-01-03}"));
}

TEST(CompilerTest, AFeeAtSignatureIsAchievedWhenTheContractIsInstantiated) {
  const std::string source = R"(contract mob version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "S-1"
feed "oracle:edc" of cro reports first_patient_in
milestone mobilisation "Mobilisation fee" {
  when contract_signed
  pays USD 50,000.00
}
milestone fpi "First patient in" {
  when first_patient_in
  pays USD 10,000.00
}
)";
  ContractFixture fx(CompileOrDie(source, "mob.sow"));
  ASSERT_TRUE(fx.Instantiate({}).accepted);
  EXPECT_EQ(fx.Milestone("mobilisation").state, MilestoneState::kAchieved);
  EXPECT_EQ(fx.Milestone("fpi").state, MilestoneState::kPending);
  EXPECT_EQ(fx.Events("invoice_due").size(), 1u);
  EXPECT_THAT(fx.Events("milestone_achieved")[0], ::testing::HasSubstr("milestone=mobilisation"));
}

TEST(RuntimeTest, LoadRefusesAModuleThatDoesNotMatchItsMetadata) {
  CompiledContract c = CompileTemplate("fixed_fee.sow");
  c.module_bytes.back() ^= 1;
  EXPECT_FALSE(ContractRuntime::Load(c).ok());
}

}  // namespace
}  // namespace tl::contracts::testing
