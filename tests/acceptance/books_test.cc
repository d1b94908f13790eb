// The CRO's books end to end on a running three-node network, through the `trialledger` CLI: the
// full-service template with the demo's facts (contracts/examples/acme-301) and its change order.
// Every figure below is derived by hand from the SOW and the facts, in the comments, not taken
// from the library: the trial balance, the roll-forward and the disclosures must match them, be
// the same on every node, and survive `verify`. Then the periods: closing in order, reopening by
// an admin with a reason, a late fact posted in the first open period with a memo that says so.
#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

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
  // A member who may read `book` (docs/permissions.md): its organisation's finance member.
  static std::string Reader(const std::string& book) { return book + "-finance"; }
  std::map<std::string, json> Balances(const std::string& book, const std::string& period,
                                       int node = 0) {
    json balance = RunJson(Reader(book),
                           {"report", "trial-balance", "--book", book, "--period", period}, node);
    EXPECT_EQ(balance["total_debit"], balance["total_credit"]);
    std::map<std::string, json> by_account;
    for (const json& account : balance["accounts"])
      by_account[account["account"]] = account;
    return by_account;
  }

  // A second finance member of the sponsor, so that recording and approving are two people:
  // the path of its key.
  std::string AddSponsorFinanceMember(const std::string& name) {
    const std::string key_path = dir_.Sub(name + ".key");
    json key = RunJson("", {"keys", "gen", "--out", key_path, "--name", name});
    EXPECT_EQ(RunJson("acme-bio-admin", {"member", "add", "--name", name, "--public-key",
                                         key["public_key"], "--roles", "finance"})["result"],
              "ok");
    return key_path;
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

  json rollforward =
      RunJson("northwind-cro-finance", {"report", "rollforward", "--contract", "acme-301"});
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

  json disclosures = RunJson("northwind-cro-finance", {"report", "disclosures", "--book",
                                                       "northwind-cro", "--by", "quarter"});
  ASSERT_EQ(disclosures["periods"].size(), 2u);
  EXPECT_EQ(disclosures["periods"][0]["period"], "2026-Q3");
  EXPECT_EQ(disclosures["periods"][0]["remaining_performance_obligations"], "1900000.00");
  EXPECT_EQ(disclosures["periods"][1]["period"], "2026-Q4");
  // The Q4 opening liability (135,000.00) is less than the Q4 revenue (141,500.00).
  EXPECT_EQ(disclosures["periods"][1]["revenue_from_opening_contract_liability"], "135000.00");
  EXPECT_EQ(disclosures["periods"][1]["revenue_from_prior_period_obligations"], "9000.00");
  EXPECT_EQ(disclosures["periods"][1]["remaining_performance_obligations"], "1833500.00");

  // The catch-up entry, with the evidence chain back to the change order's transaction.
  json journal =
      RunJson("northwind-cro-finance", {"journal", "list", "--book", "northwind-cro", "--contract",
                                        "acme-301", "--period", "2026-11"});
  ASSERT_EQ(journal.size(), 1u);
  EXPECT_EQ(journal[0]["kind"], "catch_up");
  EXPECT_EQ(journal[0]["amount"], "9000.00");
  EXPECT_EQ(journal[0]["date"], "2026-11-30");
  json entry = RunJson("northwind-cro-finance", {"journal", "show", journal[0]["entry_id"]});
  EXPECT_EQ(entry["lines"].size(), 2u);
  EXPECT_EQ(entry["transaction_price"], "1975000.00");
  // A revenue entry of a fact carries the signed fact it came from.
  json october_entries = RunJson("northwind-cro-finance", {"journal", "list", "--book",
                                                           "northwind-cro", "--period", "2026-10"});
  bool shown_fact = false;
  for (const json& listed : october_entries) {
    if (listed["kind"] != "revenue") continue;
    json revenue = RunJson("northwind-cro-finance", {"journal", "show", listed["entry_id"]});
    EXPECT_EQ(revenue["source_fact"]["signer"], "northwind-cro/northwind-cro-cost");
    shown_fact = true;
    break;
  }
  EXPECT_TRUE(shown_fact);

  // Every node serves the same journal and reports.
  AwaitSameHead();
  const json all = RunJson("northwind-cro-finance", {"journal", "list", "--book", "northwind-cro"});
  for (int node = 1; node < network_->size(); ++node) {
    EXPECT_EQ(
        RunJson("northwind-cro-finance", {"journal", "list", "--book", "northwind-cro"}, node),
        all);
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
  json november = RunJson("northwind-cro-finance",
                          {"journal", "list", "--book", "northwind-cro", "--period", "2026-11"});
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
  json book = RunJson("northwind-cro-finance", {"books", "show", "--book", "northwind-cro"});
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

// The invoice cycle with the sponsor's and the CRO's own keys. The contract's billing issued
// three CRO invoices, one per transaction that billed: the five sites (150,000.00 less the 10 %
// holdback: 135,000.00), FPI (100,000.00 less 10 %: 90,000.00) and the grant re-billed at cost
// (12,500.00). The sponsor approves and pays the first in two parts; the CRO confirms both. Then
// a site's own invoice from outside the ledger: recorded by one finance member, approved by
// another, one line with evidence and one without (which needs an override).
TEST_F(BooksTest, InvoicesAreApprovedPaidAndReceivedOnBothBooks) {
  json invoices = RunJson("", {"invoice", "list", "--contract", "acme-301"});
  ASSERT_EQ(invoices.size(), 3u) << invoices;
  const std::vector<std::string> totals = {"135000.00", "90000.00", "12500.00"};
  for (size_t i = 0; i < totals.size(); ++i) {
    EXPECT_EQ(invoices[i]["invoice"], "northwind-cro/INV-0000000" + std::to_string(i + 1));
    EXPECT_EQ(invoices[i]["total"], totals[i]);
    EXPECT_EQ(invoices[i]["status"], "awaiting_approval");
    EXPECT_EQ(invoices[i]["payer"], "acme-bio");
  }
  json match = RunJson("", {"report", "invoice-match", "--contract", "acme-301"});
  ASSERT_EQ(match["lines"].size(), 3u) << match;
  for (const json& line : match["lines"]) {
    EXPECT_EQ(line["status"], "matched") << line;
    EXPECT_EQ(line["evidence"][0]["state"], "applied") << line;
  }

  const std::string first = "northwind-cro/INV-00000001";
  ExpectRefused(Run("northwind-cro-finance", {"invoice", "approve", first}), "payer's finance");
  ExpectRefused(Run("acme-bio-clinops", {"invoice", "approve", first}), "finance role");
  ExpectRefused(Run("acme-bio-finance",
                    {"invoice", "pay", first, "--amount", "USD 1.00", "--date", "2026-11-25"}),
                "not approved");
  ASSERT_EQ(RunJson("acme-bio-finance", {"invoice", "approve", first})["result"], "ok");
  ExpectRefused(Run("acme-bio-finance", {"invoice", "approve", first}), "not awaiting approval");
  ASSERT_EQ(
      RunJson("acme-bio-finance", {"invoice", "pay", first, "--amount", "USD 100,000.00", "--date",
                                   "2026-11-25", "--reference", "WIRE-1"})["result"],
      "ok");
  ExpectRefused(Run("acme-bio-finance",
                    {"invoice", "pay", first, "--amount", "USD 35,000.01", "--date", "2026-11-26"}),
                "outstanding");
  ASSERT_EQ(
      RunJson("acme-bio-finance", {"invoice", "pay", first, "--amount", "USD 35,000.00", "--date",
                                   "2026-11-26", "--reference", "WIRE-2"})["result"],
      "ok");
  ExpectRefused(Run("acme-bio-finance", {"invoice", "confirm-receipt", first, "--payment", "1"}),
                "issuer's finance");
  for (const std::string payment : {"1", "2"}) {
    ASSERT_EQ(RunJson("northwind-cro-finance",
                      {"invoice", "confirm-receipt", first, "--payment", payment})["result"],
              "ok");
  }
  ExpectRefused(
      Run("northwind-cro-finance", {"invoice", "confirm-receipt", first, "--payment", "2"}),
      "already confirmed");
  json shown = RunJson("", {"invoice", "show", first});
  EXPECT_EQ(shown["status"], "paid");
  EXPECT_EQ(shown["paid"], "135000.00");
  EXPECT_EQ(shown["received"], "135000.00");
  EXPECT_EQ(shown["approved_by"], "acme-bio-finance");
  ASSERT_EQ(shown["payments"].size(), 2u);
  EXPECT_EQ(shown["payments"][1]["reference"], "WIRE-2");
  EXPECT_EQ(shown["payments"][1]["confirmed_by"], "northwind-cro-finance");

  // Both books see the same payments: 135,000.00 of cash out and in.
  std::map<std::string, json> sponsor = Balances("acme-bio", "2026-11");
  EXPECT_EQ(sponsor["cash"]["credit"], "135000.00");
  EXPECT_EQ(sponsor["accounts_payable"]["debit"], "135000.00");
  EXPECT_EQ(sponsor["accounts_payable"]["balance"], "-102500.00");  // 237,500 - 135,000
  std::map<std::string, json> cro = Balances("northwind-cro", "2026-11");
  EXPECT_EQ(cro["cash"]["debit"], "135000.00");
  EXPECT_EQ(cro["accounts_receivable"]["credit"], "135000.00");
  EXPECT_EQ(cro["accounts_receivable"]["balance"], "102500.00");

  // The contract's sponsor book follows the mirror already: a grid now would strand its accrual.
  ExpectRefused(
      Run("acme-bio-finance", {"books", "set-accrual-grid", "--contract", "acme-301", "--file",
                               WriteFile("late-grid.json", R"({"rates": [{"kind":
                                           "site_activated", "rate": "USD 1.00", "payee":
                                           "northwind-cro"}]})")}),
      "already follows the CRO's measure");

  const std::string controller_key = AddSponsorFinanceMember("controller");
  const std::string lines = WriteFile("site-invoice.json", R"({"lines": [
      {"item": "screening visit, subject 101-001", "amount": "USD 2,400.00",
       "evidence": ["rave-edc/SCR-101-001"]},
      {"item": "travel", "amount": "USD 300.00"}]})");
  ExpectRefused(
      Run("acme-bio-clinops", {"invoice", "record", "--contract", "acme-301", "--payee", "site-101",
                               "--number", "S101-42", "--date", "2026-11-20", "--file", lines}),
      "finance role");
  // Bad invoices are refused where they enter, naming what is wrong, and leave nothing behind.
  for (
      const auto& [bad_lines, needle] : std::vector<std::pair<std::string, std::string>>{
          {R"({"lines": [{"item": "visit", "amount": "EUR 10.00"}]})", "the contract is in USD"},
          {R"({"lines": [{"item": "visit", "amount": "USD 0.00"}]})", "line 1: the amount"},
          {R"({"lines": [{"item": "credit", "amount": "USD -5.00"}]})", "total must be positive"},
          {R"({"lines": [{"item": "", "amount": "USD 5.00"}]})", "line 1: the item is missing"},
          {R"({"lines": [{"amount": "USD 5.00"}]})", "needs \"item\""},
          {R"({"lines": []})", "1 to 200 lines"},
          {R"({"lines": [{"item": "visit", "amount": "USD 5.00", "evidence": ["edc/A", "edc/A"]}]})",
           "line 1: evidence edc/A is named twice"}}) {
    ExpectRefused(
        Run("acme-bio-finance", {"invoice", "record", "--contract", "acme-301", "--payee",
                                 "site-101", "--number", "S101-41", "--date", "2026-11-20",
                                 "--file", WriteFile("bad-invoice.json", bad_lines)}),
        needle);
  }
  ExpectRefused(
      Run("acme-bio-finance", {"invoice", "record", "--contract", "acme-301", "--payee", "site-101",
                               "--number", "S101-41", "--date", "2026-11-31", "--file", lines}),
      "--date");
  ASSERT_EQ(RunJson("acme-bio-finance",
                    {"invoice", "record", "--contract", "acme-301", "--payee", "site-101",
                     "--number", "S101-42", "--date", "2026-11-20", "--file", lines})["result"],
            "ok");
  const std::string site = "acme-bio/REC-00000001";
  ExpectRefused(Run("acme-bio-finance", {"invoice", "approve", site}), "which they recorded");
  auto as_controller = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--key", controller_key});
    return network_->Cli(0, args);
  };
  ExpectRefused(as_controller({"invoice", "approve", site}), "line 2 (travel)");
  json site_match = RunJson("", {"invoice", "show", site})["match"];
  ASSERT_EQ(site_match.size(), 2u);
  EXPECT_EQ(site_match[0]["status"], "over_billed");  // nothing accrued for a site's own bill
  EXPECT_EQ(site_match[0]["evidence"][0]["kind"], "subject_screened");
  EXPECT_EQ(site_match[0]["needs_override"], false);
  EXPECT_EQ(site_match[1]["status"], "no_evidence");
  EXPECT_EQ(site_match[1]["needs_override"], true);
  CommandResult approved =
      as_controller({"invoice", "approve", site, "--override", "travel agreed by e-mail"});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  json approved_site = RunJson("", {"invoice", "show", site});
  EXPECT_EQ(approved_site["status"], "approved");
  EXPECT_EQ(approved_site["approved_by"], "controller");
  EXPECT_EQ(approved_site["recorded_by"], "acme-bio-finance");
  EXPECT_EQ(approved_site["override_reason"], "travel agreed by e-mail");
  // Expense and payable of 2,700.00 on approval, dated on the approval's day (today: the block's
  // time), in the sponsor's open period; the mirror names it.
  json journal = RunJson("", {"journal", "list", "--book", "acme-bio"});
  const json& approval = journal.back();
  EXPECT_EQ(approval["kind"], "invoice_received");
  EXPECT_EQ(approval["amount"], "2700.00");
  sponsor = Balances("acme-bio", approval["period"]);
  EXPECT_EQ(sponsor["rd_expense"]["debit"], "154950.00");         // 141,500 + 10,750 + 2,700
  EXPECT_EQ(sponsor["accounts_payable"]["credit"], "240200.00");  // 237,500 + 2,700
  json mirror = RunJson("", {"report", "mirror", "--contract", "acme-301"});
  bool named = false;
  for (const json& period : mirror["periods"]) {
    for (const json& difference : period["differences"]) {
      EXPECT_EQ(difference["reason"].get<std::string>().find("without a known cause"),
                std::string::npos)
          << difference;
      if (difference["amount"] == "2700.00") {
        named =
            difference["reason"].get<std::string>().find("outside the ledger") != std::string::npos;
      }
    }
  }
  EXPECT_TRUE(named) << mirror;
}

// The sponsor's own unit-cost grid on a per-patient contract, driven by the CRO's oracles and the
// sponsor's finance, every figure by hand:
//   grid   site_activated 20,000.00 (CRO) · subject_screened 800.00 (site-301, 10 % held) ·
//          subject_randomized 1,500.00 (site-301, 10 %) · monitoring_visit 2,500.00 (CRO)
//   Oct    site 301 activated: 20,000 accrued; the CRO's start-up invoice (20,000) relieves it.
//          S1 and S2 screened, S1 enrolled and randomised, an unscheduled visit: 800 + 800 +
//          1,500 accrued for site-301, 310 of it held; the CRO's per-subject invoice (5,000) has
//          nothing accrued against it: prepaid. A monitoring visit (2,500) consumes prepaid; its
//          invoice (2,500) relieves the accrual: prepaid 5,000 again.
//          R&D expense 25,600.00; payable 27,500.00; accrued for site-301 2,790.00; held 310.00.
//   then   site-301's own invoice: 720 + 720 + 1,350 for its accrued work and 1,080 for the
//          unscheduled visit, which no rate pays: over-billed by 1,080.00, a change in estimate
//          booked when approved, October untouched.
TEST_F(BooksTest, TheSponsorsGridAccruesByTheUnitAndTrueUpsASiteInvoice) {
  const std::string id = "acme-303";
  ASSERT_EQ(RunJson("northwind-cro-finance",
                    {"contract", "propose", kContracts + "/templates/unit_priced.sow", "--id", id,
                     "--effective", "2026-09-15"})["result"],
            "ok");
  ASSERT_EQ(RunJson("acme-bio-finance", {"contract", "accept", id})["result"], "ok");
  const std::string grid = WriteFile("grid.json", R"({"holdback_released_by": "database_lock",
    "rates": [
      {"kind": "site_activated", "rate": "USD 20,000.00", "payee": "northwind-cro"},
      {"kind": "subject_screened", "rate": "USD 800.00", "payee": "site-301", "holdback_percent": 10},
      {"kind": "subject_randomized", "rate": "USD 1,500.00", "payee": "site-301",
       "holdback_percent": 10},
      {"kind": "monitoring_visit", "rate": "USD 2,500.00", "payee": "northwind-cro"}]})");
  ExpectRefused(
      Run("northwind-cro-finance", {"books", "set-accrual-grid", "--contract", id, "--file", grid}),
      "sponsor's finance");
  ExpectRefused(
      Run("acme-bio-clinops", {"books", "set-accrual-grid", "--contract", id, "--file", grid}),
      "finance role");
  ExpectRefused(
      Run("acme-bio-finance",
          {"books", "set-accrual-grid", "--contract", id, "--file",
           WriteFile("bad-grid.json",
                     R"({"rates": [{"kind": "lunch", "rate": "USD 1.00", "payee": "x"}]})")}),
      "rate 1 (lunch)");
  ExpectRefused(Run("acme-bio-finance", {"books", "set-accrual-grid", "--contract", id, "--file",
                                         WriteFile("not-a-grid.json", "[1, 2")}),
                "not-a-grid.json: expected {\"rates\": [...]}");
  ExpectRefused(Run("acme-bio-finance",
                    {"books", "set-accrual-grid", "--contract", id, "--file",
                     WriteFile("over-held.json", R"({"rates": [{"kind": "subject_screened",
              "rate": "USD 1.00", "payee": "site-301", "holdback_percent": 150}]})")}),
                "over-held.json: rate 1: holdback_percent is 0 to 100");
  ASSERT_EQ(RunJson("acme-bio-finance",
                    {"books", "set-accrual-grid", "--contract", id, "--file", grid})["result"],
            "ok");
  auto submit = [&](const std::string& oracle, const std::string& name, const std::string& facts) {
    const std::string path = WriteFile(name, R"({"facts": [)" + facts + "]}");
    RunJson(oracle, {"facts", "submit", "--contract", id, "--file", path});
  };
  auto fact = [](const std::string& kind, const std::string& record, const std::string& date,
                 const std::string& extra) {
    return R"({"kind": ")" + kind + R"(", "source_system": "src", "source_record_id": ")" + record +
           R"(", "source_timestamp": ")" + date + R"(T12:00:00Z", "audit": {"user":
           "t"}, "study": "ACME-303", "date": ")" +
           date + R"(", )" + extra + "}";
  };
  submit("northwind-cro-ctms", "g1.json",
         fact("site_activated", "ACT-301", "2026-10-01", R"("site": "301")"));
  submit(
      "northwind-cro-edc", "g2.json",
      fact("subject_screened", "SCR-S1", "2026-10-05", R"("site": "301", "subject": "S1")") + "," +
          fact("subject_screened", "SCR-S2", "2026-10-06", R"("site": "301", "subject": "S2")") +
          "," +
          fact("subject_enrolled", "ENR-S1", "2026-10-08", R"("site": "301", "subject": "S1")") +
          "," +
          fact("subject_randomized", "RND-S1", "2026-10-10", R"("site": "301", "subject": "S1")") +
          "," +
          fact("visit_completed", "UNS-S1", "2026-10-28",
               R"("site": "301", "subject": "S1", "visit_type": "UNSCHEDULED")"));
  submit("northwind-cro-ctms", "g3.json",
         fact("monitoring_visit", "MV-301-1", "2026-10-20", R"("site": "301")"));

  // The sponsor's book for this contract alone: acme-bio also books acme-301.
  auto contract_balance = [&](const std::string& period) {
    std::map<std::string, int64_t> net;
    const json listed_entries =
        RunJson("", {"journal", "list", "--book", "acme-bio", "--contract", id});
    for (const json& listed : listed_entries) {
      if (listed["period"].get<std::string>() > period) continue;
      // Kept in a variable: a range-for over a member of a temporary would dangle (C++20).
      const json shown = RunJson("", {"journal", "show", listed["entry_id"]});
      for (const json& line : shown["lines"]) {
        auto cents = [](const json& amount) {  // "1350.00" -> 135000, exactly
          std::string text = amount.get<std::string>();
          std::erase(text, '.');
          return text.empty() ? int64_t{0} : static_cast<int64_t>(std::stoll(text));
        };
        net[line["account"]] += cents(line["debit"]) - cents(line["credit"]);
      }
    }
    return net;
  };
  std::map<std::string, int64_t> october = contract_balance("2026-10");
  EXPECT_EQ(october["rd_expense"], 2'560'000);
  EXPECT_EQ(october["accounts_payable"], -2'750'000);
  EXPECT_EQ(october["accrued_holdback"], -31'000);
  EXPECT_EQ(october["accrued_clinical_costs"], -279'000);
  EXPECT_EQ(october["prepaid_clinical_costs"], 500'000);

  // site-301's own invoice, recorded by one finance member and approved by another.
  const std::string clerk_key = AddSponsorFinanceMember("ap-clerk");
  const std::string lines = WriteFile("site-301.json", R"({"lines": [
      {"item": "screening S1", "amount": "USD 720.00", "evidence": ["src/SCR-S1"]},
      {"item": "screening S2", "amount": "USD 720.00", "evidence": ["src/SCR-S2"]},
      {"item": "randomisation S1", "amount": "USD 1,350.00", "evidence": ["src/RND-S1"]},
      {"item": "unscheduled visit S1", "amount": "USD 1,080.00", "evidence": ["src/UNS-S1"]}]})");
  CommandResult recorded = network_->Cli(
      0, {"--key", clerk_key, "invoice", "record", "--contract", id, "--payee", "site-301",
          "--number", "S301-7", "--date", "2026-11-05", "--file", lines, "-o", "json"});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  // Invoice ids sort by book: the sponsor's recorded ones before the CRO's.
  std::string site_invoice;
  for (const json& invoice : RunJson("", {"invoice", "list", "--contract", id})) {
    if (invoice["issuer"] != "site-301") continue;
    site_invoice = invoice["invoice"];
    EXPECT_EQ(invoice["total"], "3870.00");
  }
  ASSERT_FALSE(site_invoice.empty());
  json match = RunJson("", {"report", "invoice-match", "--contract", id})["lines"];
  std::vector<std::string> statuses;
  for (const json& line : match) {
    if (line["invoice"] == site_invoice) statuses.push_back(line["status"]);
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"matched", "matched", "matched", "over_billed"}));
  ASSERT_EQ(RunJson("acme-bio-finance", {"invoice", "approve", site_invoice})["result"], "ok");
  json journal = RunJson("", {"journal", "list", "--book", "acme-bio", "--contract", id});
  const json& approval = journal.back();
  EXPECT_EQ(approval["kind"], "catch_up");
  EXPECT_NE(approval["period"], "2026-10");
  // October is untouched; the true-up is in the approval's period.
  EXPECT_EQ(contract_balance("2026-10"), october);
  std::map<std::string, int64_t> after = contract_balance(approval["period"]);
  EXPECT_EQ(after["rd_expense"], 2'560'000 + 108'000);
  EXPECT_EQ(after["accrued_clinical_costs"], 0);
  EXPECT_EQ(after["accounts_payable"], -2'750'000 - 387'000);
  // The accruals report, per contract and payee, from the same figures: October's work and
  // invoices, then the true-up in the approval's period.
  auto accruals = [&](const std::string& period) {
    std::map<std::string, json> by_payee;
    json report = RunJson("", {"report", "accruals", "--book", "acme-bio", "--period", period});
    EXPECT_EQ(report["periods"].size(), 1u) << report;
    for (const json& row : report["periods"][0]["accruals"]) {
      if (row["contract"] == id) by_payee[row["payee"]] = row;
    }
    return by_payee;
  };
  std::map<std::string, json> accrued = accruals("2026-10");
  EXPECT_EQ(accrued["northwind-cro"]["expense"], "22500.00");          // 20,000 + 2,500
  EXPECT_EQ(accrued["northwind-cro"]["invoiced"], "27500.00");         // 20,000 + 5,000 + 2,500
  EXPECT_EQ(accrued["northwind-cro"]["closing_accrual"], "-5000.00");  // prepaid
  EXPECT_EQ(accrued["northwind-cro"]["payable"], "27500.00");
  EXPECT_EQ(accrued["site-301"]["opening_accrual"], "0.00");
  EXPECT_EQ(accrued["site-301"]["expense"], "3100.00");  // 800 + 800 + 1,500
  EXPECT_EQ(accrued["site-301"]["closing_accrual"], "2790.00");
  EXPECT_EQ(accrued["site-301"]["holdback"], "310.00");
  accrued = accruals(approval["period"]);
  EXPECT_EQ(accrued["site-301"]["opening_accrual"], "2790.00");
  EXPECT_EQ(accrued["site-301"]["invoiced"], "3870.00");
  EXPECT_EQ(accrued["site-301"]["true_ups"], "1080.00");
  EXPECT_EQ(accrued["site-301"]["expense"], "1080.00");
  EXPECT_EQ(accrued["site-301"]["closing_accrual"], "0.00");
  EXPECT_EQ(accrued["site-301"]["holdback"], "310.00");  // until the database lock
  EXPECT_EQ(accrued["site-301"]["payable"], "3870.00");
  ExpectRefused(Run("northwind-cro-finance", {"report", "accruals", "--book", "northwind-cro"}),
                "a CRO's book");
  ExpectRefused(Run("", {"report", "accruals", "--book", "acme-bio", "--period", "2026-13"}),
                "--period");

  // The mirror says why the books differ: the contract follows the sponsor's grid.
  json mirror = RunJson("", {"report", "mirror", "--contract", id});
  ASSERT_FALSE(mirror["periods"].empty());
  bool explained = false;
  for (const json& period : mirror["periods"]) {
    for (const json& difference : period["differences"]) {
      explained =
          explained || difference["reason"].get<std::string>().find("grid") != std::string::npos;
    }
  }
  EXPECT_TRUE(explained) << mirror;
}

// The exports a finance team feeds its tools (docs/erp.md): Debian's own beancount, ledger and
// hledger accept each book's journal with its balance assertions, and their balances at the end
// of every period equal `report trial-balance` account by account; the ERP CSVs hold one row per
// journal line, each entry's debits equal to its credits.
namespace {

// "accounts_receivable" -> "AccountsReceivable": how the exports name an account under its root.
std::string Camel(const std::string& account) {
  std::string name;
  bool upper = true;
  for (char c : account) {
    if (c == '_') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

std::string Trim(const std::string& text) {
  size_t first = text.find_first_not_of(" \"");
  size_t last = text.find_last_not_of(" \"\r");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

// A tool's balances (lines "Root:Account<sep>amount currency" or "Root:Account<sep>currency<sep>
// amount") as {"AccountsReceivable" -> "135000.00 USD"}, zero balances left out.
std::map<std::string, std::string> ToolBalances(const std::string& out, char separator,
                                                bool currency_first) {
  std::map<std::string, std::string> balances;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::istringstream split(line);
    std::string field;
    while (std::getline(split, field, separator))
      fields.push_back(Trim(field));
    if (fields.size() < 2 || fields[0].find(':') == std::string::npos) continue;
    std::string amount = currency_first ? fields[2] + " " + fields[1] : fields[1];
    if (amount.rfind("0.00 ", 0) == 0 || amount.rfind("-0.00 ", 0) == 0) continue;
    balances[fields[0].substr(fields[0].find(':') + 1)] = amount;
  }
  return balances;
}

// One CSV record of fields all quoted (as the exports write them), quotes doubled inside.
std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      field += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.push_back(field);
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  fields.push_back(field);
  return fields;
}

int64_t Cents(const std::string& decimal) {
  if (decimal.empty()) return 0;
  const size_t dot = decimal.find('.');
  return std::stoll(decimal.substr(0, dot)) * 100 + std::stoll(decimal.substr(dot + 1));
}

}  // namespace

TEST_F(BooksTest, ExportsPassTheirOwnToolsAndTieToTheTrialBalance) {
  for (const std::string book : {"northwind-cro", "acme-bio"}) {
    const std::string reader = Reader(book);
    std::map<std::string, std::string> files;
    for (const std::string format :
         {"beancount", "ledger", "hledger", "csv-netsuite", "csv-oracle-gl", "jsonl"}) {
      files[format] = dir_.Sub(book + "." + format);
      ASSERT_EQ(Run(reader, {"journal", "export", "--book", book, "--format", format, "--out",
                             files[format]})
                    .exit_code,
                0)
          << format;
    }
    CommandResult checked = testing::RunCommand({"/usr/bin/bean-check", files["beancount"]});
    ASSERT_EQ(checked.exit_code, 0) << checked.out << checked.err;
    const json journal = RunJson(reader, {"journal", "list", "--book", book});
    std::set<std::string> periods;
    size_t lines = 0;
    for (const json& entry : journal) {
      periods.insert(entry["period"]);
      lines += RunJson(reader, {"journal", "show", entry["entry_id"]})["lines"].size();
    }
    ASSERT_GE(periods.size(), 2u) << book;
    for (const std::string& period : periods) {
      const json balance =
          RunJson(reader, {"report", "trial-balance", "--book", book, "--period", period});
      // The same report as CSV for a spreadsheet: a record per account, each with the report's
      // own fields first, amounts as plain decimals.
      CommandResult csv =
          Run(reader, {"report", "trial-balance", "--book", book, "--period", period, "-o", "csv"});
      ASSERT_EQ(csv.exit_code, 0) << csv.err;
      std::vector<std::map<std::string, std::string>> records;
      {
        std::istringstream in(csv.out);
        std::string line;
        std::vector<std::string> header;
        while (std::getline(in, line)) {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          std::vector<std::string> fields;
          for (size_t at = 1; at < line.size();) {  // every field is quoted; none holds a quote
            const size_t end = line.find('"', at);
            fields.push_back(line.substr(at, end - at));
            at = end + 3;
          }
          if (header.empty()) {
            header = fields;
            continue;
          }
          std::map<std::string, std::string> record;
          for (size_t i = 0; i < header.size() && i < fields.size(); ++i)
            record[header[i]] = fields[i];
          records.push_back(std::move(record));
        }
      }
      ASSERT_EQ(records.size(), balance["accounts"].size()) << csv.out;
      for (size_t i = 0; i < records.size(); ++i) {
        EXPECT_EQ(records[i]["book"], book);
        EXPECT_EQ(records[i]["period"], period);
        EXPECT_EQ(records[i]["account"], balance["accounts"][i]["account"]);
        EXPECT_EQ(records[i]["balance"], balance["accounts"][i]["balance"]) << csv.out;
      }
      std::map<std::string, std::string> expected;
      for (const json& account : balance["accounts"]) {
        const std::string amount =
            account["balance"].get<std::string>() + " " + balance["currency"].get<std::string>();
        if (Cents(account["balance"]) != 0) expected[Camel(account["account"])] = amount;
      }
      // The day after the period: `YYYY-MM` + 1 month.
      int year = std::stoi(period.substr(0, 4)), month = std::stoi(period.substr(5, 2)) + 1;
      if (month == 13) year += 1, month = 1;
      const std::string next_day =
          std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month) + "-01";
      CommandResult beans =
          testing::RunCommand({"/usr/bin/bean-query", "-f", "csv", files["beancount"],
                               std::string("SELECT account, currency, sum(number) WHERE date < ") +
                                   next_day + " GROUP BY account, currency"});
      ASSERT_EQ(beans.exit_code, 0) << beans.err;
      EXPECT_EQ(ToolBalances(beans.out, ',', true), expected) << book << " " << period;
      CommandResult hledger =
          testing::RunCommand({"/usr/bin/hledger", "-f", files["hledger"], "bal", "-e", next_day,
                               "--flat", "--no-total", "-O", "csv"});
      ASSERT_EQ(hledger.exit_code, 0) << hledger.err;
      EXPECT_EQ(ToolBalances(hledger.out, ',', false), expected) << book << " " << period;
      CommandResult ledger = testing::RunCommand(
          {"/usr/bin/ledger", "-f", files["ledger"], "bal", "-e", next_day, "--flat", "--no-total",
           "--balance-format", "%(account)|%(display_total)\n"});
      ASSERT_EQ(ledger.exit_code, 0) << ledger.err;
      EXPECT_EQ(ToolBalances(ledger.out, '|', false), expected) << book << " " << period;
      // One period alone opens with the balances before it, so its assertions still hold.
      const std::string alone = dir_.Sub(book + "." + period + ".beancount");
      ASSERT_EQ(Run(reader, {"journal", "export", "--book", book, "--format", "beancount",
                             "--period", period, "--out", alone})
                    .exit_code,
                0);
      CommandResult alone_checked = testing::RunCommand({"/usr/bin/bean-check", alone});
      EXPECT_EQ(alone_checked.exit_code, 0) << alone_checked.err;
      CommandResult alone_beans =
          testing::RunCommand({"/usr/bin/bean-query", "-f", "csv", alone,
                               "SELECT account, currency, sum(number) WHERE date < " + next_day +
                                   " GROUP BY account, currency"});
      EXPECT_EQ(ToolBalances(alone_beans.out, ',', true), expected) << book << " " << period;
    }
    // NetSuite: a header, a row per journal line; each External ID's debits equal its credits.
    std::istringstream netsuite(testing::ReadFile(files["csv-netsuite"]));
    std::string row;
    std::getline(netsuite, row);
    EXPECT_EQ(CsvFields(row),
              (std::vector<std::string>{"External ID", "Date", "Posting Period", "Account", "Debit",
                                        "Credit", "Memo", "Currency"}));
    std::map<std::string, int64_t> net;
    size_t rows = 0;
    while (std::getline(netsuite, row)) {
      std::vector<std::string> fields = CsvFields(row);
      ASSERT_EQ(fields.size(), 8u) << row;
      net[fields[0]] += Cents(fields[4]) - Cents(fields[5]);
      ++rows;
    }
    EXPECT_EQ(rows, lines) << book;
    EXPECT_EQ(net.size(), journal.size()) << book;
    for (const auto& [id, difference] : net)
      EXPECT_EQ(difference, 0) << id;
    // Oracle GL_INTERFACE: a row per journal line too.
    std::istringstream oracle(testing::ReadFile(files["csv-oracle-gl"]));
    size_t oracle_rows = 0;
    std::getline(oracle, row);
    EXPECT_EQ(CsvFields(row)[7], "ENTERED_DR");
    while (std::getline(oracle, row))
      ++oracle_rows;
    EXPECT_EQ(oracle_rows, lines) << book;
    // JSON lines: one entry a line, in the book's order.
    std::istringstream jsonl(testing::ReadFile(files["jsonl"]));
    size_t index = 0;
    while (std::getline(jsonl, row)) {
      ASSERT_LT(index, journal.size());
      EXPECT_EQ(json::parse(row)["entry_id"], journal[index++]["entry_id"]);
    }
    EXPECT_EQ(index, journal.size());
  }
  // The other party may not export a book that is not theirs.
  ExpectRefused(Run("acme-bio-finance",
                    {"journal", "export", "--book", "northwind-cro", "--format", "beancount"}),
                "permission_denied");
  ExpectRefused(
      Run("acme-bio-finance", {"journal", "export", "--book", "acme-bio", "--format", "quicken"}),
      "unknown export format 'quicken'");
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
