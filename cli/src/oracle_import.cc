#include "oracle_import.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "oracle_plan.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/display.h"
#include "trialledger/contracts/lifecycle.h"
#include "trialledger/feeds/ctms_feed.h"
#include "trialledger/feeds/limits.h"
#include "trialledger/feeds/odm_mapping.h"
#include "trialledger/feeds/odm_reader.h"
#include "trialledger/sdk/roles.h"
#include "trialledger/sdk/tx_builder.h"

namespace tl::cli::oracle {
namespace {

using Clock = std::chrono::steady_clock;

enum class Feed { kEdc, kCtms, kCost };

Feed ParseFeed(const std::string& name) {
  if (name == "edc") return Feed::kEdc;
  if (name == "ctms") return Feed::kCtms;
  if (name == "cost") return Feed::kCost;
  throw CommandError{StrCat("--feed '", name, "': expected edc (ODM), ctms or cost (CSV or JSON)")};
}

// What --file holds, told by its first bytes: an ODM export, or the CSV or JSON of
// docs/feeds.md ("CTMS and cost feeds").
enum class FileFormat { kOdm, kRecords };

// The file exists, is a file and can be read; with `format`, its first bytes say what it holds,
// so that an ODM export given as a CTMS feed is named as such rather than as a parse error deep
// inside it.
void CheckInputFile(const std::string& flag, const std::string& path, FileFormat* format) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status))
    throw CommandError{StrCat(flag, " ", path, ": no such file")};
  if (std::filesystem::is_directory(status)) {
    throw CommandError{StrCat(flag, " ", path, ": is a directory, not a file")};
  }
  std::ifstream in(path, std::ios::binary);
  char head[256] = {};
  in.read(head, sizeof head);
  if (in.bad() || (!in && !in.eof()))
    throw CommandError{StrCat(flag, " ", path, ": cannot be read")};
  if (format == nullptr) return;
  std::string_view text(head, static_cast<size_t>(in.gcount()));
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty() && (text[0] == ' ' || text[0] == '\t' || text[0] == '\r' || text[0] == '\n'))
    text.remove_prefix(1);
  if (text.empty()) throw CommandError{StrCat(flag, " ", path, ": the file is empty")};
  *format = text[0] == '<' ? FileFormat::kOdm : FileFormat::kRecords;
}

// The flags that go with the feed and the file, before anything is read. An ODM export is the
// EDC's and is read through a mapping; CSV and JSON records (docs/feeds.md) may come from any
// feed: the EDC's study-level facts (first patient in, database lock) as much as the CTMS's.
void CheckFlags(Feed feed, FileFormat format, const ImportRequest& request) {
  if (format == FileFormat::kOdm) {
    if (feed != Feed::kEdc) {
      throw CommandError{StrCat(request.file, ": --feed ", request.feed,
                                " reads CSV or JSON, but the file is XML (an ODM export is --feed "
                                "edc with --mapping)")};
    }
    if (request.mapping.empty()) {
      throw CommandError{
          StrCat(request.file,
                 " is CDISC ODM (XML): --feed edc reads it through a mapping (docs/feeds.md, \"The "
                 "mapping file\"): give --mapping FILE.toml")};
    }
    if (!request.source_system.empty()) {
      throw CommandError{
          "--source-system is for CSV and JSON records; an ODM export's source system is the "
          "mapping's source_system"};
    }
  } else if (!request.mapping.empty()) {
    throw CommandError{StrCat("--mapping is for CDISC ODM (XML) files; ", request.file,
                              " is CSV or JSON, read with the columns of docs/feeds.md")};
  }
}

// The active version's metadata: its currency, study, feed bindings and batch limit.
v1::ContractMetadata ActiveMetadata(const v1::GetContractResponse& contract) {
  for (const v1::ContractVersionView& view : contract.versions()) {
    if (view.version().status() == v1::VERSION_STATUS_ACTIVE) return view.metadata();
  }
  throw CommandError{StrCat("contract ", contract.record().contract_id(), " is ",
                            contracts::ContractStatusName(contract.record().status()),
                            ": it accepts facts only while active")};
}

contracts::Signer SignerFor(Context& context, Feed feed, const std::string& feed_name) {
  const KeyFile& key = context.key();
  absl::StatusOr<v1::GetMemberResponse> member = context.client().GetMember(key.keys.public_key);
  if (!member.ok()) {
    throw CommandError{StrCat("--key ", context.key_path, " (",
                              ToHex(key.keys.public_key).substr(0, 16),
                              "…) is not a member of this network: ", member.status().message())};
  }
  const v1::Member& record = member->member();
  const std::string who = StrCat(record.org(), "/", record.name());
  if (member->revoked()) {
    throw CommandError{StrCat("--key ", context.key_path, " is ", who, ", revoked from block ",
                              member->revoked_from_height())};
  }
  const std::string_view role = feed == Feed::kEdc    ? roles::kOracleEdc
                                : feed == Feed::kCtms ? roles::kOracleCtms
                                                      : roles::kOracleCost;
  if (!roles::Holds(record.roles(), role)) {
    std::string held;
    for (const std::string& each : record.roles())
      held += StrCat(held.empty() ? "" : ", ", each);
    throw CommandError{StrCat("--feed ", feed_name, " is signed with a '", role, "' key; --key ",
                              context.key_path, " is ", who, " (", held.empty() ? "no roles" : held,
                              ")")};
  }
  contracts::Signer signer;
  signer.public_key = key.keys.public_key;
  signer.organisation = record.org();
  signer.roles.assign(record.roles().begin(), record.roles().end());
  return signer;
}

feeds::ImportResult ReadFeed(FileFormat format, const ImportRequest& request,
                             const v1::ContractMetadata& metadata) {
  const feeds::ImportOptions options{.strict = request.strict};
  if (format == FileFormat::kOdm) {
    feeds::OdmMapping mapping = Context::Check(feeds::LoadOdmMapping(request.mapping));
    if (!mapping.study.empty() && !metadata.study().empty() && mapping.study != metadata.study()) {
      throw CommandError{StrCat(request.mapping, ": study '", mapping.study, "', but contract ",
                                request.contract_id, " is for study '", metadata.study(), "'")};
    }
    return Context::Check(feeds::ImportOdmFile(request.file, mapping, options));
  }
  feeds::CtmsOptions ctms;
  ctms.source_system = request.source_system.empty() ? request.feed : request.source_system;
  ctms.currency = metadata.currency();
  ctms.study = metadata.study();
  return Context::Check(feeds::ImportCtmsFile(request.file, ctms, options));
}

class Reporter {
 public:
  Reporter(ImportSummary& summary, bool strict) : summary_(summary), strict_(strict) {}
  // A fact that is not submitted, and why: listed, or in strict mode the end of the import.
  void Skip(const std::string& file, const feeds::ImportedFact& fact, std::string reason) {
    feeds::Skipped skipped{file, fact.origin.line, StrCat("fact ", contracts::FactId(fact.fact)),
                           std::move(reason)};
    if (strict_) {
      throw CommandError{StrCat(feeds::FormatSkipped(skipped), " (--strict: nothing submitted)")};
    }
    ++summary_.skipped_count;
    if (summary_.skipped.size() < feeds::limits::kSkippedListedMax) {
      summary_.skipped.push_back(std::move(skipped));
    }
  }

 private:
  ImportSummary& summary_;
  bool strict_;
};

// Drops the facts whose kind the contract binds to another feed or organisation: a batch with
// one of them would be refused whole.
std::vector<feeds::ImportedFact> BoundFacts(std::vector<feeds::ImportedFact> facts,
                                            const v1::ContractMetadata& metadata,
                                            const contracts::Signer& signer,
                                            const std::string& file, Reporter& reporter) {
  std::vector<feeds::ImportedFact> bound;
  bound.reserve(facts.size());
  for (feeds::ImportedFact& imported : facts) {
    v1::FactBatch one;
    *one.add_facts() = imported.fact;
    absl::Status may = contracts::CheckFactBindings(metadata, signer, one);
    if (may.ok()) {
      bound.push_back(std::move(imported));
      continue;
    }
    std::string reason(may.message());
    if (reason.starts_with("fact 1: ")) reason.erase(0, 8);
    reporter.Skip(file, imported, std::move(reason));
  }
  return bound;
}

// Reads the records the ledger added since the last read.
void ReadLedger(LedgerClient& client, const std::string& contract_id, LedgerFacts& ledger) {
  uint64_t next = ledger.next_seq();
  while (next != 0) {
    v1::ListFactsResponse page =
        Context::Check(client.ListFacts(contract_id, next, tl::limits::kListRecordsMax));
    for (const v1::FactRecord& record : page.facts()) {
      if (record.seq() < ledger.next_seq()) continue;
      if (record.seq() != ledger.next_seq()) {
        throw CommandError{StrCat("node ", client.address(), " listed fact ", record.seq(),
                                  " of contract ", contract_id, " after fact ",
                                  ledger.next_seq() - 1, ": the list has a gap")};
      }
      ledger.Add(record);
    }
    if (page.facts().empty()) break;
    next = page.next_seq();
  }
}

std::string Refusal(const v1::SubmitTransactionResponse& response) {
  std::string where = response.height() ? StrCat(" in block ", response.height()) : "";
  return StrCat("transaction ", ToHex(response.tx_id()), " rejected", where, " (",
                ResultCodeName(response.result().code()), "): ", response.result().message());
}

bool NonceTaken(const v1::SubmitTransactionResponse& response) {
  return response.status() != v1::TX_STATUS_COMMITTED &&
         response.result().code() == v1::TX_BAD_NONCE;
}

// Waits until every transaction this key sent before (an import killed while a batch was in
// flight) has committed or is gone, by committing a note after them: nonces are consecutive, so
// the note commits only after the key's earlier transactions. The node this CLI talks to counts
// the leader's pending transactions in the next nonce, or if it is a follower the leader refuses
// the note's nonce as taken until they commit; either way, once the note is committed, the
// ledger shows everything the earlier import will ever add.
void SettleKey(Context& context, const std::string& note) {
  const Clock::time_point deadline =
      Clock::now() + std::chrono::milliseconds(limits::kSettleTimeoutMs);
  while (true) {
    v1::SubmitTransactionResponse response =
        context.Submit([&](v1::TxBody& body) { body.mutable_note()->set_text(note); });
    if (response.status() == v1::TX_STATUS_COMMITTED) return;
    if (!NonceTaken(response)) throw CommandError{Refusal(response)};
    if (Clock::now() > deadline) {
      throw CommandError{StrCat("--key ", context.key_path,
                                " still has transactions pending after ",
                                limits::kSettleTimeoutMs / 1000, " s: ", Refusal(response))};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(limits::kSettleRetryMs));
  }
}

std::string LineRange(const std::vector<feeds::ImportedFact>& facts,
                      const std::vector<size_t>& to_submit, const Batch& batch) {
  int64_t first = facts[to_submit[batch.begin]].origin.line;
  int64_t last = facts[to_submit[batch.end - 1]].origin.line;
  return first == last ? StrCat("line ", first) : StrCat("lines ", first, "-", last);
}

// The summary's counts from a plan of the whole file against the ledger.
void Account(const std::vector<feeds::ImportedFact>& facts, const ImportPlan& plan,
             const std::set<std::string>& own_tx_ids, const std::string& file,
             ImportSummary& summary, Reporter& reporter) {
  for (size_t i = 0; i < facts.size(); ++i) {
    const FactPlan& planned = plan.facts[i];
    if (planned.disposition == Disposition::kConflict) {
      reporter.Skip(
          file, facts[i],
          StrCat("the ledger holds this record with other content (fact ", planned.record->seq,
                 "); a changed record is submitted only as a "
                 "correction (correction=true), so it is not submitted"));
      continue;
    }
    if (planned.disposition != Disposition::kOnLedger) continue;
    if (own_tx_ids.contains(planned.record->tx_id)) {
      ++summary.submitted;
    } else {
      ++summary.already_on_ledger;
    }
    if (planned.record->outcome == v1::FACT_REJECTED &&
        summary.rejected.size() < feeds::limits::kSkippedListedMax) {
      summary.rejected.push_back({file, facts[i].origin.line,
                                  StrCat("fact ", contracts::FactId(facts[i].fact)),
                                  StrCat("rejected by the contract (fact ", planned.record->seq,
                                         "): ", planned.record->message)});
    }
  }
}

}  // namespace

ImportSummary RunOracleImport(Context& context, const ImportRequest& request,
                              ImportProgress& progress) {
  const Feed feed = ParseFeed(request.feed);
  if (request.contract_id.empty()) throw CommandError{"give --contract ID"};
  if (request.file.empty()) throw CommandError{"give --file FILE"};
  FileFormat format = FileFormat::kRecords;
  CheckInputFile("--file", request.file, &format);
  CheckFlags(feed, format, request);
  if (format == FileFormat::kOdm) CheckInputFile("--mapping", request.mapping, nullptr);

  ImportSummary summary;
  summary.file = request.file;
  summary.feed = request.feed;
  summary.contract_id = request.contract_id;
  summary.dry_run = request.dry_run;
  Reporter reporter(summary, request.strict);

  LedgerClient& client = context.client();
  const v1::ContractMetadata metadata =
      ActiveMetadata(Context::Check(client.GetContract(request.contract_id, false)));
  const contracts::Signer signer = SignerFor(context, feed, request.feed);

  feeds::ImportResult result = ReadFeed(format, request, metadata);
  summary.records_read = result.report.records_read;
  summary.facts = static_cast<int64_t>(result.facts.size());
  summary.skipped_count = result.report.skipped_count;
  summary.skipped = std::move(result.report.skipped);
  progress.Step(StrCat("read ", summary.records_read, " records of ", request.file, ": ",
                       summary.facts, " facts, ", summary.skipped_count, " skipped"));
  const std::vector<feeds::ImportedFact> facts =
      BoundFacts(std::move(result.facts), metadata, signer, request.file, reporter);

  std::set<std::string> own_tx_ids;
  const PlanOptions plan_options{.resubmit_rejected = request.resubmit_rejected,
                                 .own_tx_ids = &own_tx_ids};
  LedgerFacts ledger;
  ReadLedger(client, request.contract_id, ledger);
  ImportPlan plan = PlanImport(facts, ledger, plan_options);
  if (request.strict && plan.conflicts > 0) {
    Account(facts, plan, {}, request.file, summary, reporter);  // throws at the first conflict
  }
  const int64_t per_batch = std::max<int64_t>(1, metadata.facts_per_batch_max());
  progress.Step(StrCat("contract ", request.contract_id, " holds ", ledger.size(), " facts; ",
                       plan.on_ledger, " of this file's are on the ledger, ", plan.to_submit.size(),
                       " to submit"));

  if (request.dry_run) {
    summary.batches = static_cast<int64_t>(
        SplitIntoBatches(facts, plan.to_submit, request.contract_id, per_batch).size());
    for (size_t index : plan.to_submit) {
      summary.to_submit.push_back({facts[index].origin.line, contracts::FactId(facts[index].fact),
                                   std::string(contracts::FactKindLabel(facts[index].fact))});
    }
    Account(facts, plan, {}, request.file, summary, reporter);
    summary.submitted = static_cast<int64_t>(plan.to_submit.size());
    progress.Done();
    return summary;
  }

  const std::string note =
      StrCat("trialledger oracle import: ", request.feed, " feed, ",
             std::filesystem::path(request.file).filename().string().substr(0, 200), " into ",
             request.contract_id);
  int settles = 0;
  bool settled = false;
  int64_t submitted = 0;
  Clock::time_point first_sent;
  while (!plan.to_submit.empty()) {
    if (!settled) {
      if (settles++ > limits::kResettlesMax) {
        throw CommandError{StrCat("another submitter keeps taking the nonces of --key ",
                                  context.key_path, "; run one import per key at a time")};
      }
      progress.Sending();
      SettleKey(context, note);
      progress.Step("settled --key: its earlier transactions are committed");
      settled = true;
      ReadLedger(client, request.contract_id, ledger);
      plan = PlanImport(facts, ledger, plan_options);
      continue;
    }
    const std::vector<Batch> batches =
        SplitIntoBatches(facts, plan.to_submit, request.contract_id, per_batch);
    for (size_t b = 0; b < batches.size(); ++b) {
      if (summary.batches == 0) first_sent = Clock::now();
      v1::FactBatch batch = MakeFactBatch(facts, plan.to_submit, batches[b], request.contract_id);
      progress.Sending();
      v1::SubmitTransactionResponse response = context.Submit(
          [&](v1::TxBody& body) { *body.mutable_submit_facts() = std::move(batch); });
      if (NonceTaken(response)) {
        settled = false;  // someone else signs with this key: settle, read and plan again
        break;
      }
      if (response.status() != v1::TX_STATUS_COMMITTED) {
        throw CommandError{StrCat(request.file, ": batch ", b + 1, " of ", batches.size(), " (",
                                  LineRange(facts, plan.to_submit, batches[b]),
                                  "): ", Refusal(response))};
      }
      own_tx_ids.insert(response.tx_id());
      ++summary.batches;
      submitted += static_cast<int64_t>(batches[b].end - batches[b].begin);
      summary.submit_seconds = std::chrono::duration<double>(Clock::now() - first_sent).count();
      progress.Batch(
          submitted, static_cast<int64_t>(plan.to_submit.size()), static_cast<int64_t>(b + 1),
          static_cast<int64_t>(batches.size()), response.height(),
          summary.submit_seconds > 0 ? static_cast<double>(submitted) / summary.submit_seconds : 0);
    }
    ReadLedger(client, request.contract_id, ledger);
    plan = PlanImport(facts, ledger, plan_options);
    if (settled && !plan.to_submit.empty()) {
      throw CommandError{StrCat("every batch committed, yet ", plan.to_submit.size(), " facts of ",
                                request.file,
                                " are not on the ledger (another "
                                "submitter with this key?); run the import again")};
    }
  }
  Account(facts, plan, own_tx_ids, request.file, summary, reporter);
  summary.submit_seconds = std::round(summary.submit_seconds * 1000) / 1000;
  progress.Step(StrCat("done: ", summary.submitted, " facts submitted in ", summary.batches,
                       " batches, ", summary.already_on_ledger, " already on the ledger, ",
                       summary.skipped_count, " skipped, ", summary.rejected.size(),
                       " rejected by the contract"));
  progress.Done();
  return summary;
}

}  // namespace tl::cli::oracle
