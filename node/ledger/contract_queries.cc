#include "trialledger/ledger/contract_queries.h"

#include <algorithm>

#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/lifecycle.h"
#include "trialledger/ledger/contract_records.h"
#include "trialledger/sdk/limits.h"

namespace tl::ledger {
namespace {

absl::StatusOr<v1::ContractRecord> Find(const StateReader& state, std::string_view id) {
  std::optional<v1::ContractRecord> record = ReadContract(state, id);
  if (!record.has_value()) return absl::NotFoundError(StrCat("no contract '", id, "'"));
  return *std::move(record);
}

// contract-fact/<id>/ from contract-fact/<id>/<seq>, and the same for events.
std::string SeqPrefix(std::string key_with_seq) {
  key_with_seq.resize(key_with_seq.size() - 8);  // the sequence number's 8 bytes
  return key_with_seq;
}

// A page of contract-fact/<id>/ or contract-event/<id>/ records from sequence number `from`.
template <typename Record, typename KeyOf, typename Add>
absl::Status Page(const OrderedStateReader& state, std::string_view id, uint64_t from,
                  uint32_t limit, KeyOf key_of, Add add, uint64_t* next_seq) {
  absl::StatusOr<v1::ContractRecord> record = Find(state, id);
  if (!record.ok()) return record.status();
  size_t count = limit == 0 ? 100 : std::min<uint32_t>(limit, limits::kListRecordsMax);
  std::string prefix = SeqPrefix(key_of(id, 0));
  auto entries = state.Scan(prefix, key_of(id, std::max<uint64_t>(from, 1)), count + 1);
  *next_seq = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    Record parsed;
    if (!parsed.ParseFromString(entries[i].second)) {
      return absl::DataLossError(StrCat("record ", entries[i].first, " does not decode"));
    }
    if (i == count) {
      *next_seq = parsed.seq();
      break;
    }
    add(std::move(parsed));
  }
  return absl::OkStatus();
}

void FillPosition(const contracts::ContractPosition& from, v1::ContractPositionView* to) {
  auto amounts = [](const auto& pairs, auto* out) {
    for (const auto& [name, value] : pairs) {
      auto* amount = out->Add();
      amount->set_name(name);
      amount->set_value(value);
    }
  };
  amounts(from.counters, to->mutable_counters());
  amounts(from.units_earned, to->mutable_units_earned());
  to->set_cost_incurred_minor(from.cost_incurred_minor);
  to->set_estimate_at_completion_minor(from.estimate_at_completion_minor);
  amounts(from.pass_through_spent_minor, to->mutable_pass_through_spent_minor());
  amounts(from.holdback_withheld_minor, to->mutable_holdback_withheld_minor());
  for (const auto& [name, released] : from.holdback_released) {
    if (released) to->add_holdbacks_released(name);
  }
}

}  // namespace

absl::Status ListContracts(const OrderedStateReader& state, v1::ListContractsResponse* response) {
  for (const auto& [key, bytes] :
       state.Scan(state_keys::kContractPrefix, state_keys::kContractPrefix, SIZE_MAX)) {
    v1::ContractRecord record;
    if (!record.ParseFromString(bytes)) {
      return absl::DataLossError(StrCat("record ", key, " does not decode"));
    }
    v1::ContractSummary* summary = response->add_contracts();
    summary->set_contract_id(record.contract_id());
    summary->set_title(record.title());
    summary->set_status(record.status());
    summary->set_sponsor(record.sponsor());
    summary->set_cro(record.cro());
    summary->set_study(record.study());
    summary->set_fact_count(record.fact_count());
    if (const v1::ContractVersion* active = contracts::ActiveVersion(record)) {
      summary->set_active_version(active->version());
    }
    if (const v1::ContractVersion* pending = contracts::PendingVersion(record)) {
      summary->set_pending_version(pending->version());
    }
  }
  return absl::OkStatus();
}

absl::Status GetContract(const OrderedStateReader& state, const v1::GetContractRequest& request,
                         v1::GetContractResponse* response) {
  absl::StatusOr<v1::ContractRecord> record = Find(state, request.contract_id());
  if (!record.ok()) return record.status();
  for (const v1::ContractVersion& version : record->versions()) {
    absl::StatusOr<v1::StoredCode> code = ReadCode(state, version);
    if (!code.ok()) return code.status();
    absl::StatusOr<v1::ContractMetadata> metadata = contracts::ParseMetadata(code->metadata());
    if (!metadata.ok()) return metadata.status();
    v1::ContractVersionView* view = response->add_versions();
    *view->mutable_version() = version;
    *view->mutable_metadata() = *std::move(metadata);
    view->set_source_name(code->code().source_name());
    if (request.with_source()) view->set_source(code->code().source());
  }
  if (const v1::ContractVersion* active = contracts::ActiveVersion(*record)) {
    absl::StatusOr<contracts::ContractRuntime> runtime = LoadRuntime(state, *active);
    if (!runtime.ok()) return runtime.status();
    absl::StatusOr<contracts::ContractPosition> position =
        runtime->Position(ContractStorage(state, record->contract_id()));
    if (!position.ok()) return position.status();
    FillPosition(*position, response->mutable_position());
  }
  *response->mutable_record() = *std::move(record);
  return absl::OkStatus();
}

absl::Status GetMilestones(const OrderedStateReader& state, const v1::GetMilestonesRequest& request,
                           v1::GetMilestonesResponse* response) {
  absl::StatusOr<v1::ContractRecord> record = Find(state, request.contract_id());
  if (!record.ok()) return record.status();
  const v1::ContractVersion* version = contracts::ActiveVersion(*record);
  if (version == nullptr) version = contracts::PendingVersion(*record);
  if (version == nullptr && record->versions_size() > 0) {
    version = &record->versions(record->versions_size() - 1);
  }
  if (version == nullptr) return absl::DataLossError("the contract record has no version");
  absl::StatusOr<contracts::ContractRuntime> runtime = LoadRuntime(state, *version);
  if (!runtime.ok()) return runtime.status();
  ContractStorage storage(state, record->contract_id());
  absl::StatusOr<std::vector<contracts::MilestoneStatus>> milestones = runtime->Milestones(storage);
  if (!milestones.ok()) return milestones.status();
  std::vector<contracts::LoggedFact> log;
  std::string prefix = SeqPrefix(state_keys::ContractFact(record->contract_id(), 0));
  for (const auto& [key, bytes] : state.Scan(prefix, prefix, SIZE_MAX)) {
    v1::FactRecord fact;
    if (!fact.ParseFromString(bytes)) return absl::DataLossError(StrCat(key, " does not decode"));
    if (fact.outcome().code() == v1::FACT_REJECTED) continue;
    log.push_back({fact.outcome().fact_id(), static_cast<int64_t>(fact.height())});
  }
  absl::Status evidence = runtime->AddContributingEvidence(storage, log, &*milestones);
  if (!evidence.ok()) return evidence;
  response->set_contract_id(record->contract_id());
  response->set_version(version->version());
  for (const contracts::MilestoneStatus& m : *milestones) {
    v1::MilestoneView* view = response->add_milestones();
    view->set_name(m.name);
    view->set_title(m.title);
    view->set_kind(m.kind);
    view->set_condition(m.condition);
    view->set_amount_minor(m.amount_minor);
    view->set_currency(m.currency);
    view->set_status(std::string(contracts::MilestoneStateName(m.state)));
    view->set_constraint_released(m.constraint_released);
    for (const std::string& fact : m.evidence)
      view->add_evidence(fact);
    view->set_completing_fact(m.completing_fact);
    view->set_fact_date_ms(m.fact_date_ms);
    view->set_achieved_height(static_cast<uint64_t>(m.achieved_height));
    view->set_achieved_time_ms(m.achieved_time_ms);
    for (const v1::Milestone& declared : runtime->metadata().milestones()) {
      if (declared.name() == m.name) view->set_obligation(declared.obligation());
    }
    for (const contracts::MilestoneStatus::Missing& missing : m.missing) {
      v1::MissingRequirement* out = view->add_missing();
      out->set_requirement(missing.requirement);
      for (const auto& [counter, value] : missing.now) {
        v1::CounterValue* now = out->add_now();
        now->set_name(counter);
        now->set_value(value);
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ListFacts(const OrderedStateReader& state, const v1::ListFactsRequest& request,
                       v1::ListFactsResponse* response) {
  uint64_t next = 0;
  absl::Status paged = Page<v1::FactRecord>(
      state, request.contract_id(), request.from_seq(), request.limit(), state_keys::ContractFact,
      [&](v1::FactRecord fact) { *response->add_facts() = std::move(fact); }, &next);
  response->set_next_seq(next);
  return paged;
}

absl::Status ListContractEvents(const OrderedStateReader& state,
                                const v1::ListContractEventsRequest& request,
                                v1::ListContractEventsResponse* response) {
  uint64_t next = 0;
  absl::Status paged = Page<v1::EventRecord>(
      state, request.contract_id(), request.from_seq(), request.limit(), state_keys::ContractEvent,
      [&](v1::EventRecord event) { *response->add_events() = std::move(event); }, &next);
  response->set_next_seq(next);
  return paged;
}

}  // namespace tl::ledger
