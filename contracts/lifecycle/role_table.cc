// Who may do what to a contract: the one table, read by admission (MayAct, roles alone) and by
// apply (the May* checks, roles and party against the records).
#include <array>

#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/fact_kinds.h"
#include "trialledger/contracts/lifecycle.h"
#include "trialledger/sdk/roles.h"

namespace tl::contracts {
namespace {

using trialledger::v1::ContractMetadata;
using trialledger::v1::ContractRecord;
using trialledger::v1::ContractVersion;

constexpr std::array<std::string_view, 2> kProposerRoles = {roles::kFinance, roles::kClinops};
constexpr std::array<std::string_view, 1> kFinanceRole = {roles::kFinance};
// The feeds' keys, and clinops for the milestone confirmations a SOW may bind to it
// (CheckFactBindings then holds each kind to its one feed).
constexpr std::array<std::string_view, 4> kReporterRoles = {roles::kOracleEdc, roles::kOracleCtms,
                                                            roles::kOracleCost, roles::kClinops};

constexpr ContractActionRule kRules[] = {
    {ContractAction::kPropose, "proposing a contract or an amendment", kProposerRoles,
     "the finance or clinops role", ContractParty::kEither},
    {ContractAction::kApprove, "approving a contract or an amendment", kFinanceRole,
     "the finance role", ContractParty::kOther},
    {ContractAction::kClose, "closing a contract", kFinanceRole, "the finance role",
     ContractParty::kEither},
    {ContractAction::kSubmitFacts, "submitting facts", kReporterRoles,
     "an oracle role (oracle:edc, oracle:ctms or oracle:cost) or clinops (milestone "
     "confirmations)",
     ContractParty::kFeedOwner},
};

bool IsParty(std::string_view organisation, std::string_view sponsor, std::string_view cro) {
  return organisation == sponsor || organisation == cro;
}

std::string Who(const Signer& signer) {
  return StrCat("the signer (", signer.organisation, ", roles ",
                signer.roles.empty() ? std::string("none") : Join(signer.roles, ", "), ")");
}

}  // namespace

std::span<const ContractActionRule> ContractActionRules() {
  return kRules;
}

const ContractActionRule& RuleOf(ContractAction action) {
  for (const ContractActionRule& rule : kRules) {
    if (rule.action == action) return rule;
  }
  TL_UNREACHABLE("every contract action has a row in the role table");
}

absl::Status MayAct(ContractAction action, const Signer& signer) {
  const ContractActionRule& rule = RuleOf(action);
  for (std::string_view role : rule.roles) {
    if (roles::Holds(signer.roles, role)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      StrCat(Who(signer), " lacks ", rule.roles_text, ", which ", rule.what, " needs"));
}

absl::Status MayPropose(const ContractMetadata& metadata, const Signer& signer) {
  if (!IsParty(signer.organisation, metadata.sponsor(), metadata.cro())) {
    return absl::PermissionDeniedError(StrCat(Who(signer), " is not a party of the SOW (sponsor ",
                                              metadata.sponsor(), ", CRO ", metadata.cro(), ")"));
  }
  return MayAct(ContractAction::kPropose, signer);
}

absl::Status MayApprove(const ContractRecord& record, const ContractVersion& version,
                        const Signer& signer) {
  if (!IsParty(signer.organisation, record.sponsor(), record.cro())) {
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
  return MayAct(ContractAction::kApprove, signer);
}

absl::Status MayClose(const ContractRecord& record, const Signer& signer) {
  if (!IsParty(signer.organisation, record.sponsor(), record.cro())) {
    return absl::PermissionDeniedError(
        StrCat(Who(signer), " is not a member of ", record.sponsor(), " or ", record.cro()));
  }
  if (absl::Status may = MayAct(ContractAction::kClose, signer); !may.ok()) return may;
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
    if (signer.organisation != binding->organisation() ||
        !roles::Holds(signer.roles, binding->role())) {
      return absl::PermissionDeniedError(
          StrCat("fact ", i + 1, ": ", name, " facts must be signed by a '", binding->role(),
                 "' key of ", binding->organisation(), "; ", Who(signer), " is not one"));
    }
  }
  return absl::OkStatus();
}

}  // namespace tl::contracts
