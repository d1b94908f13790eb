// The contract lifecycle's rules: who may propose, approve, amend and close a contract, what a
// proposal must carry, and which oracle may report which facts. Pure functions over the records
// (contract_ledger.proto); the node reads and writes the records (node/src/contract_payloads.cc).
//
// Maker-checker (docs/contracts-on-ledger.md): a finance or clinops member of one party proposes,
// a finance member of the other party approves. Every status here is PermissionDenied (the
// signer may not do this) or FailedPrecondition / InvalidArgument (the payload or the record does
// not allow it), with a message that names what and why.
#ifndef TRIALLEDGER_CONTRACTS_LIFECYCLE_H_
#define TRIALLEDGER_CONTRACTS_LIFECYCLE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/contracts/compiler.h"
#include "trialledger/contracts/runtime.h"
#include "trialledger/v1/contract_ledger.pb.h"

namespace tl::contracts {

// [a-z0-9][a-z0-9._-]*, at most 64 bytes: it appears in state keys and on command lines.
absl::Status ValidateContractId(std::string_view contract_id);

// Compiles `code.source` and checks that it gives exactly `code.module` and `code.code_hash`, so
// that what runs is what the signers read. InvalidArgument with the compiler's diagnostic or the
// mismatch.
absl::StatusOr<CompiledContract> CompileProposal(const trialledger::v1::ContractCode& code);

// A proposer holds `finance` or `clinops` in the SOW's sponsor or CRO organisation.
absl::Status MayPropose(const trialledger::v1::ContractMetadata& metadata, const Signer& signer);

// An approver holds `finance` in the party that did not propose `version`.
absl::Status MayApprove(const trialledger::v1::ContractRecord& record,
                        const trialledger::v1::ContractVersion& version, const Signer& signer);

// Either party's `finance` member may close (or withdraw or decline) a contract that is not closed.
absl::Status MayClose(const trialledger::v1::ContractRecord& record, const Signer& signer);

// Every fact kind in the batch (retractions aside: the contract checks those against the fact
// they retract) is bound by the contract to the signer's organisation and one of its roles.
absl::Status CheckFactBindings(const trialledger::v1::ContractMetadata& metadata,
                               const Signer& signer, const trialledger::v1::FactBatch& batch);

// The version waiting for approval, or the active one; nullptr when there is none.
const trialledger::v1::ContractVersion* PendingVersion(
    const trialledger::v1::ContractRecord& record);
const trialledger::v1::ContractVersion* ActiveVersion(
    const trialledger::v1::ContractRecord& record);

// "<source_system>/<source_record_id>", the id evidence and outcomes use.
std::string FactId(const trialledger::v1::Fact& fact);
trialledger::v1::FactOutcomeCode ToProto(FactOutcome outcome);
trialledger::v1::ContractEvent ToProto(const vm::Event& event);
std::string_view ContractStatusName(trialledger::v1::ContractStatus status);
std::string_view VersionStatusName(trialledger::v1::VersionStatus status);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_LIFECYCLE_H_
