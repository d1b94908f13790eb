// `trialledger facts ...` and `trialledger milestones ...`: what the oracles reported to a
// contract, and what it made of it. Submitting signs with an oracle key (--key); the contract's
// feed bindings decide which key may report which kind of fact.
#include <chrono>

#include "books_json.h"
#include "commands.h"
#include "contract_json.h"
#include "progress.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/fact_payload.h"
#include "trialledger/contracts/facts_json.h"
#include "trialledger/contracts/runtime.h"
#include "trialledger/sdk/file_util.h"

namespace tl::cli {
namespace {

// The active version of a contract: what a file of facts is checked against before it is sent.
const v1::ContractVersionView& ActiveVersion(const v1::GetContractResponse& contract) {
  for (const v1::ContractVersionView& view : contract.versions()) {
    if (view.version().status() == v1::VERSION_STATUS_ACTIVE) return view;
  }
  throw CommandError{
      StrCat("contract ", contract.record().contract_id(), " is not active: it accepts no facts")};
}

// Refuses, before anything is sent, the facts every contract would reject for what the file
// alone shows (contracts::AmountProblem): numbered from 1, as the outcomes are.
void CheckFactsLocally(const v1::FactBatch& all, const v1::ContractMetadata& metadata,
                       const std::string& file) {
  for (int i = 0; i < all.facts_size(); ++i) {
    const std::string problem = contracts::AmountProblem(all.facts(i), metadata.currency());
    if (!problem.empty()) {
      throw CommandError{StrCat(file, ": fact ", i + 1, " (", all.facts(i).source_record_id(),
                                "): field 'amount': ", problem, "; nothing was submitted")};
    }
  }
}

// What the batches sent so far did, for an error that stops the submission midway.
std::string Committed(const Json& transactions) {
  if (transactions.empty()) return "no batch was committed";
  std::string ids;
  for (const Json& tx : transactions)
    ids += StrCat(ids.empty() ? "" : ", ", tx["tx_id"].get<std::string>());
  return StrCat(transactions.size(), " batch", transactions.size() == 1 ? "" : "es",
                " committed before it (", ids, ")");
}

void AddSubmit(CLI::App& facts, Context& context) {
  struct Options {
    std::string contract, file;
  };
  auto options = std::make_shared<Options>();
  CLI::App* submit = facts.add_subcommand(
      "submit", "Submit the facts of a JSON file (docs/sow-language.md, \"Facts\") to a contract");
  submit->add_option("--contract", options->contract, "contract id")->required();
  submit->add_option("--file", options->file, "FACTS.json")->required();
  submit->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-ctms.key facts submit --contract "
      "acme-301 --file contracts/examples/acme-301/01-sites-ctms.json");
  submit->callback([&context, options] {
    std::string text = Context::Check(ReadWholeFile(options->file));
    v1::FactBatch all = Context::Check(contracts::ParseFactsJson(text, options->file));
    if (!all.contract_id().empty() && all.contract_id() != options->contract) {
      throw CommandError{StrCat(options->file, ": the file is for contract '", all.contract_id(),
                                "', not '", options->contract, "'")};
    }
    if (all.facts().empty()) throw CommandError{StrCat(options->file, ": no facts")};
    const v1::GetContractResponse contract =
        Context::Check(context.client().GetContract(options->contract, false));
    const v1::ContractVersionView& active = ActiveVersion(contract);
    CheckFactsLocally(all, active.metadata(), options->file);
    const int limit =
        static_cast<int>(std::max<int64_t>(1, active.metadata().facts_per_batch_max()));
    const int batches = (all.facts_size() + limit - 1) / limit;
    Json outcomes = Json::array();
    Json events = Json::array();
    Json transactions = Json::array();
    int rejected = 0;
    Progress progress("facts submit", all.facts_size(), "facts");
    for (int start = 0; start < all.facts_size(); start += limit) {
      v1::FactBatch batch;
      batch.set_contract_id(options->contract);
      const int end = std::min<int>(all.facts_size(), start + limit);
      for (int i = start; i < end; ++i)
        *batch.add_facts() = all.facts(i);
      v1::SubmitTransactionResponse response;
      progress.Clear();  // a terminal is told each transaction's id as it is sent
      try {
        response =
            context.SubmitAndWait([&](v1::TxBody& body) { *body.mutable_submit_facts() = batch; });
      } catch (CommandError& error) {
        if (batches > 1) {
          error.message =
              StrCat(options->file, ": batch ", start / limit + 1, " of ", batches, " (facts ",
                     start + 1, "-", end, "): ", error.message, "; ", Committed(transactions));
        }
        throw;
      }
      transactions.push_back(SubmissionJson(response));
      const v1::ContractOutcome& result = response.result().contract();
      Json outcome = ContractOutcomeJson(result, FetchEvents(context.client(), result));
      for (Json& fact : outcome["facts"]) {
        fact["fact"] = fact["fact"].get<int>() + start;
        if (fact["outcome"] == contracts::FactOutcomeName(v1::FACT_REJECTED)) ++rejected;
        outcomes.push_back(std::move(fact));
      }
      for (Json& event : outcome["events"])
        events.push_back(std::move(event));
      progress.Update(end, StrCat("batch ", start / limit + 1, "/", batches));
    }
    progress.Clear();
    Json json{{"contract_id", options->contract},
              {"facts", std::move(outcomes)},
              {"events", std::move(events)},
              {"transactions", std::move(transactions)}};
    if (context.format() == OutputFormat::kTable && json["events"].empty()) json.erase("events");
    Print(json, context.format());
    if (rejected > 0) {
      throw CommandError{StrCat(options->file, ": the contract rejected ", rejected, " of ",
                                all.facts_size(),
                                " facts (their outcomes above); the others "
                                "were applied")};
    }
  });
}

void AddList(CLI::App& facts, Context& context) {
  struct Options {
    std::string contract, period;
    uint64_t from = 1;
    uint32_t limit = 0;
  };
  auto options = std::make_shared<Options>();
  CLI::App* list =
      facts.add_subcommand("list", "Every fact submitted to a contract, with its outcome");
  list->add_option("--contract", options->contract, "contract id")->required();
  list->add_option("--from", options->from, "first sequence number")->capture_default_str();
  list->add_option("--limit", options->limit, "at most this many (default: all)");
  // A fact's month is that of the business date it carries (contracts::FactDateMs), which its
  // journal entries are dated on; not the block time the list shows.
  AddPeriodOption(*list, &options->period,
                  "only facts dated in this month (the day the fact happened)");
  list->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key facts list --contract "
      "acme-301 --period 2026-11\n"
      "  trialledger --key net/keys/acme-bio-finance.key facts list --contract acme-301 --from 20 "
      "--limit 10");
  list->callback([&context, options] {
    Json rows = Json::array();
    uint64_t next = options->from;
    // Pages until the end, or until --limit facts are shown.
    while (next != 0 && (options->limit == 0 || rows.size() < options->limit)) {
      // Filtered, a page may hold few to show: ask for full pages.
      uint32_t want = options->limit == 0 || !options->period.empty()
                          ? 0
                          : options->limit - static_cast<uint32_t>(rows.size());
      v1::ListFactsResponse page =
          Context::Check(context.client().ListFacts(options->contract, next, want));
      for (const v1::FactRecord& fact : page.facts()) {
        if (options->limit != 0 && rows.size() >= options->limit) break;
        if (DatedIn(contracts::FactDateMs(fact.fact()).value_or(0), options->period))
          rows.push_back(FactRecordJson(fact));
      }
      next = page.next_seq();
    }
    Print(rows, context.format());
  });
}

// `milestones confirm NAME`: the milestone_confirmed fact a `confirmed` milestone waits for,
// signed with --key (the member the SOW's feed for it names, e.g. the sponsor's clinops).
void AddConfirm(CLI::App& milestones, Context& context) {
  struct Options {
    std::string contract, name, date, reason, source_system = "clinops";
  };
  auto options = std::make_shared<Options>();
  CLI::App* confirm = milestones.add_subcommand(
      "confirm", "Confirm a milestone the SOW marks `confirmed` (a milestone_confirmed fact)");
  confirm->add_option("name", options->name, "milestone name")->required();
  confirm->add_option("--contract", options->contract, "contract id")->required();
  confirm->add_option("--date", options->date, "the date confirmed, YYYY-MM-DD (default: today)");
  confirm->add_option("--reason", options->reason, "why, on the record (audit reason)");
  confirm
      ->add_option("--source-system", options->source_system,
                   "the fact's source system (its id is SOURCE/confirm-NAME)")
      ->capture_default_str();
  confirm->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-clinops.key milestones confirm fpi "
      "--contract acme-301 --date 2026-10-14 --reason \"first patient dosed, per site 301\"");
  confirm->callback([&context, options] {
    // The source time is this machine's clock (the contract refuses one more than
    // kSourceTimeSkewMaxMs ahead of its block); the date defaults to its UTC day.
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    int64_t date_ms = StartOfDayMs(now_ms);
    if (!options->date.empty()) {
      std::optional<int64_t> parsed = ParseIsoDate(options->date);
      if (!parsed) {
        throw CommandError{StrCat("--date '", options->date, "': expected a date YYYY-MM-DD")};
      }
      date_ms = *parsed;
    }
    v1::GetMemberResponse member =
        Context::Check(context.client().GetMember(context.key().keys.public_key));
    v1::FactBatch batch;
    batch.set_contract_id(options->contract);
    v1::Fact* fact = batch.add_facts();
    fact->set_source_system(options->source_system);
    fact->set_source_record_id(StrCat("confirm-", options->name));
    fact->set_source_timestamp_ms(now_ms);
    fact->mutable_audit()->set_user(member.member().name());
    fact->mutable_audit()->set_reason(options->reason);
    fact->mutable_milestone_confirmed()->set_milestone(options->name);
    fact->mutable_milestone_confirmed()->set_date_ms(date_ms);
    v1::SubmitTransactionResponse response =
        context.SubmitAndWait([&](v1::TxBody& body) { *body.mutable_submit_facts() = batch; });
    const v1::ContractOutcome& result = response.result().contract();
    Json json = ContractOutcomeJson(result, FetchEvents(context.client(), result));
    json["transaction"] = SubmissionJson(response);
    Print(json, context.format());
    for (const v1::FactOutcome& outcome : result.facts()) {
      if (outcome.code() == v1::FACT_REJECTED) {
        throw CommandError{StrCat("the contract rejected the confirmation: ", outcome.message())};
      }
    }
  });
}

void AddMilestones(CLI::App& app, Context& context) {
  CLI::App* milestones =
      app.add_subcommand("milestones", "A contract's milestones: status, amount and evidence");
  milestones->require_subcommand(1);
  milestones->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-finance.key milestones list --contract "
      "acme-301");
  AddConfirm(*milestones, context);

  struct ListOptions {
    std::string contract, period;
  };
  auto list_options = std::make_shared<ListOptions>();
  CLI::App* list = milestones->add_subcommand("list", "Every milestone of a contract");
  list->add_option("--contract", list_options->contract, "contract id")->required();
  AddPeriodOption(*list, &list_options->period,
                  "only the milestones achieved by a fact dated in this month");
  list->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key milestones list --contract "
      "acme-301\n"
      "  trialledger --key net/keys/northwind-cro-finance.key milestones list --contract acme-301 "
      "--period 2026-11");
  list->callback([&context, list_options] {
    v1::GetMilestonesResponse found =
        Context::Check(context.client().GetMilestones(list_options->contract));
    Json rows = Json::array();
    for (const v1::MilestoneView& m : found.milestones()) {
      if (!DatedIn(m.fact_date_ms(), list_options->period)) continue;
      Json row = MilestoneJson(m);
      if (context.format() == OutputFormat::kTable) {
        // One line per milestone: the evidence as a list, the long fields in `milestones show`.
        row["evidence"] = StrCat(m.evidence_size(), " facts");
        row["missing"] = m.missing_size() == 0 ? std::string("-") : StrCat(m.missing_size());
        for (const char* field : {"amount_minor", "completing_fact", "fact_date",
                                  "constraint_released", "obligation", "title"}) {
          row.erase(field);
        }
      }
      rows.push_back(std::move(row));
    }
    Print(rows, context.format());
  });

  struct ShowOptions {
    std::string contract, name;
  };
  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* show = milestones->add_subcommand("show", "One milestone in full, with its evidence");
  show->add_option("name", show_options->name, "milestone name")->required();
  show->add_option("--contract", show_options->contract, "contract id")->required();
  show->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-finance.key milestones show half_enrolled "
      "--contract acme-301");
  show->callback([&context, show_options] {
    v1::GetMilestonesResponse found =
        Context::Check(context.client().GetMilestones(show_options->contract));
    for (const v1::MilestoneView& m : found.milestones()) {
      if (m.name() != show_options->name) continue;
      Json json = MilestoneJson(m);
      json["contract_id"] = found.contract_id();
      json["version"] = found.version();
      Json evidence = Json::array();
      for (const std::string& fact : m.evidence())
        evidence.push_back(Json{{"fact_id", fact}});
      json["evidence"] = std::move(evidence);
      if (context.format() == OutputFormat::kTable) {
        // "sites_activated = 3, ..." on the requirement's own line.
        for (Json& missing : json["missing"]) {
          std::string now;
          for (const auto& [counter, value] : missing["now"].items())
            now += StrCat(now.empty() ? "" : ", ", counter, " = ", value.get<int64_t>());
          missing["now"] = now.empty() ? std::string("-") : now;
        }
        if (json["missing"].empty()) json.erase("missing");
      }
      Print(json, context.format());
      return;
    }
    throw CommandError{StrCat("contract ", show_options->contract, " has no milestone '",
                              show_options->name, "'")};
  });
}

}  // namespace

void AddFactsCommands(CLI::App& app, Context& context) {
  CLI::App* facts = app.add_subcommand("facts", "Signed trial facts reported to a contract");
  facts->require_subcommand(1);
  facts->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-finance.key facts list --contract acme-301");
  AddSubmit(*facts, context);
  AddList(*facts, context);
  AddMilestones(app, context);
}

}  // namespace tl::cli
