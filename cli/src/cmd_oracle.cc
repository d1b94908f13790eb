// `trialledger oracle import`: a feed's export submitted as facts, signed by the feed's oracle key
// (--key), idempotently and resumably (oracle_import.h; docs/feeds.md, "Submitting").
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "oracle_import.h"
#include "progress.h"
#include "trialledger/base/str_cat.h"

namespace tl::cli {
namespace {

// Progress on stderr: a bar (progress.h) when standard output and standard error are terminals;
// otherwise a line per step and per batch (logs, CI, `-o json > file`).
class StderrProgress : public oracle::ImportProgress {
 public:
  void Step(std::string_view line) override {
    if (bar_.enabled()) return;  // the bar shows the counts; the summary says the rest
    std::cerr << "oracle import: " << line << std::endl;
  }
  void Sending() override { bar_.Clear(); }
  void Batch(int64_t submitted, int64_t to_submit, int64_t batch, int64_t batches, uint64_t height,
             double facts_per_s) override {
    if (bar_.enabled()) {
      bar_.set_total(to_submit);
      bar_.Update(submitted,
                  StrCat("batch ", batch, "/", batches, ", ", FormatRate(facts_per_s, "facts")));
      return;
    }
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f facts/s", facts_per_s);
    std::cerr << "oracle import: batch " << batch << "/" << batches << " committed in block "
              << height << ": " << submitted << "/" << to_submit << " facts submitted, " << rate
              << std::endl;
  }
  void Done() override { bar_.Clear(); }

 private:
  // The import's own rate: from its first batch sent, not from reading the file.
  Progress bar_{"oracle import", 0, "facts", {.show_rate = false}};
};

Json SkippedJson(const std::vector<feeds::Skipped>& list) {
  Json rows = Json::array();
  for (const feeds::Skipped& skipped : list) {
    rows.push_back(
        Json{{"line", skipped.line}, {"record", skipped.record}, {"reason", skipped.reason}});
  }
  return rows;
}

Json SummaryJson(const oracle::ImportSummary& summary, OutputFormat format) {
  Json json{{"file", summary.file},
            {"feed", summary.feed},
            {"contract", summary.contract_id},
            {"records_read", summary.records_read},
            {"facts", summary.facts},
            {"already_on_ledger", summary.already_on_ledger},
            {"submitted", summary.submitted},
            {"batches", summary.batches},
            {"skipped_count", summary.skipped_count},
            {"skipped", SkippedJson(summary.skipped)},
            {"dry_run", summary.dry_run},
            {"rejected_count", static_cast<int64_t>(summary.rejected.size())},
            {"rejected", SkippedJson(summary.rejected)}};
  if (!summary.dry_run) {
    json["submit_seconds"] = summary.submit_seconds;
  } else {
    Json rows = Json::array();
    for (const oracle::PlannedFact& fact : summary.to_submit) {
      rows.push_back(Json{{"line", fact.line}, {"fact_id", fact.fact_id}, {"kind", fact.kind}});
    }
    json["to_submit"] = std::move(rows);
  }
  if (format == OutputFormat::kTable) {
    // Empty lists print as nothing rather than as a blank field.
    for (const char* list : {"skipped", "rejected", "to_submit"}) {
      if (json.contains(list) && json[list].empty()) json.erase(list);
    }
  }
  return json;
}

}  // namespace

void AddOracleCommands(CLI::App& app, Context& context) {
  CLI::App* oracle_app =
      app.add_subcommand("oracle", "What a trial system's oracle key reports (docs/feeds.md)");
  oracle_app->require_subcommand(1);
  oracle_app->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-ctms.key oracle import --feed ctms "
      "--contract acme-301 --file contracts/examples/acme-301/feeds/sites.csv");

  auto request = std::make_shared<oracle::ImportRequest>();
  CLI::App* import_command = oracle_app->add_subcommand(
      "import",
      "Submit a feed's export file to a contract as facts, signed with the feed's oracle key "
      "(--key); what the ledger already holds is not submitted again");
  // Checked by the command rather than by the parser, so that every mistake exits 1 with a
  // message that names it (docs/feeds.md, "Exit codes").
  import_command->add_option("--feed", request->feed,
                             "edc (CDISC ODM), ctms or cost (CSV or JSON)");
  import_command->add_option("--contract", request->contract_id, "contract id");
  import_command->add_option("--file", request->file, "the export: .xml (edc), .csv or .json");
  import_command->add_option("--mapping", request->mapping, "edc: the mapping (TOML)");
  import_command->add_option("--source-system", request->source_system,
                             "ctms, cost: the facts' source_system (default: the feed's name)");
  import_command->add_flag(
      "--dry-run", request->dry_run,
      "read, map and check everything, print what would be submitted, submit nothing");
  import_command->add_flag("--resubmit-rejected", request->resubmit_rejected,
                           "submit again the facts the contract rejected before (e.g. enrolments "
                           "imported before their site's activation)");
  import_command->add_flag(
      "--strict", request->strict,
      "stop at the first bad record and submit nothing (default: skip, count, list)");
  import_command->footer(
      "Examples:\n  trialledger --key net/keys/northwind-cro-ctms.key oracle import --feed ctms "
      "--contract acme-301 --file contracts/examples/acme-301/feeds/sites.csv\n"
      "  trialledger --key net/keys/northwind-cro-edc.key oracle import --feed edc --contract "
      "acme-301 --file contracts/examples/acme-301/feeds/rave-export-1.xml --mapping "
      "contracts/examples/acme-301/feeds/rave.toml --dry-run");
  import_command->callback([&context, request] {
    StderrProgress progress;
    oracle::ImportSummary summary = oracle::RunOracleImport(context, *request, progress);
    progress.Done();
    Print(SummaryJson(summary, context.format()), context.format());
  });
}

}  // namespace tl::cli
