// The contract record's transitions (lifecycle.h), pure functions of the record: the node reads
// the record, checks the signer with the role table, applies one of these and writes it back.
#include "trialledger/base/check.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/lifecycle.h"

namespace tl::contracts {

using trialledger::v1::ContractRecord;
using trialledger::v1::ContractSignature;
using trialledger::v1::ContractVersion;

absl::Status RequireStatus(const ContractRecord& record, trialledger::v1::ContractStatus wanted) {
  if (record.status() == wanted) return absl::OkStatus();
  return absl::FailedPreconditionError(StrCat("contract ", record.contract_id(), " is ",
                                              ContractStatusName(record.status()),
                                              "; this needs it ", ContractStatusName(wanted)));
}

ContractRecord NewContractRecord(
    std::string_view contract_id, const CompiledContract& compiled,
    const google::protobuf::RepeatedPtrField<trialledger::v1::ContractParameter>& parameters,
    ContractSignature authored, int64_t effective_date_ms) {
  const trialledger::v1::ContractMetadata& metadata = compiled.metadata;
  ContractRecord record;
  record.set_contract_id(std::string(contract_id));
  record.set_status(trialledger::v1::CONTRACT_STATUS_PROPOSED);
  record.set_sponsor(metadata.sponsor());
  record.set_cro(metadata.cro());
  record.set_title(metadata.title());
  record.set_study(metadata.study());
  *record.mutable_parameters() = parameters;
  ContractVersion* version = record.add_versions();
  version->set_version(metadata.version());
  version->set_code_hash(compiled.code_hash);
  version->set_source_hash(metadata.source_hash());
  version->set_status(trialledger::v1::VERSION_STATUS_PROPOSED);
  *version->mutable_proposed() = std::move(authored);
  version->set_effective_date_ms(effective_date_ms);
  return record;
}

void ProposeVersion(ContractRecord& record, const CompiledContract& compiled,
                    ContractSignature authored, std::string_view reason,
                    int64_t effective_date_ms) {
  TL_CHECK(record.status() == trialledger::v1::CONTRACT_STATUS_ACTIVE);
  const ContractVersion* active = ActiveVersion(record);
  TL_CHECK_MSG(active != nullptr, "an active contract has an active version");
  const int64_t predecessor = active->version();
  for (ContractVersion& v : *record.mutable_versions()) {
    if (v.status() == trialledger::v1::VERSION_STATUS_PROPOSED) {
      v.set_status(trialledger::v1::VERSION_STATUS_REPLACED);
    }
  }
  ContractVersion* version = record.add_versions();
  version->set_version(compiled.metadata.version());
  version->set_code_hash(compiled.code_hash);
  version->set_source_hash(compiled.metadata.source_hash());
  version->set_status(trialledger::v1::VERSION_STATUS_PROPOSED);
  *version->mutable_proposed() = std::move(authored);
  version->set_reason(std::string(reason));
  version->set_predecessor(predecessor);
  version->set_effective_date_ms(effective_date_ms);
}

absl::StatusOr<ContractVersion*> Approvable(ContractRecord& record, std::string_view code_hash,
                                            int64_t version, const Signer& signer) {
  ContractVersion* pending = nullptr;
  for (ContractVersion& v : *record.mutable_versions()) {
    if (v.status() == trialledger::v1::VERSION_STATUS_PROPOSED) pending = &v;
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
  absl::Status may = MayApprove(record, *pending, signer);
  if (!may.ok()) return may;
  return pending;
}

void ApproveVersion(ContractRecord& record, ContractVersion& pending, ContractSignature approved,
                    int64_t accepted_day_ms) {
  TL_CHECK(pending.status() == trialledger::v1::VERSION_STATUS_PROPOSED);
  for (ContractVersion& v : *record.mutable_versions()) {
    if (v.status() == trialledger::v1::VERSION_STATUS_ACTIVE) {
      v.set_status(trialledger::v1::VERSION_STATUS_SUPERSEDED);
    }
  }
  pending.set_status(trialledger::v1::VERSION_STATUS_ACTIVE);
  *pending.mutable_accepted() = std::move(approved);
  if (pending.effective_date_ms() == 0) pending.set_effective_date_ms(accepted_day_ms);
  record.set_status(trialledger::v1::CONTRACT_STATUS_ACTIVE);
}

void CloseRecord(ContractRecord& record, ContractSignature closed, std::string_view reason) {
  for (ContractVersion& v : *record.mutable_versions()) {
    if (v.status() == trialledger::v1::VERSION_STATUS_PROPOSED) {
      v.set_status(trialledger::v1::VERSION_STATUS_WITHDRAWN);
    }
  }
  record.set_status(trialledger::v1::CONTRACT_STATUS_CLOSED);
  *record.mutable_closed() = std::move(closed);
  record.set_close_reason(std::string(reason));
}

const ContractVersion* PendingVersion(const ContractRecord& record) {
  for (const ContractVersion& version : record.versions()) {
    if (version.status() == trialledger::v1::VERSION_STATUS_PROPOSED) return &version;
  }
  return nullptr;
}

const ContractVersion* ActiveVersion(const ContractRecord& record) {
  for (const ContractVersion& version : record.versions()) {
    if (version.status() == trialledger::v1::VERSION_STATUS_ACTIVE) return &version;
  }
  return nullptr;
}

std::string_view ContractStatusName(trialledger::v1::ContractStatus status) {
  switch (status) {
    case trialledger::v1::CONTRACT_STATUS_PROPOSED:
      return "proposed";
    case trialledger::v1::CONTRACT_STATUS_ACTIVE:
      return "active";
    case trialledger::v1::CONTRACT_STATUS_CLOSED:
      return "closed";
    default:
      return "unknown";
  }
}

std::string_view VersionStatusName(trialledger::v1::VersionStatus status) {
  switch (status) {
    case trialledger::v1::VERSION_STATUS_PROPOSED:
      return "proposed";
    case trialledger::v1::VERSION_STATUS_ACTIVE:
      return "active";
    case trialledger::v1::VERSION_STATUS_SUPERSEDED:
      return "superseded";
    case trialledger::v1::VERSION_STATUS_REPLACED:
      return "replaced";
    case trialledger::v1::VERSION_STATUS_WITHDRAWN:
      return "withdrawn";
    default:
      return "unknown";
  }
}

}  // namespace tl::contracts
