#include "contract_payloads.h"

#include <cstdio>
#include <cstdlib>

#include "contract_store.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/lifecycle.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/roles.h"

namespace tl::node {
namespace {

// One contract transaction being executed.
struct Call {
  const DecodedTx& tx;
  const v1::MemberRecord& member;
  contracts::Signer signer;
  contracts::BlockContext block;
  uint64_t height;
  StateOverlay& state;
};

// The runtime reports a non-OK status only when the state cannot be read or written, or a stored
// record is corrupt: the node cannot compute the same result as its peers, so it stops, as it
// does on a failed state read (ledger_store.cc).
[[noreturn]] void NodeFault(std::string_view what, const absl::Status& status) {
  std::fprintf(stderr, "fatal: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(status.message().size()), status.message().data());
  std::abort();
}

template <typename T>
T Must(absl::StatusOr<T> value, std::string_view what) {
  if (!value.ok()) NodeFault(what, value.status());
  return *std::move(value);
}

v1::TxResult Refuse(const absl::Status& status) {
  return TxReject(
      absl::IsPermissionDenied(status) ? v1::TX_PERMISSION_DENIED : v1::TX_INVALID_PAYLOAD,
      std::string(MessageOf(status)));
}

v1::TxResult Invalid(std::string message) {
  return TxReject(v1::TX_INVALID_PAYLOAD, std::move(message));
}

bool HasRole(const v1::MemberRecord& member, std::string_view role) {
  for (const std::string& held : member.member().roles()) {
    if (held == role) return true;
  }
  return false;
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
  if (record->status() != wanted) {
    return absl::FailedPreconditionError(
        StrCat("contract ", id, " is ", contracts::ContractStatusName(record->status()),
               "; this needs it ", contracts::ContractStatusName(wanted)));
  }
  return *std::move(record);
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

// Stores the run's events after the record's last one and describes them in `outcome`.
void RecordEvents(const Call& call, int64_t version, const contracts::RunResult& run,
                  v1::ContractRecord& record, v1::ContractOutcome* outcome) {
  outcome->set_contract_id(record.contract_id());
  outcome->set_version(version);
  outcome->set_gas_used(run.gas_used);
  outcome->set_events_hash(std::string(run.events_hash.begin(), run.events_hash.end()));
  outcome->set_first_event_seq(record.event_count() + 1);
  outcome->set_event_count(static_cast<uint32_t>(run.events.size()));
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
  }
}

v1::TxResult Done(v1::ContractOutcome outcome) {
  v1::TxResult result = TxOk();
  *result.mutable_contract() = std::move(outcome);
  return result;
}

v1::TxResult Propose(const Call& call, const v1::ProposeContract& payload) {
  absl::Status valid = contracts::ValidateContractId(payload.contract_id());
  if (!valid.ok()) return Refuse(valid);
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
  std::vector<std::pair<std::string, std::string>> parameters;
  for (const v1::ContractParameter& p : payload.parameters())
    parameters.emplace_back(p.name(), p.value());
  contracts::ContractRuntime runtime =
      Must(contracts::ContractRuntime::Load(*compiled), "loading a freshly compiled contract");
  contracts::MemoryContractState scratch;
  contracts::RunResult trial =
      Must(runtime.Instantiate(scratch, call.block, call.signer, parameters), "instantiating");
  if (!trial.accepted) return Invalid(StrCat("the contract does not instantiate: ", trial.message));

  StoreCode(*compiled, payload.code(), call.state);
  v1::ContractRecord record;
  record.set_contract_id(payload.contract_id());
  record.set_status(v1::CONTRACT_STATUS_PROPOSED);
  record.set_sponsor(metadata.sponsor());
  record.set_cro(metadata.cro());
  record.set_title(metadata.title());
  record.set_study(metadata.study());
  *record.mutable_parameters() = payload.parameters();
  v1::ContractVersion* version = record.add_versions();
  version->set_version(metadata.version());
  version->set_code_hash(compiled->code_hash);
  version->set_source_hash(compiled->metadata.source_hash());
  version->set_status(v1::VERSION_STATUS_PROPOSED);
  *version->mutable_proposed() = Sign(call, "authored", compiled->code_hash);
  WriteContract(record, call.state);
  v1::ContractOutcome outcome;
  outcome.set_contract_id(record.contract_id());
  outcome.set_version(metadata.version());
  return Done(std::move(outcome));
}

// The pending version the payload names, after the approver checks.
absl::StatusOr<v1::ContractVersion*> Approvable(const Call& call, v1::ContractRecord& record,
                                                std::string_view code_hash, int64_t version) {
  v1::ContractVersion* pending = nullptr;
  for (v1::ContractVersion& v : *record.mutable_versions()) {
    if (v.status() == v1::VERSION_STATUS_PROPOSED) pending = &v;
  }
  if (pending == nullptr) {
    return absl::FailedPreconditionError(
        StrCat("contract ", record.contract_id(), " has no version waiting for approval"));
  }
  if (version != 0 && pending->version() != version) {
    return absl::FailedPreconditionError(
        StrCat("the version waiting for approval is ", pending->version(), ", not ", version));
  }
  if (pending->code_hash() != code_hash) {
    return absl::FailedPreconditionError(StrCat("the version waiting for approval has code hash ",
                                                ToHex(pending->code_hash()),
                                                "; the approval names ", ToHex(code_hash)));
  }
  absl::Status may = contracts::MayApprove(record, *pending, call.signer);
  if (!may.ok()) return may;
  return pending;
}

v1::TxResult Accept(const Call& call, const v1::AcceptContract& payload) {
  absl::StatusOr<v1::ContractRecord> record =
      Existing(call.state, payload.contract_id(), v1::CONTRACT_STATUS_PROPOSED);
  if (!record.ok()) return Refuse(record.status());
  absl::StatusOr<v1::ContractVersion*> pending = Approvable(call, *record, payload.code_hash(), 0);
  if (!pending.ok()) return Refuse(pending.status());
  contracts::ContractRuntime runtime =
      Must(LoadRuntimeCached(call.state, **pending), "loading a proposed contract");
  std::vector<std::pair<std::string, std::string>> parameters;
  for (const v1::ContractParameter& p : record->parameters())
    parameters.emplace_back(p.name(), p.value());
  ContractStorage storage(call.state, record->contract_id());
  contracts::RunResult run =
      Must(runtime.Instantiate(storage, call.block, call.signer, parameters), "instantiating");
  if (!run.accepted) return Invalid(StrCat("the contract does not instantiate: ", run.message));
  (*pending)->set_status(v1::VERSION_STATUS_ACTIVE);
  *(*pending)->mutable_accepted() = Sign(call, "approved", payload.code_hash());
  int64_t version = (*pending)->version();
  record->set_status(v1::CONTRACT_STATUS_ACTIVE);
  v1::ContractOutcome outcome;
  RecordEvents(call, version, run, *record, &outcome);
  WriteContract(*record, call.state);
  return Done(std::move(outcome));
}

v1::TxResult ProposeAmendment(const Call& call, const v1::ProposeAmendment& payload) {
  absl::StatusOr<v1::ContractRecord> record =
      Existing(call.state, payload.contract_id(), v1::CONTRACT_STATUS_ACTIVE);
  if (!record.ok()) return Refuse(record.status());
  if (payload.reason().size() > limits::kReasonBytesMax) {
    return Invalid(StrCat("the reason is longer than ", limits::kReasonBytesMax, " bytes"));
  }
  absl::StatusOr<contracts::CompiledContract> compiled = contracts::CompileProposal(payload.code());
  if (!compiled.ok()) return Refuse(compiled.status());
  absl::Status may = contracts::MayPropose(compiled->metadata, call.signer);
  if (!may.ok()) return Refuse(may);
  const v1::ContractVersion* active = contracts::ActiveVersion(*record);
  if (active == nullptr) NodeFault("contract record", absl::DataLossError("no active version"));
  v1::ContractMetadata previous =
      Must(ReadMetadata(call.state, *active), "reading the active version");
  ContractStorage storage(call.state, record->contract_id());
  absl::Status compatible = contracts::CheckAmendment(previous, compiled->metadata, storage);
  if (absl::IsFailedPrecondition(compatible)) return Refuse(compatible);
  if (!compatible.ok()) NodeFault("checking an amendment", compatible);
  int64_t predecessor = active->version();
  for (v1::ContractVersion& v : *record->mutable_versions()) {
    if (v.status() == v1::VERSION_STATUS_PROPOSED) v.set_status(v1::VERSION_STATUS_REPLACED);
  }
  StoreCode(*compiled, payload.code(), call.state);
  v1::ContractVersion* version = record->add_versions();
  version->set_version(compiled->metadata.version());
  version->set_code_hash(compiled->code_hash);
  version->set_source_hash(compiled->metadata.source_hash());
  version->set_status(v1::VERSION_STATUS_PROPOSED);
  *version->mutable_proposed() = Sign(call, "authored", compiled->code_hash);
  version->set_reason(payload.reason());
  version->set_predecessor(predecessor);
  WriteContract(*record, call.state);
  v1::ContractOutcome outcome;
  outcome.set_contract_id(record->contract_id());
  outcome.set_version(compiled->metadata.version());
  return Done(std::move(outcome));
}

v1::TxResult AcceptAmendment(const Call& call, const v1::AcceptAmendment& payload) {
  absl::StatusOr<v1::ContractRecord> record =
      Existing(call.state, payload.contract_id(), v1::CONTRACT_STATUS_ACTIVE);
  if (!record.ok()) return Refuse(record.status());
  if (payload.version() == 0) return Invalid("the approval names no version");
  absl::StatusOr<v1::ContractVersion*> pending =
      Approvable(call, *record, payload.code_hash(), payload.version());
  if (!pending.ok()) return Refuse(pending.status());
  v1::ContractVersion* active = nullptr;
  for (v1::ContractVersion& v : *record->mutable_versions()) {
    if (v.status() == v1::VERSION_STATUS_ACTIVE) active = &v;
  }
  if (active == nullptr) NodeFault("contract record", absl::DataLossError("no active version"));
  v1::ContractMetadata previous =
      Must(ReadMetadata(call.state, *active), "reading the active version");
  contracts::ContractRuntime next =
      Must(LoadRuntimeCached(call.state, **pending), "loading an amendment");
  ContractStorage storage(call.state, record->contract_id());
  contracts::RunResult run =
      Must(next.MigrateFrom(previous, storage, call.block, call.signer), "migrating");
  if (!run.accepted) return Invalid(run.message);
  active->set_status(v1::VERSION_STATUS_SUPERSEDED);
  (*pending)->set_status(v1::VERSION_STATUS_ACTIVE);
  *(*pending)->mutable_accepted() = Sign(call, "approved", payload.code_hash());
  v1::ContractOutcome outcome;
  RecordEvents(call, payload.version(), run, *record, &outcome);
  WriteContract(*record, call.state);
  return Done(std::move(outcome));
}

v1::TxResult Close(const Call& call, const v1::CloseContract& payload) {
  std::optional<v1::ContractRecord> record = ReadContract(call.state, payload.contract_id());
  if (!record.has_value()) {
    return Invalid(StrCat("no contract '", payload.contract_id(), "' on this ledger"));
  }
  absl::Status may = contracts::MayClose(*record, call.signer);
  if (!may.ok()) return Refuse(may);
  if (payload.reason().empty() || payload.reason().size() > limits::kReasonBytesMax) {
    return Invalid(StrCat("closing needs a reason of 1 to ", limits::kReasonBytesMax, " bytes"));
  }
  std::string code_hash;
  for (v1::ContractVersion& v : *record->mutable_versions()) {
    if (v.status() == v1::VERSION_STATUS_PROPOSED) v.set_status(v1::VERSION_STATUS_WITHDRAWN);
    if (v.status() == v1::VERSION_STATUS_ACTIVE) code_hash = v.code_hash();
  }
  record->set_status(v1::CONTRACT_STATUS_CLOSED);
  *record->mutable_closed() = Sign(call, "closed", code_hash);
  record->set_close_reason(payload.reason());
  WriteContract(*record, call.state);
  v1::ContractOutcome outcome;
  outcome.set_contract_id(record->contract_id());
  return Done(std::move(outcome));
}

v1::TxResult SubmitFacts(const Call& call, const v1::FactBatch& batch) {
  absl::StatusOr<v1::ContractRecord> record =
      Existing(call.state, batch.contract_id(), v1::CONTRACT_STATUS_ACTIVE);
  if (!record.ok()) return Refuse(record.status());
  if (batch.facts().empty()) return Invalid("the batch holds no facts");
  const v1::ContractVersion* active = contracts::ActiveVersion(*record);
  if (active == nullptr) NodeFault("contract record", absl::DataLossError("no active version"));
  int64_t version = active->version();
  contracts::ContractRuntime runtime =
      Must(LoadRuntimeCached(call.state, *active), "loading the active version");
  absl::Status bound = contracts::CheckFactBindings(runtime.metadata(), call.signer, batch);
  if (!bound.ok()) return Refuse(bound);
  ContractStorage storage(call.state, record->contract_id());
  contracts::RunResult run =
      Must(runtime.SubmitFacts(storage, call.block, call.signer, batch), "submitting facts");
  if (!run.accepted) return Invalid(run.message);
  if (run.facts.size() != static_cast<size_t>(batch.facts_size())) {
    NodeFault("submitting facts", absl::InternalError("the contract judged a different count"));
  }
  v1::ContractOutcome outcome;
  for (int i = 0; i < batch.facts_size(); ++i) {
    v1::FactRecord stored;
    stored.set_seq(record->fact_count() + 1);
    *stored.mutable_fact() = batch.facts(i);
    v1::FactOutcome* judged = stored.mutable_outcome();
    judged->set_fact_id(contracts::FactId(batch.facts(i)));
    judged->set_code(contracts::ToProto(run.facts[i].outcome));
    judged->set_message(run.facts[i].message);
    stored.set_height(call.height);
    stored.set_time_ms(call.block.time_ms);
    stored.set_tx_id(call.tx.id);
    stored.set_signer_name(call.member.member().name());
    stored.set_signer_organisation(call.member.member().org());
    stored.set_version(version);
    *outcome.add_facts() = *judged;
    call.state.Put(state_keys::ContractFact(record->contract_id(), stored.seq()), Encode(stored));
    record->set_fact_count(stored.seq());
  }
  RecordEvents(call, version, run, *record, &outcome);
  WriteContract(*record, call.state);
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
  const v1::Member& member = signer.member();
  auto denied = [&](std::string_view needs) {
    return TxReject(v1::TX_PERMISSION_DENIED,
                    StrCat("member '", member.name(), "' of '", member.org(), "' lacks ", needs),
                    true);
  };
  switch (body.payload_case()) {
    case v1::TxBody::kProposeContract:
    case v1::TxBody::kProposeAmendment:
      if (HasRole(signer, roles::kFinance) || HasRole(signer, roles::kClinops)) return TxOk();
      return denied("the finance or clinops role that proposing a contract needs");
    case v1::TxBody::kAcceptContract:
    case v1::TxBody::kAcceptAmendment:
    case v1::TxBody::kCloseContract:
      if (HasRole(signer, roles::kFinance)) return TxOk();
      return denied("the finance role that approving or closing a contract needs");
    case v1::TxBody::kSubmitFacts:
      for (const std::string& role : member.roles()) {
        if (role.starts_with("oracle:")) return TxOk();
      }
      return denied("an oracle role, which submitting facts needs");
    default:
      return TxReject(v1::TX_MALFORMED, "not a contract payload", true);
  }
}

v1::TxResult ExecuteContractPayload(const DecodedTx& tx, const v1::MemberRecord& signer,
                                    const TxContext& context, StateOverlay& overlay) {
  contracts::Signer who{signer.member().public_key(),
                        signer.member().org(),
                        {signer.member().roles().begin(), signer.member().roles().end()}};
  Call call{tx,
            signer,
            std::move(who),
            {static_cast<int64_t>(context.height), context.block_time_ms},
            context.height,
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

}  // namespace tl::node
