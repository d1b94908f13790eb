// SOW contracts end to end on a running three-node network, through the `trialledger` CLI as an
// operator would use it: every standard template is proposed by one party, approved by the
// other's finance member, fed signed facts, and read back. Milestones must be achieved in the
// right order with the right evidence; resubmitted facts change nothing; a fact from the wrong
// oracle role is refused; a screen failure reverses an enrolment's unit fee; an amendment raises
// a fee and carries the state over; every node answers the same.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "network_test.h"

namespace tl {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::LocalNetwork;

const std::string kContracts = TL_CONTRACTS_DIR;

// One fact in the JSON form of docs/sow-language.md.
json Fact(const std::string& kind, const std::string& record, const std::string& date,
          json fields = json::object()) {
  std::string system =
      kind == "site_activated" || kind == "site_closed" || kind == "monitoring_visit" ? "ctms"
                                                                                      : "rave-edc";
  json fact = {{"kind", kind},
               {"source_system", system},
               {"source_record_id", record},
               {"source_timestamp", date + "T12:00:00Z"},
               {"audit", {{"user", "test.oracle"}}},
               {"date", date}};
  fact.update(fields);
  return fact;
}

json Site(const std::string& kind, const std::string& site, const std::string& date) {
  return Fact(kind, kind + "-" + site, date, {{"site", site}});
}

json Subject(const std::string& kind, const std::string& site, const std::string& subject,
             const std::string& date) {
  return Fact(kind, kind + "-" + subject, date, {{"site", site}, {"subject", subject}});
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class ContractsTest : public testing::NetworkTest {
 protected:
  // A vector, not a json: nlohmann reads `{one_fact}` as that fact rather than a list of one.
  std::string WriteFacts(const std::string& name, const std::vector<json>& facts) {
    return WriteFile(name, json{{"facts", json(facts)}}.dump(2));
  }
  json Submit(const std::string& oracle, const std::string& contract,
              const std::vector<json>& facts) {
    static int files = 0;
    std::string path = WriteFacts("facts-" + std::to_string(++files) + ".json", facts);
    CommandResult result =
        Run(oracle, {"facts", "submit", "--contract", contract, "--file", path, "-o", "json"});
    json out = result.out.empty() ? json() : json::parse(result.out);
    // The outcomes are printed either way; the exit status says whether any fact was rejected.
    int rejected = 0;
    if (out.contains("facts")) {
      for (const json& fact : out["facts"])
        rejected += fact["outcome"] == "rejected";
    }
    EXPECT_EQ(result.exit_code, rejected > 0 ? 1 : 0) << result.err;
    if (rejected > 0) {
      EXPECT_NE(result.err.find("the contract rejected " + std::to_string(rejected) + " of "),
                std::string::npos)
          << result.err;
    }
    return out;
  }

  // Proposed by `proposer`, approved by `approver`; returns `contract show`.
  json Activate(const std::string& id, const std::string& sow, const std::string& proposer,
                const std::string& approver, std::vector<std::string> params = {}) {
    std::vector<std::string> args = {"contract", "propose", sow, "--id", id};
    for (const std::string& p : params)
      args.insert(args.end(), {"--param", p});
    json proposed = RunJson(proposer, args);
    EXPECT_EQ(proposed["result"], "ok");
    json shown = RunJson("", {"contract", "show", id});
    EXPECT_EQ(shown["status"], "proposed");
    json accepted = RunJson(approver, {"contract", "accept", id});
    EXPECT_EQ(accepted["result"], "ok");
    EXPECT_EQ(accepted["code_hash"], proposed["code_hash"]);
    return RunJson("", {"contract", "show", id});
  }

  std::map<std::string, json> Milestones(const std::string& id, int node = 0) {
    std::map<std::string, json> by_name;
    for (json& m : RunJson("", {"milestones", "list", "--contract", id}, node))
      by_name[m["name"]] = m;
    return by_name;
  }

  // The position rows of `contract show` as item -> value.
  std::map<std::string, std::string> Position(const std::string& id) {
    std::map<std::string, std::string> rows;
    json shown = RunJson("", {"contract", "show", id});
    for (const json& row : shown["position"])
      rows[row["item"]] = row["value"];
    return rows;
  }

  static std::vector<std::string> Outcomes(const json& submitted) {
    std::vector<std::string> outcomes;
    for (const json& fact : submitted["facts"])
      outcomes.push_back(fact["outcome"]);
    return outcomes;
  }

  // The events a submission caused, without the invoices that follow each fee.
  static std::vector<std::string> EventNames(const json& submitted) {
    std::vector<std::string> names;
    for (const json& event : submitted["events"]) {
      if (event["event"] != "invoice_due") names.push_back(event["event"]);
    }
    return names;
  }
};

TEST_F(ContractsTest, FullServiceTemplateEndToEnd) {
  const std::string id = "acme-301-e2e";
  json shown = Activate(id, kContracts + "/templates/full_service.sow", "northwind-cro-finance",
                        "acme-bio-finance");
  EXPECT_EQ(shown["status"], "active");
  ASSERT_EQ(shown["signatures"].size(), 2u);
  EXPECT_EQ(shown["signatures"][0]["meaning"], "authored");
  EXPECT_EQ(shown["signatures"][0]["signer"], "northwind-cro/northwind-cro-finance");
  EXPECT_EQ(shown["signatures"][1]["meaning"], "approved");
  EXPECT_EQ(shown["signatures"][1]["signer"], "acme-bio/acme-bio-finance");
  EXPECT_EQ(shown["signatures"][1]["code_hash"], shown["versions"][0]["code_hash"]);
  EXPECT_EQ(shown["obligations"].size(), 2u);

  std::vector<json> sites;
  for (const char* site : {"101", "102", "103", "104"})
    sites.push_back(Site("site_activated", site, "2026-09-0" + std::string(1, site[2])));
  json first = Submit("northwind-cro-ctms", id, sites);
  EXPECT_EQ(Outcomes(first), std::vector<std::string>(4, "applied"));
  EXPECT_EQ(Milestones(id)["sites_ready"]["status"], "pending");

  json fifth = Submit("northwind-cro-ctms", id, {Site("site_activated", "105", "2026-09-22")});
  EXPECT_EQ(EventNames(fifth),
            (std::vector<std::string>{"milestone_achieved", "holdback_withheld"}));
  json enrolment = Submit("northwind-cro-edc", id,
                          {Subject("subject_enrolled", "101", "101-001", "2026-10-05"),
                           Fact("first_patient_in", "FPI", "2026-10-05")});
  EXPECT_EQ(Outcomes(enrolment), (std::vector<std::string>{"applied", "applied"}));

  std::map<std::string, json> milestones = Milestones(id);
  const json& sites_ready = milestones["sites_ready"];
  const json& fpi = milestones["fpi"];
  EXPECT_EQ(sites_ready["status"], "achieved");
  EXPECT_EQ(sites_ready["completing_fact"], "ctms/site_activated-105");
  EXPECT_EQ(sites_ready["amount"], "USD 150,000.00");
  EXPECT_EQ(fpi["status"], "achieved");
  EXPECT_EQ(fpi["completing_fact"], "rave-edc/FPI");
  // Evidence: every fact behind the condition, in ledger order, up to the completing one.
  EXPECT_EQ(sites_ready["evidence"],
            (json{"ctms/site_activated-101", "ctms/site_activated-102", "ctms/site_activated-103",
                  "ctms/site_activated-104", "ctms/site_activated-105"}));
  EXPECT_EQ(fpi["evidence"], (json{"rave-edc/subject_enrolled-101-001", "rave-edc/FPI"}));
  EXPECT_LT(sites_ready["achieved_height"].get<uint64_t>(), fpi["achieved_height"].get<uint64_t>());
  EXPECT_EQ(milestones["database_lock_fee"]["status"], "pending");

  // Sequencing: a database lock before last patient last visit is rejected by the SOW's rule.
  json early_lock = Submit("northwind-cro-edc", id, {Fact("database_lock", "DBL", "2026-11-01")});
  EXPECT_EQ(Outcomes(early_lock), std::vector<std::string>{"rejected"});
  EXPECT_NE(early_lock["facts"][0]["message"].get<std::string>().find("before last patient"),
            std::string::npos);

  // The same facts again change nothing.
  std::map<std::string, std::string> position = Position(id);
  json again = Submit("northwind-cro-edc", id,
                      {Subject("subject_enrolled", "101", "101-001", "2026-10-05"),
                       Fact("first_patient_in", "FPI", "2026-10-05")});
  EXPECT_EQ(Outcomes(again), (std::vector<std::string>{"duplicate", "duplicate"}));
  EXPECT_TRUE(again["events"].empty());
  EXPECT_EQ(Position(id), position);
  EXPECT_EQ(Milestones(id), milestones);

  // A fact from the wrong oracle role is refused, whole, with the reason.
  ExpectRefused(Run("northwind-cro-ctms",
                    {"facts", "submit", "--contract", id, "--file",
                     WriteFacts("wrong-role.json",
                                {Subject("subject_enrolled", "102", "102-009", "2026-10-06")})}),
                "must be signed by a 'oracle:edc' key");
  // The sponsor's finance member holds no oracle role at all.
  ExpectRefused(Run("acme-bio-finance",
                    {"facts", "submit", "--contract", id, "--file",
                     WriteFacts("no-role.json", {Site("site_closed", "101", "2026-10-06")})}),
                "oracle role");

  // Every fact is listed with its outcome, in ledger order (the refused batches are not).
  json facts = RunJson("", {"facts", "list", "--contract", id});
  ASSERT_EQ(facts.size(), 10u);
  EXPECT_EQ(facts[0]["fact_id"], "ctms/site_activated-101");
  EXPECT_EQ(facts[7]["outcome"], "rejected");
  EXPECT_EQ(facts[9]["outcome"], "duplicate");
  EXPECT_EQ(facts[9]["signer"], "northwind-cro/northwind-cro-edc");

  // Every node holds the same contract state.
  AwaitSameHead();
  for (int node = 1; node < network_->size(); ++node)
    EXPECT_EQ(Milestones(id, node), milestones);

  // Change order 1 raises a pending milestone's fee and keeps everything counted so far.
  json amended =
      RunJson("northwind-cro-finance",
              {"contract", "amend", id, kContracts + "/examples/acme-301/change-order-1.sow",
               "--reason", "CO-1: recruitment at added sites"});
  EXPECT_EQ(amended["proposed_version"], 2);
  ExpectRefused(Run("northwind-cro-finance", {"contract", "accept", id}), "the other party");
  json approved = RunJson("acme-bio-finance", {"contract", "accept", id});
  EXPECT_EQ(approved["approved_version"], 2);
  std::map<std::string, json> after = Milestones(id);
  EXPECT_EQ(after["half_enrolled"]["amount"], "USD 325,000.00");
  EXPECT_EQ(after["fpi"]["status"], "achieved");
  EXPECT_EQ(after["fpi"]["achieved_height"], fpi["achieved_height"]);
  EXPECT_EQ(Position(id), position);
  // The event log holds every event in ledger order, the books' input.
  json events = RunJson("", {"contract", "events", id, "--limit", "1000"});
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0]["event"], "contract_instantiated");
  bool migrated = false;
  for (const json& event : events)
    migrated |= event["event"] == "contract_amended";
  EXPECT_TRUE(migrated);
  EXPECT_EQ(events.size(), RunJson("", {"contract", "show", id})["events"].get<size_t>());
  json versions = RunJson("", {"contract", "show", id})["versions"];
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0]["status"], "superseded");
  EXPECT_EQ(versions[1]["status"], "active");
  EXPECT_EQ(versions[1]["predecessor"], 1);
}

TEST_F(ContractsTest, FixedFeeTemplateProposedBySponsor) {
  const std::string id = "acme-302-e2e";
  const std::string sow = kContracts + "/templates/fixed_fee.sow";
  // Approval is the other party's finance member's: not the proposer's own, not clinops.
  json proposed = RunJson("acme-bio-finance", {"contract", "propose", sow, "--id", id});
  EXPECT_EQ(proposed["result"], "ok");
  ExpectRefused(Run("acme-bio-finance", {"contract", "accept", id}), "the other party");
  ExpectRefused(Run("northwind-cro-clinops", {"contract", "accept", id}), "finance role");
  ExpectRefused(
      Run("northwind-cro-edc",
          {"facts", "submit", "--contract", id, "--file",
           WriteFacts("early.json", {Fact("first_patient_in", "FPI-302", "2026-10-01")})}),
      "not active");
  EXPECT_EQ(RunJson("northwind-cro-finance", {"contract", "accept", id})["result"], "ok");

  Submit("northwind-cro-ctms", id, {Site("site_activated", "201", "2026-09-01")});
  Submit(
      "northwind-cro-ctms", id,
      {Site("site_activated", "202", "2026-09-02"), Site("site_activated", "203", "2026-09-03")});
  Submit("northwind-cro-edc", id, {Subject("subject_enrolled", "201", "201-001", "2026-10-01")});
  Submit("northwind-cro-edc", id, {Fact("last_patient_last_visit", "LPLV-302", "2026-11-01")});
  Submit("northwind-cro-edc", id, {Fact("database_lock", "DBL-302", "2026-11-10")});

  std::map<std::string, json> m = Milestones(id);
  std::vector<std::string> order = {"first_site", "all_sites", "first_patient", "last_visit",
                                    "lock"};
  for (size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(m[order[i]]["status"], "achieved") << order[i];
    if (i > 0) {
      EXPECT_LT(m[order[i - 1]]["achieved_height"].get<uint64_t>(),
                m[order[i]]["achieved_height"].get<uint64_t>())
          << order[i];
    }
  }
  EXPECT_EQ(m["first_site"]["completing_fact"], "ctms/site_activated-201");
  EXPECT_EQ(m["all_sites"]["completing_fact"], "ctms/site_activated-203");
  EXPECT_EQ(m["first_site"]["evidence"], json{"ctms/site_activated-201"});
  EXPECT_EQ(m["all_sites"]["evidence"], (json{"ctms/site_activated-201", "ctms/site_activated-202",
                                              "ctms/site_activated-203"}));
  EXPECT_EQ(m["lock"]["completing_fact"], "rave-edc/DBL-302");
  EXPECT_EQ(m["close_out"]["status"], "pending");

  // Closing needs a reason and stops the contract taking facts.
  json closed = RunJson("acme-bio-finance", {"contract", "close", id, "--reason", "study ended"});
  EXPECT_EQ(closed["result"], "ok");
  EXPECT_EQ(RunJson("", {"contract", "show", id})["status"], "closed");
  ExpectRefused(Run("northwind-cro-ctms",
                    {"facts", "submit", "--contract", id, "--file",
                     WriteFacts("late.json", {Site("site_closed", "201", "2026-11-11")})}),
                "closed");
}

TEST_F(ContractsTest, UnitPricedScreenFailureReversesAndAmendmentRaisesRate) {
  const std::string id = "acme-303-e2e";
  const std::string sow = kContracts + "/templates/unit_priced.sow";
  Activate(id, sow, "northwind-cro-clinops", "acme-bio-finance");
  Submit("northwind-cro-ctms", id, {Site("site_activated", "301", "2026-09-01")});
  json enrolled = Submit("northwind-cro-edc", id,
                         {Subject("subject_enrolled", "301", "301-001", "2026-10-01"),
                          Subject("subject_enrolled", "301", "301-002", "2026-10-02")});
  EXPECT_EQ(EventNames(enrolled), (std::vector<std::string>{"units_earned", "units_earned"}));
  EXPECT_EQ(Position(id)["units earned per_subject"], "2");

  // Subject 301-002 turns out to be a screen failure: its enrolment fee is reversed.
  json failed = Submit("northwind-cro-edc", id,
                       {Subject("subject_screen_failed", "301", "301-002", "2026-10-09")});
  EXPECT_EQ(Outcomes(failed), std::vector<std::string>{"applied"});
  EXPECT_EQ(EventNames(failed), std::vector<std::string>{"units_reversed"});
  EXPECT_NE(failed["events"][0]["details"].get<std::string>().find("USD 5,000.00"),
            std::string::npos);
  std::map<std::string, std::string> position = Position(id);
  EXPECT_EQ(position["units earned per_subject"], "1");
  EXPECT_EQ(position["count enrolled"], "1");
  EXPECT_EQ(position["count screen_failed"], "1");

  // Change order: the per-subject rate rises from USD 5,000.00 to USD 6,000.00.
  std::string text = ReadText(sow);
  auto replace = [&](const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  replace("version 1", "version 2");
  replace("rate USD 5,000.00", "rate USD 6,000.00");
  std::string amended = WriteFile("unit_priced_v2.sow", text);

  // An amendment that lowers the version is refused when proposed.
  ExpectRefused(Run("northwind-cro-finance", {"contract", "amend", id, sow}),
                "does not follow version");
  RunJson("northwind-cro-finance", {"contract", "amend", id, amended, "--reason", "CO-1 rate"});
  RunJson("acme-bio-finance", {"contract", "accept", id});
  EXPECT_EQ(Position(id), position);  // carried over

  json next = Submit("northwind-cro-edc", id,
                     {Subject("subject_enrolled", "301", "301-003", "2026-10-12")});
  ASSERT_EQ(EventNames(next), std::vector<std::string>{"units_earned"});
  EXPECT_NE(next["events"][0]["details"].get<std::string>().find("USD 6,000.00"), std::string::npos)
      << next["events"][0]["details"];
  EXPECT_EQ(Position(id)["units earned per_subject"], "2");
}

TEST_F(ContractsTest, BadProposalsAreRefusedWithTheirReason) {
  // A SOW that does not compile is refused by the CLI before anything is signed.
  std::string broken = WriteFile("broken.sow", "contract x \"X\" version 1\nsponsor acme-bio\n");
  CommandResult compile = Run("", {"contract", "compile", broken});
  EXPECT_NE(compile.exit_code, 0);
  EXPECT_NE(compile.err.find("broken.sow:2:"), std::string::npos) << compile.err;

  const std::string sow = kContracts + "/templates/full_service.sow";
  ExpectRefused(Run("northwind-cro-finance", {"contract", "propose", sow, "--id", "bad-param",
                                              "--param", "target_enrolment=many"}),
                "expected a whole number");
  ExpectRefused(Run("northwind-cro-finance",
                    {"contract", "propose", sow, "--id", "bad-param", "--param", "nope=1"}),
                "no parameter 'nope'");
  ExpectRefused(Run("northwind-cro-edc", {"contract", "propose", sow, "--id", "by-oracle"}),
                "finance or clinops");
  ExpectRefused(Run("northwind-cro-finance", {"contract", "propose", sow, "--id", "Bad/Id"}),
                "contract id");
  ExpectRefused(Run("", {"contract", "show", "no-such-contract"}), "no contract");
  // The id is taken once.
  RunJson("northwind-cro-finance", {"contract", "propose", sow, "--id", "taken"});
  ExpectRefused(Run("northwind-cro-finance", {"contract", "propose", sow, "--id", "taken"}),
                "already exists");
  json listed = RunJson("", {"contract", "list"});
  bool found = false;
  for (const json& c : listed)
    found |= c["contract_id"] == "taken" && c["status"] == "proposed";
  EXPECT_TRUE(found) << listed.dump();
}

}  // namespace
}  // namespace tl
