#include "contract_payloads.h"

#include "contract_books.h"
#include "trialledger/base/check.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/lifecycle.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/ledger/contract_records.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"

namespace tl::ledger {
namespace {

// One contract transaction being executed.
struct Call {
  const DecodedTx& tx;
  const v1::MemberRecord& member;
  contracts::Signer signer;
  contracts::BlockContext block;
  uint64_t height;
  TxContext context;
  StateOverlay& state;
};

// A refusal of the transaction (a rejected result), as opposed to a storage fault (an error
// status, which ends the block's application).
v1::TxResult Refuse(const absl::Status& status) {
  return TxReject(
      absl::IsPermissionDenied(status) ? v1::TX_PERMISSION_DENIED : v1::TX_INVALID_PAYLOAD,
      std::string(MessageOf(status)));
}

v1::TxResult Invalid(std::string message) {
  return TxReject(v1::TX_INVALID_PAYLOAD, std::move(message));
}

// The runtime reports a non-OK status only when the state cannot be read or written, or a stored
// record is corrupt: this node cannot compute the result its peers compute. Such a status travels
// up to ApplyBlock, and the replica stops on it. An I/O error stays Unavailable; anything else
// (a record that does not decode, a module that no longer loads) is DataLoss, never the
// InvalidArgument of a refused block.
absl::Status StorageFault(std::string_view what, const absl::Status& status) {
  return absl::Status(
      absl::IsUnavailable(status) ? absl::StatusCode::kUnavailable : absl::StatusCode::kDataLoss,
      StrCat(what, ": ", status.message()));
}

contracts::ContractAction ActionOf(v1::TxBody::PayloadCase payload) {
  switch (payload) {
    case v1::TxBody::kProposeContract:
    case v1::TxBody::kProposeAmendment:
      return contracts::ContractAction::kPropose;
    case v1::TxBody::kAcceptContract:
    case v1::TxBody::kAcceptAmendment:
      return contracts::ContractAction::kApprove;
    case v1::TxBody::kCloseContract:
      return contracts::ContractAction::kClose;
    case v1::TxBody::kSubmitFacts:
      return contracts::ContractAction::kSubmitFacts;
    default:
      TL_UNREACHABLE("only contract payloads have a contract action");
  }
}

contracts::Signer SignerOf(const v1::Member& member) {
  return {member.public_key(), member.org(), {member.roles().begin(), member.roles().end()}};
}

v1::ContractSignature Sign(const Call& call, std::string_view meaning, std::string code_hash) {
  v1::ContractSignature signature;
  const v1::Member& member = call.member.member();
  signature.set_signer_name(member.name());
  signature.set_display_name(member.display_name().empty() ? member.name() : member.display_name());
  signature.set_organisation(member.org());
  signature.set_public_key(member.public_key());
  signature.set_meaning(std::string(meaning));
  signature.set_height(call.height);
  signature.set_time_ms(call.block.time_ms);
  signature.set_code_hash(std::move(code_hash));
  signature.set_tx_id(call.tx.id);
  return signature;
}

absl::Status CheckOrganisation(const StateReader& state, std::string_view name, v1::OrgKind kind,
                               std::string_view as) {
  std::optional<std::string> bytes = state.Get(state_keys::Org(name));
  v1::Organization org;
  if (!bytes.has_value() || !org.ParseFromString(*bytes)) {
    return absl::InvalidArgumentError(
        StrCat("the SOW's ", as, " '", name, "' is not an organisation of this network"));
  }
  if (org.kind() != kind) {
    return absl::InvalidArgumentError(
        StrCat("the SOW's ", as, " '", name, "' is not registered as a ", as));
  }
  return absl::OkStatus();
}

// The record a transaction acts on, or the reason it cannot.
absl::StatusOr<v1::ContractRecord> Existing(const StateReader& state, std::string_view id,
                                            v1::ContractStatus wanted) {
  std::optional<v1::ContractRecord> record = ReadContract(state, id);
  if (!record.has_value()) {
    return absl::InvalidArgumentError(StrCat("no contract '", id, "' on this ledger"));
  }
  if (absl::Status status = contracts::RequireStatus(*record, wanted); !status.ok()) return status;
  return *std::move(record);
}

// The active version of an active record. Its absence is a corrupt record.
absl::StatusOr<const v1::ContractVersion*> Active(const v1::ContractRecord& record) {
  const v1::ContractVersion* active = contracts::ActiveVersion(record);
  if (active == nullptr) {
    return absl::DataLossError(
        StrCat("contract ", record.contract_id(), " is active but has no active version"));
  }
  return active;
}

void StoreCode(const contracts::CompiledContract& compiled, const v1::ContractCode& code,
               StateOverlay& state) {
  std::string key = state_keys::ContractCode(compiled.code_hash, compiled.metadata.source_hash());
  if (state.Get(key).has_value()) return;
  v1::StoredCode stored;
  *stored.mutable_code() = code;
  stored.set_metadata(contracts::SerializeMetadata(compiled.metadata));
  state.Put(std::move(key), Encode(stored));
}

std::vector<std::pair<std::string, std::string>> Parameters(
    const google::protobuf::RepeatedPtrField<v1::ContractParameter>& parameters) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const v1::ContractParameter& p : parameters)
    out.emplace_back(p.name(), p.value());
  return out;
}

// Stores the run's events after the record's last one, describes them in `outcome`, and returns
// them as stored (for the books).
std::vector<v1::EventRecord> RecordEvents(const Call& call, int64_t version,
                                          const contracts::RunResult& run,
                                          v1::ContractRecord& record,
                                          v1::ContractOutcome* outcome) {
  outcome->set_contract_id(record.contract_id());
  outcome->set_version(version);
  outcome->set_gas_used(run.gas_used);
  outcome->set_events_hash(std::string(run.events_hash.begin(), run.events_hash.end()));
  outcome->set_first_event_seq(record.event_count() + 1);
  outcome->set_event_count(static_cast<uint32_t>(run.events.size()));
  std::vector<v1::EventRecord> recorded;
  recorded.reserve(run.events.size());
  for (const vm::Event& event : run.events) {
    v1::EventRecord stored;
    stored.set_seq(record.event_count() + 1);
    *stored.mutable_event() = contracts::ToProto(event);
    stored.set_height(call.height);
    stored.set_time_ms(call.block.time_ms);
    stored.set_tx_id(call.tx.id);
    stored.set_version(version);
    call.state.Put(state_keys::ContractEvent(record.contract_id(), stored.seq()), Encode(stored));
    record.set_event_count(stored.seq());
    recorded.push_back(std::move(stored));
  }
  return recorded;
}

// A business date given in a payload: a whole day (00:00 UTC) in the calendar's range, or 0.
absl::Status CheckEffectiveDate(int64_t date_ms) {
  if (date_ms == 0) return absl::OkStatus();
  const CivilDate day = CivilFromMs(date_ms);
  if (StartOfDayMs(date_ms) != date_ms || !IsValidDate(day.year, day.month, day.day)) {
    return absl::InvalidArgumentError(
        StrCat("effective date ", date_ms, " is not the start of a day (00:00 UTC, from 1970)"));
  }
  return absl::OkStatus();
}

// What the books made of a run: OK, a refusal of the transaction, or a fault (the node stops).
std::optional<absl::StatusOr<v1::TxResult>> BooksVerdict(const absl::Status& posted) {
  if (posted.ok()) return std::nullopt;
  if (IsBooksRefusal(posted)) return Refuse(posted);
  return absl::StatusOr<v1::TxResult>(posted);
}

v1::TxResult Done(v1::ContractOutcome outcome) {
  v1::TxResult result = TxOk();
  *result.mutable_contract() = std::move(outcome);
  return result;
}

absl::StatusOr<v1::TxResult> Propose(const Call& call, const v1::ProposeContract& payload) {
  absl::Status valid = contracts::ValidateContractId(payload.contract_id());
  if (!valid.ok()) return Refuse(valid);
  if (absl::Status date = CheckEffectiveDate(payload.effective_date_ms()); !date.ok()) {
    return Refuse(date);
  }
  if (ReadContract(call.state, payload.contract_id()).has_value()) {
    return Invalid(StrCat("contract '", payload.contract_id(), "' already exists"));
  }
  absl::StatusOr<contracts::CompiledContract> compiled = contracts::CompileProposal(payload.code());
  if (!compiled.ok()) return Refuse(compiled.status());
  const v1::ContractMetadata& metadata = compiled->metadata;
  for (absl::Status check :
       {contracts::MayPropose(metadata, call.signer),
        CheckOrganisation(call.state, metadata.sponsor(), v1::ORG_KIND_SPONSOR, "sponsor"),
        CheckOrganisation(call.state, metadata.cro(), v1::ORG_KIND_CRO, "CRO")}) {
    if (!check.ok()) return Refuse(check);
  }
  // The parameters are checked now, on a scratch state, so that a proposal the other party can
  // approve is one that will instantiate.
  absl::StatusOr<contracts::ContractRuntime> runtime = contracts::ContractRuntime::Load(*compiled);
  if (!runtime.ok()) return StorageFault("loading a freshly compiled contract", runtime.status());
  contracts::MemoryContractState scratch;
  absl::StatusOr<contracts::RunResult> trial =
      runtime->Instantiate(scratch, call.block, call.signer, Parameters(payload.parameters()));
  if (!trial.ok()) return StorageFault("instantiating on a scratch state", trial.status());
  if (!trial->accepted) {
    return Invalid(StrCat("the contract does not instantiate: ", trial->message));
  }
  StoreCode(*compiled, payload.code(), call.state);
  v1::ContractRecord record = contracts::NewContractRecord(
      payload.contract_id(), *compiled, payload.parameters(),
      Sign(call, "authored", compiled->code_hash), payload.effective_date_ms());
  WriteContract(record, call.state);
  v1::ContractOutcome outcome;
  outcome.set_contract_id(record.contract_id());
  outcome.set_version(metadata.version());
  return Done(std::move(outcome));
}

absl::StatusOr<v1::TxResult> Accept(const Call& call, const v1::AcceptContract& payload) {
  absl::StatusOr<v1::ContractRecord> record =
      Existing(call.state, payload.contract_id(), v1::CONTRACT_STATUS_PROPOSED);
  if (!record.ok()) return Refuse(record.status());
  absl::StatusOr<v1::ContractVersion*> pending =
      contracts::Approvable(*record, payload.code_hash(), 0, call.signer);
  if (!pending.ok()) return Refuse(pending.status());
  absl::StatusOr<contracts::ContractRuntime> runtime = LoadRuntimeCached(call.state, **pending);
  if (!runtime.ok()) return StorageFault("loading a proposed contract", runtime.status());
  ContractStorage storage(call.state, record->contract_id());
  absl::StatusOr<contracts::RunResult> run =
      runtime->Instantiate(storage, call.block, call.signer, Parameters(record->parameters()));
  if (!run.ok()) return StorageFault("instantiating", run.status());
  if (!run->accepted) return Invalid(StrCat("the contract does not instantiate: ", run->message));
  const int64_t version = (*pending)->version();
  contracts::ApproveVersion(*record, **pending, Sign(call, "approved", payload.code_hash()),
                            StartOfDayMs(call.block.time_ms));
  const int64_t effective_date_ms = (*pending)->effective_date_ms();
  v1::ContractOutcome outcome;
  std::vector<v1::EventRecord> events = RecordEvents(call, version, *run, *record, &outcome);
  WriteContract(*record, call.state);
  absl::Status posted =
      PostVersionRun({*record, runtime->metadata(), std::move(events), call.tx.id, call.context},
                     effective_date_ms, call.state);
  if (auto verdict = BooksVerdict(posted)) return *verdict;
  return Done(std::move(outcome));
}

absl::StatusOr<v1::TxResult> ProposeAmendment(const Call& call,
                                              const v1::ProposeAmendment& payload) {
  absl::StatusOr<v1::ContractRecord> record =
      Existing(call.state, payload.contract_id(), v1::CONTRACT_STATUS_ACTIVE);
  if (!record.ok()) return Refuse(record.status());
  if (payload.reason().size() > limits::kReasonBytesMax) {
    return Invalid(StrCat("the reason is longer than ", limits::kReasonBytesMax, " bytes"));
  }
  if (absl::Status date = CheckEffectiveDate(payload.effective_date_ms()); !date.ok()) {
    return Refuse(date);
  }
  absl::StatusOr<contracts::CompiledContract> compiled = contracts::CompileProposal(payload.code());
  if (!compiled.ok()) return Refuse(compiled.status());
  absl::Status may = contracts::MayPropose(compiled->metadata, call.signer);
  if (!may.ok()) return Refuse(may);
  if (std::optional<v1::ContractBooks> books = ReadContractBooks(call.state, record->contract_id());
      books.has_value() && payload.effective_date_ms() != 0 &&
      payload.effective_date_ms() < books->latest_fact_date_ms()) {
    return Invalid(StrCat("the change order would take effect on ",
                          FormatIsoDate(payload.effective_date_ms()),
                          ", before facts already applied (the latest dated ",
                          FormatIsoDate(books->latest_fact_date_ms()), ")"));
  }
  absl::StatusOr<const v1::ContractVersion*> active = Active(*record);
  if (!active.ok()) return active.status();
  absl::StatusOr<v1::ContractMetadata> previous = ReadMetadata(call.state, **active);
  if (!previous.ok()) return StorageFault("reading the active version", previous.status());
  ContractStorage storage(call.state, record->contract_id());
  absl::Status compatible = contracts::CheckAmendment(*previous, compiled->metadata, storage);
  if (absl::IsFailedPrecondition(compatible)) return Refuse(compatible);
  if (!compatible.ok()) return StorageFault("checking an amendment", compatible);
  StoreCode(*compiled, payload.code(), call.state);
  contracts::ProposeVersion(*record, *compiled, Sign(call, "authored", compiled->code_hash),
                            payload.reason(), payload.effective_date_ms());
  WriteContract(*record, call.state);
  v1::ContractOutcome outcome;
  outcome.set_contract_id(record->contract_id());
  outcome.set_version(compiled->metadata.version());
  return Done(std::move(outcome));
}

absl::StatusOr<v1::TxResult> AcceptAmendment(const Call& call, const v1::AcceptAmendment& payload) {
  absl::StatusOr<v1::ContractRecord> record =
      Existing(call.state, payload.contract_id(), v1::CONTRACT_STATUS_ACTIVE);
  if (!record.ok()) return Refuse(record.status());
  if (payload.version() == 0) return Invalid("the approval names no version");
  absl::StatusOr<v1::ContractVersion*> pending =
      contracts::Approvable(*record, payload.code_hash(), payload.version(), call.signer);
  if (!pending.ok()) return Refuse(pending.status());
  absl::StatusOr<const v1::ContractVersion*> active = Active(*record);
  if (!active.ok()) return active.status();
  absl::StatusOr<v1::ContractMetadata> previous = ReadMetadata(call.state, **active);
  if (!previous.ok()) return StorageFault("reading the active version", previous.status());
  absl::StatusOr<contracts::ContractRuntime> next = LoadRuntimeCached(call.state, **pending);
  if (!next.ok()) return StorageFault("loading an amendment", next.status());
  ContractStorage storage(call.state, record->contract_id());
  absl::StatusOr<contracts::RunResult> run =
      next->MigrateFrom(*previous, storage, call.block, call.signer);
  if (!run.ok()) return StorageFault("migrating", run.status());
  if (!run->accepted) return Invalid(run->message);
  contracts::ApproveVersion(*record, **pending, Sign(call, "approved", payload.code_hash()),
                            StartOfDayMs(call.block.time_ms));
  const int64_t effective_date_ms = (*pending)->effective_date_ms();
  v1::ContractOutcome outcome;
  std::vector<v1::EventRecord> events =
      RecordEvents(call, payload.version(), *run, *record, &outcome);
  WriteContract(*record, call.state);
  absl::Status posted =
      PostVersionRun({*record, next->metadata(), std::move(events), call.tx.id, call.context},
                     effective_date_ms, call.state);
  if (auto verdict = BooksVerdict(posted)) return *verdict;
  return Done(std::move(outcome));
}

absl::StatusOr<v1::TxResult> Close(const Call& call, const v1::CloseContract& payload) {
  std::optional<v1::ContractRecord> record = ReadContract(call.state, payload.contract_id());
  if (!record.has_value()) {
    return Invalid(StrCat("no contract '", payload.contract_id(), "' on this ledger"));
  }
  absl::Status may = contracts::MayClose(*record, call.signer);
  if (!may.ok()) return Refuse(may);
  if (payload.reason().empty() || payload.reason().size() > limits::kReasonBytesMax) {
    return Invalid(StrCat("closing needs a reason of 1 to ", limits::kReasonBytesMax, " bytes"));
  }
  const v1::ContractVersion* active = contracts::ActiveVersion(*record);
  contracts::CloseRecord(*record, Sign(call, "closed", active ? active->code_hash() : ""),
                         payload.reason());
  WriteContract(*record, call.state);
  v1::ContractOutcome outcome;
  outcome.set_contract_id(record->contract_id());
  return Done(std::move(outcome));
}

absl::StatusOr<v1::TxResult> SubmitFacts(const Call& call, const v1::FactBatch& batch) {
  absl::StatusOr<v1::ContractRecord> record =
      Existing(call.state, batch.contract_id(), v1::CONTRACT_STATUS_ACTIVE);
  if (!record.ok()) return Refuse(record.status());
  if (batch.facts().empty()) return Invalid("the batch holds no facts");
  absl::StatusOr<const v1::ContractVersion*> active = Active(*record);
  if (!active.ok()) return active.status();
  const int64_t version = (*active)->version();
  absl::StatusOr<contracts::ContractRuntime> runtime = LoadRuntimeCached(call.state, **active);
  if (!runtime.ok()) return StorageFault("loading the active version", runtime.status());
  absl::Status bound = contracts::CheckFactBindings(runtime->metadata(), call.signer, batch);
  if (!bound.ok()) return Refuse(bound);
  ContractStorage storage(call.state, record->contract_id());
  absl::StatusOr<contracts::RunResult> run =
      runtime->SubmitFacts(storage, call.block, call.signer, batch);
  if (!run.ok()) return StorageFault("submitting facts", run.status());
  if (!run->accepted) return Invalid(run->message);
  // The contract judges every fact it is given, one result each: anything else is a runtime bug.
  TL_CHECK(run->facts.size() == static_cast<size_t>(batch.facts_size()));
  v1::ContractOutcome outcome;
  for (int i = 0; i < batch.facts_size(); ++i) {
    v1::FactRecord stored;
    stored.set_seq(record->fact_count() + 1);
    *stored.mutable_fact() = batch.facts(i);
    v1::FactOutcome* judged = stored.mutable_outcome();
    judged->set_fact_id(contracts::FactId(batch.facts(i)));
    judged->set_code(contracts::ToProto(run->facts[i].outcome));
    judged->set_message(run->facts[i].message);
    stored.set_height(call.height);
    stored.set_time_ms(call.block.time_ms);
    stored.set_tx_id(call.tx.id);
    stored.set_signer_name(call.member.member().name());
    stored.set_signer_organisation(call.member.member().org());
    stored.set_version(version);
    *outcome.add_facts() = *judged;
    call.state.Put(state_keys::ContractFact(record->contract_id(), stored.seq()), Encode(stored));
    // The index points at the record that last changed something: a duplicate or a rejected
    // correction leaves it where it was (a fact only ever rejected is indexed as such).
    const bool changed = contracts::FactOutcomeTakesEffect(judged->code());
    if (changed || (judged->code() == v1::FACT_REJECTED &&
                    !ReadFactById(call.state, record->contract_id(), judged->fact_id()))) {
      IndexFact(record->contract_id(), stored, call.state);
    }
    record->set_fact_count(stored.seq());
  }
  std::vector<v1::EventRecord> events = RecordEvents(call, version, *run, *record, &outcome);
  WriteContract(*record, call.state);
  absl::Status posted =
      PostFactsRun({*record, runtime->metadata(), std::move(events), call.tx.id, call.context},
                   batch, outcome, call.state);
  if (auto verdict = BooksVerdict(posted)) return *verdict;
  return Done(std::move(outcome));
}

}  // namespace

bool IsContractPayload(v1::TxBody::PayloadCase payload) {
  switch (payload) {
    case v1::TxBody::kProposeContract:
    case v1::TxBody::kAcceptContract:
    case v1::TxBody::kProposeAmendment:
    case v1::TxBody::kAcceptAmendment:
    case v1::TxBody::kCloseContract:
    case v1::TxBody::kSubmitFacts:
      return true;
    default:
      return false;
  }
}

v1::TxResult CheckContractRole(const v1::TxBody& body, const v1::MemberRecord& signer) {
  TL_CHECK(IsContractPayload(body.payload_case()));
  absl::Status may = contracts::MayAct(ActionOf(body.payload_case()), SignerOf(signer.member()));
  if (may.ok()) return TxOk();
  return TxReject(v1::TX_PERMISSION_DENIED, std::string(MessageOf(may)), true);
}

absl::StatusOr<v1::TxResult> ExecuteContractPayload(const DecodedTx& tx,
                                                    const v1::MemberRecord& signer,
                                                    const TxContext& context,
                                                    StateOverlay& overlay) {
  Call call{tx,
            signer,
            SignerOf(signer.member()),
            {static_cast<int64_t>(context.height), context.block_time_ms},
            context.height,
            context,
            overlay};
  const v1::TxBody& body = tx.body;
  switch (body.payload_case()) {
    case v1::TxBody::kProposeContract:
      return Propose(call, body.propose_contract());
    case v1::TxBody::kAcceptContract:
      return Accept(call, body.accept_contract());
    case v1::TxBody::kProposeAmendment:
      return ProposeAmendment(call, body.propose_amendment());
    case v1::TxBody::kAcceptAmendment:
      return AcceptAmendment(call, body.accept_amendment());
    case v1::TxBody::kCloseContract:
      return Close(call, body.close_contract());
    case v1::TxBody::kSubmitFacts:
      return SubmitFacts(call, body.submit_facts());
    default:
      return TxReject(v1::TX_MALFORMED, "not a contract payload");
  }
}

}  // namespace tl::ledger
