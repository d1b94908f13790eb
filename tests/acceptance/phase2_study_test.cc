// The demo's Phase II study (contracts/examples/acme-201) end to end on three nodes, through the
// CLI: the CTMS's activations and monitoring visits, two Rave ODM exports, first patient in, and
// the cost system's site fees and grants. Every figure below is worked out by hand from the feed
// files, not read back from the ledger:
//
//   sites: 6 activated (201-204 by 22 July: sites_ready), 10 monitoring visits
//   subjects by the export of 27 November: 24 screened, 5 screen failures (one of them after
//   enrolment, in the second export), 18 randomised; visits 24 SCREENING, 13 WEEK4, 5 WEEK12
//
//   unit fees   18 x 6,500 + 24 x 850 + 13 x 1,400 + 5 x 1,750 + 10 x 2,400   = 188,350.00
//   milestones  sites_ready 60,000 + fpi 40,000 + half_randomised 70,000      = 170,000.00
//   grants      6 site fees x 3,500 + 42 visits x 2,200 (passed through gross) = 113,400.00
//   holdback    10 % of unit fees and milestones: 358,350 x 10 %               =  35,835.00
//   billed      358,350 - 35,835 + 113,400                                     = 435,915.00
//   July        sites_ready 60,000 + 1 screening 850 + 4 site fees 14,000 + 1 visit's grant 2,200
//                                                                              =  77,050.00
#include <gtest/gtest.h>

#include <map>

#include "network_test.h"

namespace tl {
namespace {

using nlohmann::json;

class Phase2StudyTest : public testing::NetworkTest {
 protected:
  static std::string Feed(const std::string& name) {
    return std::string(TL_CONTRACTS_DIR) + "/examples/acme-201/feeds/" + name;
  }
  void Import(const std::string& member, std::vector<std::string> args) {
    args.insert(args.begin(), {"oracle", "import", "--contract", "acme-201"});
    json report = RunJson(member, args);
    EXPECT_EQ(report["rejected_count"], 0) << report.dump();
    EXPECT_EQ(report["skipped_count"], 0) << report.dump();
  }
  std::map<std::string, std::string> Balances(const std::string& reader, const std::string& book) {
    json balance =
        RunJson(reader, {"report", "trial-balance", "--book", book, "--period", "2026-11"});
    EXPECT_EQ(balance["total_debit"], balance["total_credit"]);
    std::map<std::string, std::string> by_account;
    for (const json& account : balance["accounts"]) {
      by_account[account["account"].get<std::string>()] = account["balance"].get<std::string>();
    }
    return by_account;
  }
};

TEST_F(Phase2StudyTest, TheStudysFeedsBookWhatTheSowSaysOnBothSides) {
  const std::string sow = std::string(TL_CONTRACTS_DIR) + "/examples/acme-201/acme-201.sow";
  ASSERT_EQ(RunJson("northwind-cro-finance", {"contract", "propose", sow, "--id", "acme-201",
                                              "--effective", "2026-07-01"})["result"],
            "ok");
  ASSERT_EQ(RunJson("acme-bio-finance", {"contract", "accept", "acme-201"})["result"], "ok");
  const std::string edc = "northwind-cro-edc";
  const std::string mapping = Feed("rave.toml");
  Import("northwind-cro-ctms", {"--feed", "ctms", "--file", Feed("ctms-sites.csv")});
  Import(edc,
         {"--feed", "edc", "--file", Feed("rave-export-2026-09-30.xml"), "--mapping", mapping});
  Import(edc,
         {"--feed", "edc", "--source-system", "rave-edc", "--file", Feed("study-milestones.csv")});
  Import("northwind-cro-cost",
         {"--feed", "cost", "--source-system", "northwind-erp", "--file", Feed("costs.csv")});
  json half = RunJson("", {"milestones", "show", "half_randomised", "--contract", "acme-201"});
  EXPECT_EQ(half["status"], "pending");  // 8 randomised by 30 September, 12 needed
  Import(edc,
         {"--feed", "edc", "--file", Feed("rave-export-2026-11-27.xml"), "--mapping", mapping});

  std::map<std::string, std::string> status;
  for (const json& milestone : RunJson("", {"milestones", "list", "--contract", "acme-201"})) {
    status[milestone["name"].get<std::string>()] = milestone["status"].get<std::string>();
  }
  EXPECT_EQ(status, (std::map<std::string, std::string>{{"sites_ready", "achieved"},
                                                        {"fpi", "achieved"},
                                                        {"half_randomised", "achieved"},
                                                        {"lplv", "pending"},
                                                        {"database_lock_fee", "pending"}}));

  std::map<std::string, std::string> cro = Balances("northwind-cro-finance", "northwind-cro");
  EXPECT_EQ(cro["revenue_services"], "-358350.00");
  EXPECT_EQ(cro["revenue_reimbursed"], "-113400.00");
  EXPECT_EQ(cro["reimbursable_expense"], "113400.00");
  EXPECT_EQ(cro["accounts_receivable"], "435915.00");
  EXPECT_EQ(cro["contract_balance"], "35835.00");

  // The sponsor by the mirror measure: its expense is the CRO's revenue, its accrual the CRO's
  // contract asset (the holdback not yet billed), its payable what the CRO billed.
  std::map<std::string, std::string> sponsor = Balances("acme-bio-finance", "acme-bio");
  EXPECT_EQ(sponsor["rd_expense"], "471750.00");
  EXPECT_EQ(sponsor["accrued_clinical_costs"], "-35835.00");
  EXPECT_EQ(sponsor["accounts_payable"], "-435915.00");

  json rollforward =
      RunJson("northwind-cro-finance", {"report", "rollforward", "--contract", "acme-201"});
  ASSERT_FALSE(rollforward["periods"].empty());
  EXPECT_EQ(rollforward["periods"][0]["period"], "2026-07");
  EXPECT_EQ(rollforward["periods"][0]["revenue"], "77050.00");
  EXPECT_EQ(rollforward["periods"].back()["revenue_to_date"], "471750.00");
  EXPECT_EQ(rollforward["periods"].back()["billed_to_date"], "435915.00");

  json mirror = RunJson("", {"report", "mirror", "--contract", "acme-201"});
  ASSERT_FALSE(mirror["periods"].empty());
  for (const json& period : mirror["periods"]) {
    ASSERT_TRUE(period.contains("differences") && period.contains("sponsor_expense"))
        << period.dump();
    EXPECT_TRUE(period["differences"].empty()) << period.dump();
    EXPECT_EQ(period["sponsor_expense"], period["cro_revenue"]) << period.dump();
  }
  AwaitSameHead();
}

}  // namespace
}  // namespace tl
