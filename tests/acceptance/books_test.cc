// The CRO's books end to end on a running three-node network, through the `trialledger` CLI: the
// full-service template with the demo's facts (contracts/examples/acme-301) and its change order.
// Every figure below is derived by hand from the SOW and the facts, in the comments, not taken
// from the library: the trial balance, the roll-forward and the disclosures must match them, be
// the same on every node, and survive `verify`. Then the periods: closing in order, reopening by
// an admin with a reason, a late fact posted in the first open period with a memo that says so.
#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>

#include "network_test.h"

namespace tl {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::LocalNetwork;

const std::string kContracts = TL_CONTRACTS_DIR;
const std::string kFacts = kContracts + "/examples/acme-301/";

// Hand-derived figures (USD). The full-service template: obligation clinical_services
// (cost-to-cost, the main service) and grants_service (cost-to-cost, the principal pass-through
// `grants` with a 900,000.00 budget). Every fee is tied to clinical_services: fixed fees
// 150,000 + 100,000 + 250,000 + 200,000 + 300,000 = 1,000,000.00; the incentive stays constrained
// (2 subjects enrolled, not 90). Price 1,900,000.00: clinical 1,000,000.00, grants 900,000.00.
//
// September: the fifth site (2026-09-22) achieves sites_ready: invoice 150,000.00 less the 10 %
//   holdback = 135,000.00 billed. The estimate at completion (3,500,000.00) moves no revenue.
// October: FPI (2026-10-05) bills 100,000.00 - 10,000.00 = 90,000.00. Labour 420,000.00: progress
//   420,000 / 3,500,000 = 12 %, revenue 120,000.00. The grant 12,500.00: expense and re-bill
//   12,500.00, grants progress 12,500 / 900,000, revenue 12,500.00. Billed 102,500.00, revenue
//   132,500.00: the liability goes from 135,000.00 to 105,000.00.
// November: a screen failure moves no money. Change order 1, effective 2026-11-30, raises
//   half_enrolled by 75,000.00: clinical 1,075,000.00 x 12 % = 129,000.00, a catch-up of
//   9,000.00. Liability 96,000.00; price 1,975,000.00; revenue to date 141,500.00.
// The sponsor, by the mirror measure: R&D expense 141,500.00 (120,000 + 12,500 + 9,000), every
//   invoice payable (237,500.00). The CRO's balance is a liability throughout, so the sponsor's
//   net position is prepaid throughout: every invoice debits prepaid (237,500.00), every expense
//   credits it (141,500.00), leaving 96,000.00; nothing is ever accrued.
class BooksTest : public testing::NetworkTest {
 protected:
  // The trial balance as account -> {debit, credit, balance}.
  std::map<std::string, json> Balances(const std::string& book, const std::string& period,
                                       int node = 0) {
    json balance =
        RunJson("", {"report", "trial-balance", "--book", book, "--period", period}, node);
    EXPECT_EQ(balance["total_debit"], balance["total_credit"]);
    std::map<std::string, json> by_account;
    for (const json& account : balance["accounts"])
      by_account[account["account"]] = account;
    return by_account;
  }
};

TEST_F(BooksTest, TheCrosBooksFollowTheFactsPeriodByPeriod) {
  const std::string sow = kContracts + "/templates/full_service.sow";
  ASSERT_EQ(RunJson("northwind-cro-finance",
                    {"contract", "propose", sow, "--id", "acme-301", "--param",
                     "target_enrolment=120", "--effective", "2026-09-01"})["result"],
            "ok");
  ASSERT_EQ(RunJson("acme-bio-finance", {"contract", "accept", "acme-301"})["result"], "ok");
  for (const auto& [oracle, file] : std::vector<std::pair<std::string, std::string>>{
           {"northwind-cro-ctms", "01-sites-ctms.json"},
           {"northwind-cro-edc", "02-subjects-edc.json"},
           {"northwind-cro-cost", "03-costs.json"}}) {
    RunJson(oracle, {"facts", "submit", "--contract", "acme-301", "--file", kFacts + file});
  }

  std::map<std::string, json> october = Balances("northwind-cro", "2026-10");
  EXPECT_EQ(october["accounts_receivable"]["debit"], "237500.00");
  EXPECT_EQ(october["accounts_receivable"]["erp_code"], "1200");  // network init's sample map
  EXPECT_EQ(october["contract_balance"]["debit"], "132500.00");
  EXPECT_EQ(october["contract_balance"]["credit"], "237500.00");
  EXPECT_EQ(october["contract_balance"]["balance"], "-105000.00");
  EXPECT_EQ(october["revenue_services"]["credit"], "120000.00");
  EXPECT_EQ(october["revenue_reimbursed"]["credit"], "12500.00");
  EXPECT_EQ(october["reimbursable_expense"]["debit"], "12500.00");
  EXPECT_EQ(october["accrued_investigator_payments"]["credit"], "12500.00");
  std::map<std::string, json> september = Balances("northwind-cro", "2026-09");
  EXPECT_EQ(september["accounts_receivable"]["debit"], "135000.00");
  EXPECT_FALSE(september.contains("revenue_services"));

  // A change order may not take effect before facts already applied (the latest: 2026-11-04).
  RunJson("northwind-cro-edc", {"facts", "submit", "--contract", "acme-301", "--file",
                                kFacts + "04-screen-failure-edc.json"});
  const std::string change_order = kFacts + "change-order-1.sow";
  ExpectRefused(Run("northwind-cro-finance", {"contract", "amend", "acme-301", change_order,
                                              "--reason", "CO-1", "--effective", "2026-10-15"}),
                "before facts already applied");
  ASSERT_EQ(
      RunJson("northwind-cro-finance", {"contract", "amend", "acme-301", change_order, "--reason",
                                        "CO-1", "--effective", "2026-11-30"})["result"],
      "ok");
  ASSERT_EQ(RunJson("acme-bio-finance", {"contract", "accept", "acme-301"})["result"], "ok");

  json rollforward = RunJson("", {"report", "rollforward", "--contract", "acme-301"});
  EXPECT_EQ(rollforward["book"], "northwind-cro");
  EXPECT_EQ(rollforward["currency"], "USD");
  ASSERT_EQ(rollforward["periods"].size(), 3u);
  const json& sep = rollforward["periods"][0];
  const json& oct = rollforward["periods"][1];
  const json& nov = rollforward["periods"][2];
  EXPECT_EQ(sep["period"], "2026-09");
  EXPECT_EQ(sep["billed"], "135000.00");
  EXPECT_EQ(sep["revenue"], "0.00");
  EXPECT_EQ(sep["closing_contract_liability"], "135000.00");
  EXPECT_EQ(sep["closing_contract_asset"], "0.00");
  EXPECT_EQ(oct["opening_contract_liability"], "135000.00");
  EXPECT_EQ(oct["revenue"], "132500.00");
  EXPECT_EQ(oct["catch_up"], "0.00");
  EXPECT_EQ(oct["billed"], "102500.00");
  EXPECT_EQ(oct["closing_contract_liability"], "105000.00");
  EXPECT_EQ(nov["revenue"], "9000.00");
  EXPECT_EQ(nov["catch_up"], "9000.00");
  EXPECT_EQ(nov["billed"], "0.00");
  EXPECT_EQ(nov["closing_contract_liability"], "96000.00");
  EXPECT_EQ(nov["revenue_to_date"], "141500.00");
  EXPECT_EQ(nov["billed_to_date"], "237500.00");

  json disclosures =
      RunJson("", {"report", "disclosures", "--book", "northwind-cro", "--by", "quarter"});
  ASSERT_EQ(disclosures["periods"].size(), 2u);
  EXPECT_EQ(disclosures["periods"][0]["period"], "2026-Q3");
  EXPECT_EQ(disclosures["periods"][0]["remaining_performance_obligations"], "1900000.00");
  EXPECT_EQ(disclosures["periods"][1]["period"], "2026-Q4");
  // The Q4 opening liability (135,000.00) is less than the Q4 revenue (141,500.00).
  EXPECT_EQ(disclosures["periods"][1]["revenue_from_opening_contract_liability"], "135000.00");
  EXPECT_EQ(disclosures["periods"][1]["revenue_from_prior_period_obligations"], "9000.00");
  EXPECT_EQ(disclosures["periods"][1]["remaining_performance_obligations"], "1833500.00");

  // The catch-up entry, with the evidence chain back to the change order's transaction.
  json journal = RunJson("", {"journal", "list", "--book", "northwind-cro", "--contract",
                              "acme-301", "--period", "2026-11"});
  ASSERT_EQ(journal.size(), 1u);
  EXPECT_EQ(journal[0]["kind"], "catch_up");
  EXPECT_EQ(journal[0]["amount"], "9000.00");
  EXPECT_EQ(journal[0]["date"], "2026-11-30");
  json entry = RunJson("", {"journal", "show", journal[0]["entry_id"]});
  EXPECT_EQ(entry["lines"].size(), 2u);
  EXPECT_EQ(entry["transaction_price"], "1975000.00");
  // A revenue entry of a fact carries the signed fact it came from.
  json october_entries =
      RunJson("", {"journal", "list", "--book", "northwind-cro", "--period", "2026-10"});
  bool shown_fact = false;
  for (const json& listed : october_entries) {
    if (listed["kind"] != "revenue") continue;
    json revenue = RunJson("", {"journal", "show", listed["entry_id"]});
    EXPECT_EQ(revenue["source_fact"]["signer"], "northwind-cro/northwind-cro-cost");
    shown_fact = true;
    break;
  }
  EXPECT_TRUE(shown_fact);

  // Every node serves the same journal and reports.
  AwaitSameHead();
  const json all = RunJson("", {"journal", "list", "--book", "northwind-cro"});
  for (int node = 1; node < network_->size(); ++node) {
    EXPECT_EQ(RunJson("", {"journal", "list", "--book", "northwind-cro"}, node), all);
    EXPECT_EQ(Balances("northwind-cro", "2026-11", node), Balances("northwind-cro", "2026-11"));
  }
}

TEST_F(BooksTest, PeriodsCloseInOrderAndLatePostingsMoveToTheFirstOpenOne) {
  // The previous test's contract and book: the CRO's periods through 2026-10 close in order.
  ExpectRefused(Run("northwind-cro-clinops", {"books", "close-period", "2026-09"}), "finance role");
  EXPECT_EQ(RunJson("northwind-cro-finance", {"books", "close-period", "2026-09"})["result"], "ok");
  ExpectRefused(Run("northwind-cro-finance", {"books", "close-period", "2026-09"}),
                "already closed");
  ExpectRefused(Run("northwind-cro-finance", {"books", "close-period", "2026-11"}), "2026-10");
  ExpectRefused(Run("northwind-cro-finance", {"books", "close-period", "2026-13"}), "2026-13");
  EXPECT_EQ(RunJson("northwind-cro-finance", {"books", "close-period", "2026-10"})["result"], "ok");

  // A cost dated in the closed October lands in November, and says so.
  const std::string late =
      WriteFile("late-cost.json",
                R"({"facts": [{"kind": "cost_incurred", "source_system": "northwind-erp",
          "source_record_id": "TS-2026-10-LATE", "source_timestamp": "2026-11-03T09:00:00Z",
          "audit": {"user": "p.novak", "reason": "late timesheet"}, "study": "ACME-301",
          "category": "labour", "amount": "USD 35,000.00", "date": "2026-10-20"}]})");
  RunJson("northwind-cro-cost", {"facts", "submit", "--contract", "acme-301", "--file", late});
  json november =
      RunJson("", {"journal", "list", "--book", "northwind-cro", "--period", "2026-11"});
  bool moved = false;
  for (const json& entry : november) {
    if (entry["date"] != "2026-10-20") continue;
    // 35,000 more labour: 455,000 / 3,500,000 = 13 % of 1,075,000.00 = 139,750.00, so
    // 10,750.00 more revenue.
    EXPECT_EQ(entry["amount"], "10750.00");
    EXPECT_NE(entry["memo"].get<std::string>().find("closed period 2026-10"), std::string::npos)
        << entry["memo"];
    moved = true;
  }
  EXPECT_TRUE(moved);

  // The sponsor had October open: its expense is in October, the CRO's revenue in November, and
  // the mirror says why. At the end of October the sponsor's prepaid is 105,000 - 10,750.
  json mirror = RunJson("", {"report", "mirror", "--contract", "acme-301"});
  ASSERT_EQ(mirror["periods"].size(), 3u);
  const json& october = mirror["periods"][1];
  EXPECT_EQ(october["sponsor_expense"], "143250.00");
  EXPECT_EQ(october["cro_revenue"], "132500.00");
  EXPECT_EQ(october["sponsor_prepaid"], "94250.00");
  EXPECT_EQ(october["cro_contract_liability"], "105000.00");
  ASSERT_EQ(october["differences"].size(), 2u) << october;
  EXPECT_EQ(october["differences"][0]["measure"], "expense");
  EXPECT_EQ(october["differences"][0]["amount"], "10750.00");
  EXPECT_NE(october["differences"][0]["reason"].get<std::string>().find("CRO's book"),
            std::string::npos);
  EXPECT_EQ(october["differences"][1]["measure"], "prepaid");
  EXPECT_EQ(october["differences"][1]["amount"], "-10750.00");
  const json& november_row = mirror["periods"][2];
  ASSERT_EQ(november_row["differences"].size(), 1u) << november_row;
  EXPECT_EQ(november_row["differences"][0]["amount"], "-10750.00");
  EXPECT_EQ(november_row["sponsor_prepaid"], "85250.00");
  EXPECT_EQ(november_row["cro_contract_liability"], "85250.00");

  // Reopening needs an admin and a reason, and only the last closed period reopens.
  ExpectRefused(Run("northwind-cro-finance",
                    {"books", "reopen-period", "2026-10", "--reason", "audit adjustment"}),
                "admin role");
  ExpectRefused(Run("northwind-cro-admin",
                    {"books", "reopen-period", "2026-09", "--reason", "audit adjustment"}),
                "2026-10");
  EXPECT_EQ(RunJson("northwind-cro-admin", {"books", "reopen-period", "2026-10", "--reason",
                                            "audit adjustment"})["result"],
            "ok");
  json book = RunJson("", {"books", "show", "--book", "northwind-cro"});
  EXPECT_EQ(book["closed_through"], "2026-09");
  ASSERT_EQ(book["period_changes"].size(), 3u);
  EXPECT_EQ(book["period_changes"][2]["change"], "reopened");
  EXPECT_EQ(book["period_changes"][2]["reason"], "audit adjustment");
}

TEST_F(BooksTest, AnAccountMapNamesOnlyTheChartsAccounts) {
  const std::string bad = WriteFile("bad-map.toml",
                                    "accounts_receivable = \"1210\"\n"
                                    "revenue = \"4000\"\n");
  ExpectRefused(Run("northwind-cro-finance", {"books", "set-account-map", bad}),
                "unknown account 'revenue'");
  const std::string good = WriteFile("map.toml",
                                     "accounts_receivable = \"AR-100\"\n"
                                     "contract_balance = \"CB-150\"\n");
  EXPECT_EQ(RunJson("northwind-cro-finance", {"books", "set-account-map", good})["result"], "ok");
  ExpectRefused(Run("northwind-cro-clinops", {"books", "set-account-map", good}), "finance role");
  std::map<std::string, json> balances = Balances("northwind-cro", "2026-11");
  EXPECT_EQ(balances["accounts_receivable"]["erp_code"], "AR-100");
  EXPECT_EQ(balances["revenue_services"]["erp_code"], "");  // no longer mapped
}

TEST_F(BooksTest, EveryDataDirVerifiesWithItsJournal) {
  AwaitSameHead();
  for (int node = 0; node < network_->size(); ++node)
    network_->Stop(node);
  for (int node = 0; node < network_->size(); ++node) {
    CommandResult verified = network_->Cli(node, {"verify", "--data-dir", network_->data_dir(node),
                                                  "--genesis", network_->genesis_path()});
    EXPECT_EQ(verified.exit_code, 0) << verified.err;
  }
}

}  // namespace
}  // namespace tl
