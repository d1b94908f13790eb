// The contract lifecycle's rules: who may propose, approve, amend and close a contract and report
// its facts (the role table), what a proposal must carry, and the transitions of the contract
// record (contract_ledger.proto). Pure functions over records; the node reads and writes them
// (node/ledger/contract_payloads.cc) and calls the same table at admission and at apply.
//
// Maker-checker (docs/contracts-on-ledger.md): a finance or clinops member of one party proposes,
// a finance member of the other party approves. Every status here is PermissionDenied (the
// signer may not do this) or FailedPrecondition / InvalidArgument (the payload or the record does
// not allow it), with a message that names what and why.
//
//   absl::Status may = MayAct(ContractAction::kApprove, signer);        // admission: roles alone
//   absl::StatusOr<ContractVersion*> pending = Approvable(record, code_hash, 0, signer);
//   ApproveVersion(record, **pending, approval_signature);               // apply
#ifndef TRIALLEDGER_CONTRACTS_LIFECYCLE_H_
#define TRIALLEDGER_CONTRACTS_LIFECYCLE_H_

#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/contracts/compiler.h"
#include "trialledger/contracts/runtime.h"
#include "trialledger/v1/contract_ledger.pb.h"

namespace tl::contracts {

// ---- The role table -------------------------------------------------------------------------

enum class ContractAction {
  kPropose,      // ProposeContract, ProposeAmendment
  kApprove,      // AcceptContract, AcceptAmendment
  kClose,        // CloseContract (also withdraws or declines a proposal)
  kSubmitFacts,  // SubmitFacts
};

// Which organisation the signer must belong to, besides holding a role.
enum class ContractParty {
  kEither,     // the sponsor or the CRO of the contract
  kOther,      // the party that did not propose the version in question
  kFeedOwner,  // the organisation the contract binds the fact kind's feed to
};

struct ContractActionRule {
  ContractAction action;
  std::string_view what;                    // "approving a contract or an amendment"
  std::span<const std::string_view> roles;  // the signer holds at least one
  std::string_view roles_text;              // "the finance role"
  ContractParty party;
};

// The rule of `action`: one row of the table (docs/network-config.md lists it for operators).
const ContractActionRule& RuleOf(ContractAction action);
std::span<const ContractActionRule> ContractActionRules();

// The signer holds a role the action needs (what admission checks before the records are read).
absl::Status MayAct(ContractAction action, const Signer& signer);

// Role and party: the proposer belongs to the SOW's sponsor or CRO.
absl::Status MayPropose(const trialledger::v1::ContractMetadata& metadata, const Signer& signer);
// Role and party: the approver belongs to the party that did not propose `version`.
absl::Status MayApprove(const trialledger::v1::ContractRecord& record,
                        const trialledger::v1::ContractVersion& version, const Signer& signer);
// Role and party, and the contract is not closed already.
absl::Status MayClose(const trialledger::v1::ContractRecord& record, const Signer& signer);
// Every fact kind in the batch (retractions aside: the contract checks those against the fact
// they retract) is bound by the contract to the signer's organisation and one of its roles.
absl::Status CheckFactBindings(const trialledger::v1::ContractMetadata& metadata,
                               const Signer& signer, const trialledger::v1::FactBatch& batch);

// ---- Proposals --------------------------------------------------------------------------------

// [a-z0-9][a-z0-9._-]*, at most kContractIdBytesMax bytes: it appears in state keys and on
// command lines.
absl::Status ValidateContractId(std::string_view contract_id);

// Compiles `code.source` and checks that it gives exactly `code.module` and `code.code_hash`, so
// that what runs is what the signers read. InvalidArgument with the compiler's diagnostic or the
// mismatch.
absl::StatusOr<CompiledContract> CompileProposal(const trialledger::v1::ContractCode& code);

// ---- The contract record ----------------------------------------------------------------------
//
//   PROPOSED --ApproveVersion--> ACTIVE --CloseRecord--> CLOSED
//   PROPOSED --CloseRecord--> CLOSED                     (a proposal withdrawn or declined)
//   ACTIVE: ProposeVersion adds a PROPOSED version (replacing a pending one); ApproveVersion
//           makes it ACTIVE and the one before it SUPERSEDED.

// FailedPrecondition unless the record has `wanted` status ("contract X is proposed; this needs
// it active").
absl::Status RequireStatus(const trialledger::v1::ContractRecord& record,
                           trialledger::v1::ContractStatus wanted);

// A new record for a proposed contract: status PROPOSED, one PROPOSED version signed `authored`,
// to take effect on `effective_date_ms` (0: the day it is accepted).
trialledger::v1::ContractRecord NewContractRecord(
    std::string_view contract_id, const CompiledContract& compiled,
    const google::protobuf::RepeatedPtrField<trialledger::v1::ContractParameter>& parameters,
    trialledger::v1::ContractSignature authored, int64_t effective_date_ms);

// Adds an amendment's version to an active record: a pending proposal becomes REPLACED, the new
// version is PROPOSED with the active version as its predecessor. REQUIRES: record is ACTIVE.
void ProposeVersion(trialledger::v1::ContractRecord& record, const CompiledContract& compiled,
                    trialledger::v1::ContractSignature authored, std::string_view reason,
                    int64_t effective_date_ms);

// The version waiting for approval that an approval names (by code hash, and by number unless
// `version` is 0), once MayApprove holds for `signer`.
absl::StatusOr<trialledger::v1::ContractVersion*> Approvable(
    trialledger::v1::ContractRecord& record, std::string_view code_hash, int64_t version,
    const Signer& signer);

// The pending version becomes ACTIVE (the active one, if any, SUPERSEDED) and the record ACTIVE,
// effective from the date it was proposed with, or `accepted_day_ms` when it named none.
// REQUIRES: `pending` is the record's PROPOSED version.
void ApproveVersion(trialledger::v1::ContractRecord& record,
                    trialledger::v1::ContractVersion& pending,
                    trialledger::v1::ContractSignature approved, int64_t accepted_day_ms);

// Closes the record: a pending version is WITHDRAWN, the record CLOSED with its reason.
// `closed` signs the active version's code hash (empty if none was ever active).
void CloseRecord(trialledger::v1::ContractRecord& record, trialledger::v1::ContractSignature closed,
                 std::string_view reason);

// The version waiting for approval, or the active one; nullptr when there is none.
const trialledger::v1::ContractVersion* PendingVersion(
    const trialledger::v1::ContractRecord& record);
const trialledger::v1::ContractVersion* ActiveVersion(
    const trialledger::v1::ContractRecord& record);

std::string_view ContractStatusName(trialledger::v1::ContractStatus status);
std::string_view VersionStatusName(trialledger::v1::VersionStatus status);

// "<source_system>/<source_record_id>", the id evidence and outcomes use.
std::string FactId(const trialledger::v1::Fact& fact);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_LIFECYCLE_H_
