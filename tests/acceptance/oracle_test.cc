// `trialledger oracle import` end to end on a running three-node network, through the CLI as an
// oracle's operator would run it: a CTMS CSV and Medidata Rave's real ODM export imported into a
// contract whose SOW (oracle/mediflex.sow) has the export's study and sites. The facts on the
// ledger must be exactly the file's records, counted here independently (the CSV by a plain
// quote-aware split, the ODM by tests/feeds' XPath count); a second import submits nothing; a
// dry run submits nothing; a bad row is listed with its line and --strict stops before
// submitting; bad input is refused by name; and an importer killed with SIGKILL at random points
// of a file of many batches, then run to completion, leaves exactly one import's facts.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "network_test.h"
#include "odm_oracle.h"

namespace tl {
namespace {

using nlohmann::json;
using testing::CommandResult;

const std::string kContracts = TL_CONTRACTS_DIR;
const std::string kOracleData = TL_ORACLE_DATA_DIR;
const std::string kOdmData = TL_ODM_DATA_DIR;
const std::string kMappings = TL_FEEDS_MAPPINGS_DIR;
const std::string kSow = kOracleData + "/mediflex.sow";
const std::string kCtmsCsv = kOracleData + "/mediflex-ctms.csv";
const std::string kCostCsv = kOracleData + "/mediflex-costs.csv";
const std::string kRave = kOdmData + "/rave-clinical-audit-records.xml";
const std::string kCsvHeader =
    "record_id,kind,date,site,category,amount,updated_at,user,reason,correction\n";

// The record ids of a CSV file, in order: the first field of each record, a record ending at a
// newline outside quotes. Written here plainly so the importer is checked against something
// other than itself.
std::vector<std::string> CsvRecordIds(const std::string& path) {
  std::string text = testing::ReadFile(path);
  std::vector<std::string> ids;
  bool quoted = false, first_field = true, header = true;
  std::string field;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == ',' && first_field) {
      if (!header) ids.push_back(field);
      first_field = false;
    } else if (c == '\n') {
      header = false;
      first_field = true;
      field.clear();
    } else if (first_field && c != '\r') {
      field += c;
    }
  }
  return ids;
}

class OracleTest : public testing::NetworkTest {
 protected:
  // Proposed by the CRO's finance, accepted by the sponsor's.
  void Activate(const std::string& id, const std::string& sow = kSow) {
    json proposed = RunJson("northwind-cro-finance", {"contract", "propose", sow, "--id", id});
    ASSERT_EQ(proposed["result"], "ok");
    json accepted = RunJson("acme-bio-finance", {"contract", "accept", id});
    ASSERT_EQ(accepted["result"], "ok");
  }

  CommandResult Import(const std::string& oracle, std::vector<std::string> args) {
    args.insert(args.begin(), {"oracle", "import"});
    args.insert(args.end(), {"-o", "json"});
    return Run(oracle, args);
  }
  json ImportJson(const std::string& oracle, const std::vector<std::string>& args) {
    CommandResult result = Import(oracle, args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.exit_code == 0 ? json::parse(result.out) : json();
  }
  json ImportCtms(const std::string& contract, const std::string& file,
                  std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--feed", "ctms", "--contract", contract, "--file", file};
    args.insert(args.end(), extra.begin(), extra.end());
    return ImportJson("northwind-cro-ctms", args);
  }

  // Every fact record of the contract.
  json Facts(const std::string& contract) {
    return RunJson("", {"facts", "list", "--contract", contract});
  }
  static std::multiset<std::string> FactIds(const json& facts) {
    std::multiset<std::string> ids;
    for (const json& fact : facts)
      ids.insert(fact["fact_id"].get<std::string>());
    return ids;
  }
  static std::multiset<std::string> Prefixed(const std::string& system,
                                             const std::vector<std::string>& record_ids) {
    std::multiset<std::string> ids;
    for (const std::string& id : record_ids)
      ids.insert(system + "/" + id);
    return ids;
  }
  std::map<std::string, std::string> MilestoneStatus(const std::string& contract) {
    std::map<std::string, std::string> status;
    for (const json& m : RunJson("", {"milestones", "list", "--contract", contract}))
      status[m["name"]] = m["status"];
    return status;
  }

  // A CTMS file of both site activations and `visits` monitoring visits: one record a line.
  std::string WriteLargeCtms(const std::string& name, int visits, std::vector<std::string>* ids) {
    std::string text = kCsvHeader;
    text += "SA-NYC-01,site_activated,2008-11-03,NYC-01,,,2008-11-03T14:00:00Z,m.ortiz,,\n";
    text += "SA-VAN-01,site_activated,2008-11-10,VAN-01,,,2008-11-10T18:30:00Z,k.lee,,\n";
    ids->assign({"SA-NYC-01", "SA-VAN-01"});
    for (int i = 1; i <= visits; ++i) {
      char id[32];
      std::snprintf(id, sizeof id, "MV-%05d", i);
      const char* site = i % 2 ? "NYC-01" : "VAN-01";
      // Spread over 2009, one visit a day or so.
      char date[16];
      std::snprintf(date, sizeof date, "2009-%02d-%02d", 1 + (i / 28) % 12, 1 + i % 28);
      text += std::string(id) + ",monitoring_visit," + date + "," + site + ",,," + date +
              "T12:00:00Z,monitor." + std::to_string(i % 7) + ",,\n";
      ids->push_back(id);
    }
    return WriteFile(name, text);
  }
};

TEST_F(OracleTest, CtmsImportPutsEveryRowOnTheLedgerOnce) {
  const std::string contract = "mediflex-ctms";
  Activate(contract);
  const std::vector<std::string> rows = CsvRecordIds(kCtmsCsv);
  ASSERT_EQ(rows.size(), 10u);  // the file as written: 2 activations, 8 monitoring visits

  // A dry run first: everything it would submit, and nothing on the ledger.
  json dry = ImportCtms(contract, kCtmsCsv, {"--dry-run"});
  EXPECT_EQ(dry["dry_run"], true);
  EXPECT_EQ(dry["submitted"], rows.size());
  EXPECT_EQ(dry["to_submit"].size(), rows.size());
  EXPECT_EQ(dry["to_submit"][0]["fact_id"], "ctms/SA-NYC-01");
  EXPECT_EQ(dry["to_submit"][0]["line"], 2);
  EXPECT_EQ(Facts(contract).size(), 0u);

  json imported = ImportCtms(contract, kCtmsCsv);
  for (const char* key : {"file", "feed", "contract", "records_read", "facts", "already_on_ledger",
                          "submitted", "batches", "skipped_count", "skipped", "dry_run"}) {
    EXPECT_TRUE(imported.contains(key)) << key;
  }
  EXPECT_EQ(imported["feed"], "ctms");
  EXPECT_EQ(imported["contract"], contract);
  EXPECT_EQ(imported["records_read"], rows.size());
  EXPECT_EQ(imported["facts"], rows.size());
  EXPECT_EQ(imported["submitted"], rows.size());
  EXPECT_EQ(imported["already_on_ledger"], 0);
  EXPECT_EQ(imported["skipped_count"], 0);
  EXPECT_EQ(imported["dry_run"], false);
  EXPECT_GE(imported["batches"], 1);

  json facts = Facts(contract);
  EXPECT_EQ(FactIds(facts), Prefixed("ctms", rows));
  for (const json& fact : facts)
    EXPECT_EQ(fact["outcome"], "applied") << fact.dump();
  std::map<std::string, std::string> milestones = MilestoneStatus(contract);
  EXPECT_EQ(milestones["sites_ready"], "achieved");
  EXPECT_EQ(milestones["monitoring_started"], "achieved");
  EXPECT_NE(milestones["ten_enrolled"], "achieved");

  // Again: nothing new, on any node's answer.
  json again = ImportCtms(contract, kCtmsCsv);
  EXPECT_EQ(again["submitted"], 0);
  EXPECT_EQ(again["batches"], 0);
  EXPECT_EQ(again["already_on_ledger"], rows.size());
  EXPECT_EQ(Facts(contract).size(), rows.size());
  dry = ImportCtms(contract, kCtmsCsv, {"--dry-run"});
  EXPECT_EQ(dry["submitted"], 0);
  EXPECT_EQ(dry["to_submit"].size(), 0u);

  // A later export with two more rows: only they are submitted; a dry run says so first.
  std::string later = testing::ReadFile(kCtmsCsv) +
                      "MV-NYC-01-05,monitoring_visit,2010-05-11,NYC-01,,,2010-05-11T15:00:00Z,"
                      "m.ortiz,,\n"
                      "MV-VAN-01-05,monitoring_visit,2010-05-18,VAN-01,,,2010-05-18T15:00:00Z,"
                      "k.lee,,\n";
  std::string later_path = WriteFile("ctms-later.csv", later);
  dry = ImportCtms(contract, later_path, {"--dry-run"});
  ASSERT_EQ(dry["to_submit"].size(), 2u);
  EXPECT_EQ(dry["to_submit"][1]["fact_id"], "ctms/MV-VAN-01-05");
  EXPECT_EQ(dry["to_submit"][1]["line"], 14);  // a quoted field spans lines 7-8
  EXPECT_EQ(Facts(contract).size(), rows.size());
  json more = ImportCtms(contract, later_path);
  EXPECT_EQ(more["submitted"], 2);
  EXPECT_EQ(more["already_on_ledger"], rows.size());
  EXPECT_EQ(FactIds(Facts(contract)), Prefixed("ctms", CsvRecordIds(later_path)));
  AwaitSameHead();
  EXPECT_EQ(RunJson("", {"facts", "list", "--contract", contract}, 2).size(), rows.size() + 2);

  // The table form: aligned "key  value" lines.
  CommandResult table = Run("northwind-cro-ctms", {"oracle", "import", "--feed", "ctms",
                                                   "--contract", contract, "--file", kCtmsCsv});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("already_on_ledger  10"), std::string::npos) << table.out;
  EXPECT_NE(table.err.find("oracle import: "), std::string::npos) << table.err;  // not a tty

  // The cost feed: amounts in the contract's currency, read from the contract.
  json costs = ImportJson("northwind-cro-cost",
                          {"--feed", "cost", "--contract", contract, "--file", kCostCsv});
  EXPECT_EQ(costs["submitted"], CsvRecordIds(kCostCsv).size());
  EXPECT_EQ(costs["rejected_count"], 0) << costs.dump(2);
}

// A milestone that waits for two sources and the sponsor: `milestones show` lists what is still
// missing, part by part with the state it reads; the CTMS's key and the EDC's each supply their
// part; only the sponsor's clinops may confirm, with `milestones confirm`.
TEST_F(OracleTest, AConfirmedMilestoneWaitsForBothSourcesAndTheSponsorsClinops) {
  const std::string contract = "mediflex-confirmed";
  const std::string sow =
      WriteFile("confirmed.sow", R"(contract mediflex_confirmed "FPI, confirmed" version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "MEDIFLEX"
sites "NYC-01", "VAN-01"
feed "oracle:edc" of cro reports subject_enrolled
feed "oracle:ctms" of cro reports first_patient_in
feed "clinops" of sponsor reports milestone_confirmed
obligation services "Study services" {
  standalone price USD 500,000.00
  recognised over time by milestones
}
milestone fpi "First patient in" {
  when first_patient_in and enrolled >= 1
  confirmed
  pays USD 150,000.00
  for services
}
)");
  Activate(contract, sow);
  auto missing = [&] {
    json shown = RunJson("", {"milestones", "show", "fpi", "--contract", contract});
    std::vector<std::string> parts;
    for (const json& each : shown["missing"])
      parts.push_back(each["requirement"].get<std::string>() + " " + each["now"].dump());
    return parts;
  };
  EXPECT_EQ(missing(),
            (std::vector<std::string>{"first_patient_in {\"first_patient_in\":0}",
                                      "enrolled >= 1 {\"enrolled\":0}",
                                      "confirmed by acme-bio's clinops {\"confirmed/fpi\":0}"}));
  // The CTMS reports first patient in; the EDC's enrolment is still missing, and the sponsor.
  json ctms = ImportJson("northwind-cro-ctms", {"--feed", "ctms", "--contract", contract, "--file",
                                                WriteFile("fpi.csv",
                                                          "record_id,kind,date,updated_at,user\n"
                                                          "FPI,first_patient_in,2010-03-02,"
                                                          "2010-03-02T15:00:00Z,k.lee\n")});
  EXPECT_EQ(ctms["submitted"], 1) << ctms.dump(2);
  json edc = RunJson(
      "northwind-cro-edc",
      {"facts", "submit", "--contract", contract, "--file",
       WriteFile("enrolled.json",
                 R"({"contract": "mediflex-confirmed", "facts": [{"kind": "subject_enrolled",
                     "source_system": "edc", "source_record_id": "ENR-1",
                     "source_timestamp": "2010-03-02T16:00:00Z", "site": "NYC-01",
                     "subject": "S-1", "date": "2010-03-02"}]})")});
  ASSERT_EQ(edc["facts"].size(), 1u) << edc.dump(2);
  EXPECT_EQ(edc["facts"][0]["outcome"], "applied") << edc.dump(2);
  EXPECT_EQ(missing(),
            (std::vector<std::string>{"confirmed by acme-bio's clinops {\"confirmed/fpi\":0}"}));
  EXPECT_EQ(MilestoneStatus(contract)["fpi"], "pending");
  // Not the CRO's finance, not the sponsor's finance: the SOW binds confirmations to clinops.
  CommandResult cro =
      Run("northwind-cro-finance", {"milestones", "confirm", "fpi", "--contract", contract});
  EXPECT_EQ(cro.exit_code, 1);
  EXPECT_NE(cro.err.find("clinops"), std::string::npos) << cro.err;
  CommandResult finance =
      Run("acme-bio-finance", {"milestones", "confirm", "fpi", "--contract", contract});
  EXPECT_EQ(finance.exit_code, 1);
  // A milestone that is not there is rejected by the contract, by name.
  CommandResult unknown = Run("acme-bio-clinops", {"milestones", "confirm", "lplv", "--contract",
                                                   contract, "--reason", "typo"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("milestone lplv is not one of this contract's confirmed milestones"),
            std::string::npos)
      << unknown.err;
  json confirmed = RunJson("acme-bio-clinops", {"milestones", "confirm", "fpi", "--contract",
                                                contract, "--reason", "CRA verified at SIV"});
  ASSERT_EQ(confirmed["facts"].size(), 1u) << confirmed.dump(2);
  EXPECT_EQ(confirmed["facts"][0]["outcome"], "applied") << confirmed.dump(2);
  json fpi = RunJson("", {"milestones", "show", "fpi", "--contract", contract});
  EXPECT_EQ(fpi["status"], "achieved");
  EXPECT_TRUE(fpi["missing"].empty()) << fpi.dump(2);
  std::vector<std::string> evidence;
  for (const json& each : fpi["evidence"])
    evidence.push_back(each.is_string() ? each.get<std::string>()
                                        : each["fact_id"].get<std::string>());
  EXPECT_EQ(evidence, (std::vector<std::string>{"ctms/FPI", "edc/ENR-1", "clinops/confirm-fpi"}));
}

// A SOW that holds enrolments until their site is activated: the EDC's enrolments come before
// the CTMS's activations, wait as `held` (sent again: duplicates), and count when the CTMS
// import activates their site: one per-subject fee each, from the activation.
TEST_F(OracleTest, EnrolmentsBeforeTheSitesActivationWaitForItWhenTheSowHoldsThem) {
  const std::string contract = "mediflex-hold";
  const std::string sow =
      WriteFile("hold.sow", R"(contract mediflex_hold "Held enrolments" version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "MEDIFLEX"
sites "NYC-01", "VAN-01"
feed "oracle:edc" of cro reports subject_enrolled
feed "oracle:ctms" of cro reports site_activated, monitoring_visit
obligation services "Study services" {
  standalone price USD 500,000.00
  recognised over time by units
}
unit_fee per_subject "Per subject enrolled" {
  per enrolled
  rate USD 4,000.00
  for services
}
rule enrol_at_active_sites "Subjects are enrolled only at activated sites" {
  on subject_enrolled
  require site_active(fact.site) else hold
}
)");
  Activate(contract, sow);
  // The EDC's enrolments (subject facts have no CSV schema: they come from ODM or as JSON).
  const std::string enrolments = WriteFile("enrolments.json", R"({"contract": "mediflex-hold",
    "facts": [
      {"kind": "subject_enrolled", "source_system": "rave-edc", "source_record_id": "ENR-1",
       "source_timestamp": "2008-10-20T15:00:00Z", "site": "NYC-01", "subject": "S-1",
       "date": "2008-10-20"},
      {"kind": "subject_enrolled", "source_system": "rave-edc", "source_record_id": "ENR-2",
       "source_timestamp": "2008-10-21T15:00:00Z", "site": "VAN-01", "subject": "S-2",
       "date": "2008-10-21"}]})");
  auto submit = [&] {
    json submitted = RunJson("northwind-cro-edc",
                             {"facts", "submit", "--contract", contract, "--file", enrolments});
    std::vector<std::string> outcomes;
    for (const json& fact : submitted["facts"])
      outcomes.push_back(fact["outcome"]);
    return outcomes;
  };
  EXPECT_EQ(submit(), (std::vector<std::string>{"held", "held"}));
  std::map<std::string, std::string> outcomes;
  for (const json& fact : Facts(contract))
    outcomes[fact["fact_id"]] = fact["outcome"];
  EXPECT_EQ(outcomes, (std::map<std::string, std::string>{{"rave-edc/ENR-1", "held"},
                                                          {"rave-edc/ENR-2", "held"}}));
  EXPECT_EQ(submit(), (std::vector<std::string>{"duplicate", "duplicate"}));

  auto released = [&] {
    std::vector<std::string> ids;
    for (const json& event : RunJson("", {"contract", "events", contract, "--limit", "1000"})) {
      if (event["event"] != "fact_released") continue;
      const std::string details = event["details"];
      ids.push_back(details.substr(0, details.find(',')));
    }
    return ids;
  };
  EXPECT_TRUE(released().empty());
  ImportCtms(contract, kCtmsCsv);
  EXPECT_EQ(released(), (std::vector<std::string>{"fact_released{released=rave-edc/ENR-1",
                                                  "fact_released{released=rave-edc/ENR-2"}));
  json shown = RunJson("", {"contract", "show", contract});
  std::string units;
  for (const json& row : shown["position"]) {
    if (row["item"] == "units earned per_subject") units = row["value"];
  }
  EXPECT_EQ(units, "2") << shown["position"].dump(2);
}

// The EDC's study-level facts come as CSV records too, signed with the EDC's key: the contract
// binds first_patient_in to oracle:edc. A kind bound to another feed is skipped, by name.
TEST_F(OracleTest, TheEdcKeyImportsStudyLevelRecordsFromCsv) {
  const std::string contract = "mediflex-study";
  Activate(contract);
  const std::string csv =
      WriteFile("study.csv",
                "record_id,kind,date,site,updated_at,user\n"
                "FPI,first_patient_in,2010-03-01,,2010-03-01T15:00:00Z,j.smith\n"
                "SA-NYC-01,site_activated,2010-03-01,NYC-01,2010-03-01T15:00:00Z,j.smith\n");
  json imported = ImportJson("northwind-cro-edc", {"--feed", "edc", "--source-system", "rave-edc",
                                                   "--contract", contract, "--file", csv});
  EXPECT_EQ(imported["submitted"], 1) << imported.dump(2);
  ASSERT_EQ(imported["skipped"].size(), 1u) << imported.dump(2);
  EXPECT_EQ(imported["skipped"][0]["line"], 3);
  EXPECT_NE(imported["skipped"][0]["reason"].get<std::string>().find(
                "site_activated facts must be signed by a 'oracle:ctms' key"),
            std::string::npos)
      << imported.dump(2);
  json facts = Facts(contract);
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0]["fact_id"], "rave-edc/FPI");
  EXPECT_EQ(facts[0]["outcome"], "applied") << facts[0].dump();
}

TEST_F(OracleTest, RaveExportImportsAsItsIndependentCount) {
  if (!std::filesystem::exists(kRave)) {
    GTEST_SKIP() << kRave << " is absent: the real ODM files live in shared/data/odm";
  }
  const std::string contract = "mediflex-edc";
  Activate(contract);
  // The sites first: the SOW enrols and sees subjects only at activated sites.
  ImportCtms(contract, kCtmsCsv);

  // Independent count (tests/feeds/odm_oracle.cc): visit instances with collected data per
  // StudyEventOID, and status changes; rave.toml bills every StudyEventOID but SUBJECT.
  feeds::testing::OdmCounts counts = feeds::testing::CountOdm(kRave, "Status");
  size_t visits = 0;
  for (const auto& [oid, instances] : counts.visits) {
    if (oid != "SUBJECT") visits += instances.size();
  }
  const size_t expected = visits + static_cast<size_t>(counts.status_changes);
  ASSERT_GT(visits, 50u);

  std::vector<std::string> args = {"--feed", "edc",       "--contract",
                                   contract, "--mapping", kMappings + "/rave.toml",
                                   "--file", kRave};
  json imported = ImportJson("northwind-cro-edc", args);
  EXPECT_EQ(imported["facts"], expected);
  EXPECT_EQ(imported["skipped_count"], 0) << imported["skipped"].dump(2);
  EXPECT_EQ(imported["submitted"], expected);
  EXPECT_GT(imported["batches"], 3);
  std::printf("rave: %zu facts in %d batches, %.2f s submitting (%.0f facts/s)\n", expected,
              imported["batches"].get<int>(), imported["submit_seconds"].get<double>(),
              static_cast<double>(expected) / imported["submit_seconds"].get<double>());

  json facts = Facts(contract);
  size_t edc = 0, visit_facts = 0, rejected = 0;
  std::set<std::string> ids;
  for (const json& fact : facts) {
    std::string id = fact["fact_id"];
    if (!id.starts_with("rave-edc/")) continue;
    ++edc;
    ids.insert(id);
    if (fact["kind"] == "visit_completed") ++visit_facts;
    if (fact["outcome"] == "rejected") ++rejected;
  }
  EXPECT_EQ(edc, expected);
  EXPECT_EQ(ids.size(), expected);  // each once
  EXPECT_EQ(visit_facts, visits);
  EXPECT_EQ(imported["rejected_count"], rejected);  // what the contract refused, listed
  EXPECT_EQ(MilestoneStatus(contract)["ten_enrolled"], "achieved");

  // Subject 3872011 JOE is enrolled, then screen-failed (lines 12079 and 12810 of the export):
  // exactly one per-subject fee is reversed, and both books take back what it had booked.
  std::vector<uint64_t> reversals;
  for (const json& event : RunJson("", {"contract", "events", contract, "--limit", "100000"})) {
    if (event["event"] == "units_reversed" &&
        event["details"].get<std::string>().find("per_subject") != std::string::npos) {
      reversals.push_back(event["seq"]);
    }
  }
  ASSERT_EQ(reversals.size(), 1u);
  auto entries_of_event = [&](const std::string& book) {
    std::vector<json> found;
    for (const json& listed :
         RunJson(book + "-finance", {"journal", "list", "--book", book, "--contract", contract})) {
      const json shown = RunJson(book + "-finance", {"journal", "show", listed["entry_id"]});
      if (shown["event_seq"] == reversals[0]) found.push_back(shown);
    }
    return found;
  };
  auto debited = [](const json& entry, const std::string& account) {
    for (const json& line : entry["lines"]) {
      if (line["account"] == account && line["debit"] != "") return true;
    }
    return false;
  };
  const std::vector<json> cro = entries_of_event("northwind-cro");
  ASSERT_EQ(cro.size(), 1u);
  EXPECT_TRUE(debited(cro[0], "revenue_services")) << cro[0].dump(2);  // revenue taken back
  const std::vector<json> sponsor = entries_of_event("acme-bio");
  ASSERT_EQ(sponsor.size(), 1u);
  EXPECT_FALSE(debited(sponsor[0], "rd_expense")) << sponsor[0].dump(2);  // expense credited
  EXPECT_EQ(sponsor[0]["amount"], cro[0]["amount"]);

  json again = ImportJson("northwind-cro-edc", args);
  EXPECT_EQ(again["submitted"], 0);
  EXPECT_EQ(again["already_on_ledger"], expected);
  EXPECT_EQ(again["rejected_count"], rejected);
  EXPECT_EQ(Facts(contract).size(), facts.size());
}

// The EDC export before the CTMS one: the contract rejects enrolments and visits at sites not yet
// activated. They stay listed as rejected on every import; --resubmit-rejected sends them again
// once the sites are active, and then they are applied, each once.
TEST_F(OracleTest, RejectedFactsAreListedAndResubmittedOnRequest) {
  if (!std::filesystem::exists(kRave)) {
    GTEST_SKIP() << kRave << " is absent: the real ODM files live in shared/data/odm";
  }
  const std::string contract = "mediflex-order";
  Activate(contract);
  std::vector<std::string> args = {"--feed", "edc",       "--contract",
                                   contract, "--mapping", kMappings + "/rave.toml",
                                   "--file", kRave};
  json first = ImportJson("northwind-cro-edc", args);
  const int64_t facts = first["facts"];
  const int64_t rejected = first["rejected_count"];
  EXPECT_GT(rejected, 0);
  EXPECT_EQ(first["submitted"], facts);
  ASSERT_FALSE(first["rejected"].empty());
  EXPECT_NE(first["rejected"][0]["reason"].get<std::string>().find("visits_at_active_sites"),
            std::string::npos);
  EXPECT_NE(MilestoneStatus(contract)["ten_enrolled"], "achieved");

  ImportCtms(contract, kCtmsCsv);
  json again = ImportJson("northwind-cro-edc", args);
  EXPECT_EQ(again["submitted"], 0);
  EXPECT_EQ(again["rejected_count"], rejected);

  args.push_back("--resubmit-rejected");
  json resubmitted = ImportJson("northwind-cro-edc", args);
  EXPECT_EQ(resubmitted["submitted"], rejected);
  // What still fails is for another reason: resubmitted now, after its screen failure, a
  // subject's enrolment is one the contract refuses ("failed screening and cannot be enrolled").
  const int64_t still = resubmitted["rejected_count"];
  EXPECT_LT(still, rejected);
  for (const json& r : resubmitted["rejected"]) {
    EXPECT_EQ(r["reason"].get<std::string>().find("visits_at_active_sites"), std::string::npos)
        << r.dump();
  }
  // Without the flag nothing is sent again.
  args.pop_back();
  EXPECT_EQ(ImportJson("northwind-cro-edc", args)["submitted"], 0);
  std::map<std::string, int> applied;
  for (const json& fact : Facts(contract)) {
    std::string id = fact["fact_id"];
    if (id.starts_with("rave-edc/") && fact["outcome"] != "rejected") ++applied[id];
  }
  EXPECT_EQ(static_cast<int64_t>(applied.size()), facts - still);
  for (const auto& [id, count] : applied)
    EXPECT_EQ(count, 1) << id;
  EXPECT_EQ(MilestoneStatus(contract)["ten_enrolled"], "achieved");
}

TEST_F(OracleTest, MalformedRowIsListedWithItsLineAndStrictStops) {
  const std::string contract = "mediflex-bad";
  Activate(contract);
  const std::string bad =
      WriteFile("bad-row.csv",
                kCsvHeader +
                    "SA-NYC-01,site_activated,2008-11-03,NYC-01,,,2008-11-03T14:00:00Z,m.ortiz,,\n"
                    "SA-VAN-01,site_activated,2008-11-10,VAN-01,,,2008-11-10T18:30:00Z,k.lee,,\n"
                    "MV-1,monitoring_visit,2009-02-30,NYC-01,,,2009-02-28T12:00:00Z,m.ortiz,,\n"
                    "MV-2,monitoring_visit,2009-03-02,VAN-01,,,2009-03-02T12:00:00Z,k.lee,,\n");

  // --strict: exit 1 at line 4, nothing from the file on the ledger.
  CommandResult strict = Import(
      "northwind-cro-ctms", {"--feed", "ctms", "--contract", contract, "--file", bad, "--strict"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("bad-row.csv:4"), std::string::npos) << strict.err;
  EXPECT_EQ(Facts(contract).size(), 0u);

  // Default: the row is skipped, counted and listed with its line; the rest goes in.
  json imported = ImportCtms(contract, bad);
  EXPECT_EQ(imported["records_read"], 4);
  EXPECT_EQ(imported["facts"], 3);
  EXPECT_EQ(imported["submitted"], 3);
  EXPECT_EQ(imported["skipped_count"], 1);
  ASSERT_EQ(imported["skipped"].size(), 1u);
  EXPECT_EQ(imported["skipped"][0]["line"], 4);
  EXPECT_NE(imported["skipped"][0]["record"].get<std::string>().find("MV-1"), std::string::npos);
  EXPECT_NE(imported["skipped"][0]["reason"].get<std::string>().find("date"), std::string::npos)
      << imported["skipped"][0].dump();
  EXPECT_EQ(FactIds(Facts(contract)),
            (std::multiset<std::string>{"ctms/SA-NYC-01", "ctms/SA-VAN-01", "ctms/MV-2"}));

  // A changed record without correction=true is not submitted (the contract would reject it):
  // listed; with --strict the import stops before anything of the file is submitted.
  const std::string changed = WriteFile(
      "changed.csv",
      kCsvHeader + "MV-2,monitoring_visit,2009-03-03,VAN-01,,,2009-03-03T12:00:00Z,k.lee,,\n" +
          "MV-3,monitoring_visit,2009-03-09,VAN-01,,,2009-03-09T12:00:00Z,k.lee,,\n");
  strict = Import("northwind-cro-ctms",
                  {"--feed", "ctms", "--contract", contract, "--file", changed, "--strict"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("changed.csv:2"), std::string::npos) << strict.err;
  EXPECT_EQ(Facts(contract).size(), 3u);
  imported = ImportCtms(contract, changed);
  EXPECT_EQ(imported["submitted"], 1);
  ASSERT_EQ(imported["skipped"].size(), 1u);
  EXPECT_EQ(imported["skipped"][0]["line"], 2);
  EXPECT_NE(imported["skipped"][0]["reason"].get<std::string>().find("correction"),
            std::string::npos);
}

TEST_F(OracleTest, BadInputIsRefusedByNameAndSubmitsNothing) {
  const std::string contract = "mediflex-input";
  Activate(contract);
  const std::string edc_mapping = kMappings + "/rave.toml";
  auto refused = [&](const std::string& oracle, const std::vector<std::string>& args,
                     const std::string& needle) {
    CommandResult result = Import(oracle, args);
    EXPECT_EQ(result.exit_code, 1) << result.out;
    EXPECT_NE(result.err.find(needle), std::string::npos) << needle << "\n" << result.err;
  };
  const std::string missing = dir_.Sub("no-such.csv");
  refused("northwind-cro-ctms", {"--feed", "ctms", "--contract", contract, "--file", missing},
          "--file " + missing + ": no such file");
  refused("northwind-cro-ctms", {"--feed", "ctms", "--contract", contract, "--file", dir_.path()},
          "is a directory");
  refused("northwind-cro-ctms", {"--feed", "ctmss", "--contract", contract, "--file", kCtmsCsv},
          "--feed 'ctmss': expected edc");
  // An ODM export without its mapping, a mapping with CSV records, an ODM file as the CTMS feed.
  const std::string odm = WriteFile("export.csv", "<?xml version=\"1.0\"?>\n<ODM/>\n");
  refused("northwind-cro-edc", {"--feed", "edc", "--contract", contract, "--file", odm},
          "is CDISC ODM (XML): --feed edc reads it through a mapping");
  refused("northwind-cro-edc",
          {"--feed", "edc", "--contract", contract, "--file", kCtmsCsv, "--mapping", edc_mapping},
          "--mapping is for CDISC ODM (XML) files; " + kCtmsCsv + " is CSV or JSON");
  refused("northwind-cro-ctms", {"--feed", "ctms", "--contract", contract, "--file", odm},
          "the file is XML");
  refused("northwind-cro-ctms",
          {"--feed", "ctms", "--contract", contract, "--file", WriteFile("sites.txt", "x\n")},
          "sites.txt: a CTMS feed file ends in .csv or .json");
  // A mapping with a typo names its file, line and key.
  const std::string typo =
      WriteFile("typo.toml", testing::ReadFile(edc_mapping) +
                                 "\n[sites.LON-01]\ntime_zone = \"Europe/Londn\"\n");
  if (std::filesystem::exists(kRave)) {
    refused("northwind-cro-edc",
            {"--feed", "edc", "--contract", contract, "--file", kRave, "--mapping", typo},
            "typo.toml:");
  }
  // A CSV header with an unknown column.
  refused("northwind-cro-ctms",
          {"--feed", "ctms", "--contract", contract, "--file",
           WriteFile("columns.csv", "record_id,kind,date,updated_at,colour\n")},
          "colour");
  // The wrong oracle key for the feed, and an unknown contract.
  refused("northwind-cro-edc", {"--feed", "ctms", "--contract", contract, "--file", kCtmsCsv},
          "'oracle:ctms' key");
  refused("northwind-cro-ctms", {"--feed", "ctms", "--contract", "no-such", "--file", kCtmsCsv},
          "no-such");
  EXPECT_EQ(Facts(contract).size(), 0u);
}

// Blocks cut at most every kBlockIntervalMs: a killed importer's last batch is then often still
// in flight (in the leader's mempool, committing after the kill) when the next run reads the
// ledger, which is the race an import must not lose (docs/feeds.md, "Resume").
constexpr int kBlockIntervalMs = 200;

class OracleKillTest : public OracleTest {
 protected:
  static void SetUpTestSuite() {
    network_ = new testing::LocalNetwork(3);
    for (int i = 0; i < network_->size(); ++i)
      network_->SetConfig(i, "block_interval_ms", std::to_string(kBlockIntervalMs));
    network_->StartAll();
    ASSERT_GE(network_->AwaitLeader(), 0);
  }
};

// SIGKILL at random moments of an import of many batches, several times, then one full run: the
// ledger holds each record of the file exactly once.
TEST_F(OracleKillTest, KilledImportsResumeToExactlyOneImport) {
  const std::string contract = "mediflex-kill";
  Activate(contract);
  std::vector<std::string> record_ids;
  const std::string file =
      WriteLargeCtms("large.csv", 398, &record_ids);  // 400 records: 21 batches
  // Through the leader, whose next nonce counts its pending transactions (so a restarted import
  // would sign right after the batch in flight), and through a follower, whose next nonce does
  // not (so the leader refuses it as taken): one way and the other in turn.
  const int leader = network_->AwaitLeader();
  ASSERT_GE(leader, 0);
  auto argv = [&](int round) {
    const int node = round % 2 == 0 ? leader : (leader + 1) % network_->size();
    std::vector<std::string> args = network_->CliArgs(node);
    args.insert(args.end(), {"--key", network_->member_key_path("northwind-cro-ctms"), "oracle",
                             "import", "--feed", "ctms", "--contract", contract, "--file", file});
    return args;
  };

  const uint32_t seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 random(seed);
  // A whole import takes about 20 block intervals (4 s); ten kills after at most 350 ms each,
  // the next run started at once, leave it unfinished, and a batch in flight at many of them.
  std::uniform_int_distribution<int> delay_ms(100, 350);
  for (int round = 0; round < 10; ++round) {
    const int delay = delay_ms(random);
    testing::ChildProcess child(argv(round), dir_.Sub("kill-" + std::to_string(round) + ".log"));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    child.Signal(SIGKILL);
    EXPECT_EQ(child.Wait(), 128 + SIGKILL);
    std::printf("round %d: killed after %d ms\n", round, delay);
  }
  const size_t held = Facts(contract).size();
  std::printf("after the kills: %zu of %zu facts on the ledger\n", held, record_ids.size());
  EXPECT_GT(held, 0u);
  EXPECT_LT(held, record_ids.size()) << "the kills did not fall inside the import";

  json final = ImportCtms(contract, file);
  EXPECT_EQ(final["facts"], record_ids.size());
  EXPECT_EQ(final["already_on_ledger"].get<size_t>() + final["submitted"].get<size_t>(),
            record_ids.size());
  json facts = Facts(contract);
  EXPECT_EQ(facts.size(), record_ids.size());  // no duplicate records either
  EXPECT_EQ(FactIds(facts), Prefixed("ctms", record_ids));
  std::map<std::string, int> outcomes;
  for (const json& fact : facts)
    ++outcomes[fact["outcome"].get<std::string>()];
  EXPECT_EQ(outcomes, (std::map<std::string, int>{{"applied", int(record_ids.size())}}));
  EXPECT_EQ(ImportCtms(contract, file)["submitted"], 0);
}

}  // namespace
}  // namespace tl
