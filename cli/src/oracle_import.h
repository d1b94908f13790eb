// `trialledger oracle import`: a feed's export file (EDC as ODM through a mapping, CTMS or cost
// as CSV or JSON, read by tl_feeds) submitted to a contract as SubmitFacts transactions signed by
// the feed's oracle key, idempotently: whatever the ledger already holds is not submitted again,
// so an import can be repeated, or killed at any moment and run again, and the ledger ends with
// the facts of exactly one complete import. docs/feeds.md, "Submitting", has the rules.
//
//   ImportRequest request{.feed = "ctms", .contract_id = "mediflex", .file = "sites.csv"};
//   ImportSummary summary = RunOracleImport(context, request, progress);  // CommandError on error
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "context.h"
#include "trialledger/feeds/import.h"

namespace tl::cli::oracle {

namespace limits {
// How long to wait for this key's earlier transactions (an import killed while one was in
// flight) to commit or drop before submitting.
inline constexpr int64_t kSettleTimeoutMs = 60000;
inline constexpr int64_t kSettleRetryMs = 100;
// Times an import starts over (settle, read the ledger, plan) when another submitter with the
// same key took the nonce it meant to use; past this it stops with an error.
inline constexpr int kResettlesMax = 5;
}  // namespace limits

struct ImportRequest {
  std::string feed;  // "edc", "ctms" or "cost"
  std::string contract_id;
  std::string file;
  std::string mapping;        // edc only: the TOML mapping
  std::string source_system;  // ctms and cost only; default: the feed's name
  bool dry_run = false;
  bool strict = false;
  bool resubmit_rejected = false;  // facts the contract rejected before are submitted again
};

// A fact the plan would submit (a dry run lists them).
struct PlannedFact {
  int64_t line = 0;
  std::string fact_id;
  std::string kind;
};

struct ImportSummary {
  std::string file, feed, contract_id;
  int64_t records_read = 0;
  int64_t facts = 0;                    // the file's facts, before anything below is taken out
  int64_t already_on_ledger = 0;        // found on the ledger, not submitted by this run
  int64_t submitted = 0;                // a dry run: what it would submit
  int64_t batches = 0;                  // a dry run: in how many transactions
  int64_t skipped_count = 0;            // records or facts not submitted, each with its reason
  std::vector<feeds::Skipped> skipped;  // the first feeds::limits::kSkippedListedMax of them
  // Facts of the file the contract judged `rejected` (by this run or an earlier one): on the
  // ledger, but without effect. Reported, not an error (unless --strict).
  std::vector<feeds::Skipped> rejected;
  std::vector<PlannedFact> to_submit;  // a dry run only
  bool dry_run = false;
  double submit_seconds = 0;  // from the first batch sent to the last committed
};

// Where an import reports how it is getting on (stderr, as lines or as a progress bar).
class ImportProgress {
 public:
  virtual ~ImportProgress() = default;
  virtual void Step(std::string_view line) = 0;  // one thing done: "read 640 records ..."
  // A transaction is about to be sent (Context says so on a terminal): a line drawn in place
  // is erased first.
  virtual void Sending() = 0;
  // Batch `batch` of `batches` committed in block `height`: `submitted` of `to_submit` facts.
  virtual void Batch(int64_t submitted, int64_t to_submit, int64_t batch, int64_t batches,
                     uint64_t height, double facts_per_s) = 0;
  virtual void Done() = 0;
};

// Reads, maps and checks the file, reads what the contract holds, and (unless a dry run)
// submits the rest in order, each batch waited for until committed. Bad input, a refusal and a
// --strict stop are CommandErrors with a message that names what and where.
ImportSummary RunOracleImport(Context& context, const ImportRequest& request,
                              ImportProgress& progress);

}  // namespace tl::cli::oracle
