#include "trialledger/contracts/lifecycle.h"

#include <algorithm>

#include "sow_text.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/display.h"
#include "trialledger/contracts/fact_kinds.h"
#include "trialledger/contracts/limits.h"
#include "trialledger/sdk/roles.h"

namespace tl::contracts {
namespace {

using trialledger::v1::ContractMetadata;
using trialledger::v1::ContractRecord;
using trialledger::v1::ContractVersion;

bool Holds(const Signer& signer, std::string_view role) {
  return std::find(signer.roles.begin(), signer.roles.end(), role) != signer.roles.end();
}

bool IsParty(const ContractRecord& record, std::string_view organisation) {
  return organisation == record.sponsor() || organisation == record.cro();
}

std::string Who(const Signer& signer) {
  return StrCat("the signer (", signer.organisation, ", roles ",
                signer.roles.empty() ? std::string("none") : Join(signer.roles, ", "), ")");
}

}  // namespace

absl::Status ValidateContractId(std::string_view contract_id) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(StrCat("contract id '", contract_id, "' ", why));
  };
  if (contract_id.empty()) return absl::InvalidArgumentError("contract id is empty");
  if (contract_id.size() > kContractIdBytesMax) {
    return bad(StrCat("is longer than ", kContractIdBytesMax, " bytes"));
  }
  for (size_t i = 0; i < contract_id.size(); ++i) {
    char c = contract_id[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
      return bad(
          "must be lower-case letters, digits, '.', '_' or '-', starting with a letter or "
          "digit");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CompiledContract> CompileProposal(const trialledger::v1::ContractCode& code) {
  std::string name = code.source_name().empty() ? "contract.sow" : code.source_name();
  absl::StatusOr<CompiledContract> compiled = CompileSow(code.source(), name);
  if (!compiled.ok()) {
    return absl::InvalidArgumentError(
        StrCat("the SOW source does not compile:\n", compiled.status().message()));
  }
  if (compiled->code_hash != code.code_hash()) {
    return absl::InvalidArgumentError(StrCat("code hash ", ToHex(code.code_hash()),
                                             " is not the hash of the SOW source's code (",
                                             ToHex(compiled->code_hash), ")"));
  }
  if (compiled->module_bytes != code.module()) {
    return absl::InvalidArgumentError(
        "the module bytes differ from what the SOW source compiles to on this node");
  }
  return compiled;
}

absl::Status MayPropose(const ContractMetadata& metadata, const Signer& signer) {
  if (signer.organisation != metadata.sponsor() && signer.organisation != metadata.cro()) {
    return absl::PermissionDeniedError(StrCat(Who(signer), " is not a party of the SOW (sponsor ",
                                              metadata.sponsor(), ", CRO ", metadata.cro(), ")"));
  }
  if (!Holds(signer, roles::kFinance) && !Holds(signer, roles::kClinops)) {
    return absl::PermissionDeniedError(
        StrCat(Who(signer), " holds neither finance nor clinops, which proposing needs"));
  }
  return absl::OkStatus();
}

absl::Status MayApprove(const ContractRecord& record, const ContractVersion& version,
                        const Signer& signer) {
  if (!IsParty(record, signer.organisation)) {
    return absl::PermissionDeniedError(
        StrCat(Who(signer), " is not a party of contract ", record.contract_id()));
  }
  if (signer.organisation == version.proposed().organisation()) {
    return absl::PermissionDeniedError(
        StrCat("version ", version.version(), " was proposed by ",
               version.proposed().organisation(), "; the other party (",
               signer.organisation == record.sponsor() ? record.cro() : record.sponsor(),
               ") approves it"));
  }
  if (!Holds(signer, roles::kFinance)) {
    return absl::PermissionDeniedError(
        StrCat(Who(signer), " does not hold finance, which approving needs"));
  }
  return absl::OkStatus();
}

absl::Status MayClose(const ContractRecord& record, const Signer& signer) {
  if (!IsParty(record, signer.organisation) || !Holds(signer, roles::kFinance)) {
    return absl::PermissionDeniedError(StrCat(Who(signer), " is not a finance member of ",
                                              record.sponsor(), " or ", record.cro()));
  }
  if (record.status() == trialledger::v1::CONTRACT_STATUS_CLOSED) {
    return absl::FailedPreconditionError(
        StrCat("contract ", record.contract_id(), " is already closed"));
  }
  return absl::OkStatus();
}

absl::Status CheckFactBindings(const ContractMetadata& metadata, const Signer& signer,
                               const trialledger::v1::FactBatch& batch) {
  for (int i = 0; i < batch.facts_size(); ++i) {
    std::optional<FactKind> kind = FactKindOf(batch.facts(i));
    if (!kind.has_value()) {
      return absl::InvalidArgumentError(StrCat("fact ", i + 1, ": no fact kind is set"));
    }
    if (*kind == FactKind::kRetracted) continue;
    std::string_view name = FactKindName(*kind);
    const trialledger::v1::FactBinding* binding = nullptr;
    for (const auto& b : metadata.bindings()) {
      if (b.fact_kind() == name) binding = &b;
    }
    if (binding == nullptr) {
      return absl::PermissionDeniedError(StrCat("fact ", i + 1, ": contract ", metadata.name(),
                                                " binds no feed to ", name, " facts"));
    }
    if (signer.organisation != binding->organisation() || !Holds(signer, binding->role())) {
      return absl::PermissionDeniedError(
          StrCat("fact ", i + 1, ": ", name, " facts must be signed by a '", binding->role(),
                 "' key of ", binding->organisation(), "; ", Who(signer), " is not one"));
    }
  }
  return absl::OkStatus();
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

std::string FactId(const trialledger::v1::Fact& fact) {
  return StrCat(fact.source_system(), "/", fact.source_record_id());
}

trialledger::v1::FactOutcomeCode ToProto(FactOutcome outcome) {
  switch (outcome) {
    case FactOutcome::kApplied:
      return trialledger::v1::FACT_APPLIED;
    case FactOutcome::kDuplicate:
      return trialledger::v1::FACT_DUPLICATE;
    case FactOutcome::kCorrected:
      return trialledger::v1::FACT_CORRECTED;
    case FactOutcome::kRejected:
      return trialledger::v1::FACT_REJECTED;
  }
  return trialledger::v1::FACT_REJECTED;
}

trialledger::v1::ContractEvent ToProto(const vm::Event& event) {
  trialledger::v1::ContractEvent out;
  out.set_name(event.name);
  const auto names = event.fields.RecordFieldNames();
  const auto values = event.fields.RecordFields();
  for (size_t i = 0; i < names.size(); ++i) {
    trialledger::v1::EventField* field = out.add_fields();
    field->set_name(names[i]);
    const vm::Value& value = values[i];
    switch (value.type()) {
      case vm::Type::kInt:
        field->set_int_value(value.AsInt());
        break;
      case vm::Type::kBool:
        field->set_bool_value(value.AsBool());
        break;
      case vm::Type::kString:
        field->set_text(std::string(value.AsString()));
        break;
      case vm::Type::kBytes:
        field->set_bytes_value(std::string(value.AsString()));
        break;
      case vm::Type::kMoney:
        field->mutable_money()->set_currency(std::string(value.MoneyCurrency().code()));
        field->mutable_money()->set_amount_minor(static_cast<int64_t>(value.MoneyMinor()));
        break;
      case vm::Type::kTime:
        field->set_time_ms(value.AsTimeMs());
        break;
      default:
        field->set_text(FormatValue(value));
        break;
    }
  }
  return out;
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
