// Rule 1, the terms: what the books read of a compiled SOW (ContractMetadata), and lookups in
// them. Everything else in the library works on ContractTerms, never on the metadata.
#include "books_internal.h"
#include "trialledger/base/str_cat.h"

namespace tl::books {
namespace {

// An unspecified recognition is a point in time: revenue waits for the obligation's milestones
// rather than running ahead of anything the SOW says.
Measure MeasureOf(v1::Recognition recognition) {
  switch (recognition) {
    case v1::RECOGNITION_OVER_TIME_COST_TO_COST:
      return Measure::kCostToCost;
    case v1::RECOGNITION_OVER_TIME_UNITS:
      return Measure::kUnits;
    case v1::RECOGNITION_OVER_TIME_MILESTONES:
      return Measure::kMilestones;
    default:
      return Measure::kPointInTime;
  }
}

absl::Status CheckAmount(std::string_view what, std::string_view name, int64_t amount_minor) {
  if (amount_minor >= -kAmountMinorMax && amount_minor <= kAmountMinorMax) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      StrCat("terms: the amount of ", what, " '", name, "' is beyond the books' limit"));
}

}  // namespace

// A milestone whose constraint expression is non-empty is constrained: its consideration waits
// for constraint_released. An unspecified kind is read as a fixed fee (the compiler always
// names one).
ContractTerms TermsOf(const v1::ContractMetadata& metadata) {
  ContractTerms terms;
  terms.sponsor = metadata.sponsor();
  terms.cro = metadata.cro();
  terms.currency = metadata.currency();
  terms.version = metadata.version();
  for (const v1::Obligation& obligation : metadata.obligations()) {
    terms.obligations.push_back({obligation.name(), obligation.standalone_price_minor(),
                                 MeasureOf(obligation.recognition())});
  }
  for (const v1::Milestone& milestone : metadata.milestones()) {
    const v1::MilestoneKind kind = milestone.kind() == v1::MILESTONE_KIND_UNSPECIFIED
                                       ? v1::MILESTONE_KIND_FIXED_FEE
                                       : milestone.kind();
    terms.fees.push_back({milestone.name(), kind, milestone.amount_minor(), milestone.obligation(),
                          !milestone.constraint().empty()});
  }
  for (const v1::UnitFee& fee : metadata.unit_fees()) {
    terms.unit_fees.push_back({fee.name(), fee.rate_minor(), fee.cap_units(), fee.obligation()});
  }
  for (const v1::PassThrough& pass_through : metadata.pass_throughs()) {
    terms.pass_throughs.push_back({pass_through.name(), pass_through.budget_minor(),
                                   pass_through.principal(), pass_through.obligation()});
  }
  return terms;
}

namespace internal {

const FeeTerms* FindFee(const ContractTerms& terms, std::string_view name) {
  for (const FeeTerms& fee : terms.fees) {
    if (fee.name == name) return &fee;
  }
  return nullptr;
}

const UnitFeeTerms* FindUnitFee(const ContractTerms& terms, std::string_view name) {
  for (const UnitFeeTerms& fee : terms.unit_fees) {
    if (fee.name == name) return &fee;
  }
  return nullptr;
}

const PassThroughTerms* FindPassThrough(const ContractTerms& terms, std::string_view name) {
  for (const PassThroughTerms& pass_through : terms.pass_throughs) {
    if (pass_through.name == name) return &pass_through;
  }
  return nullptr;
}

bool IsObligation(const ContractTerms& terms, std::string_view obligation) {
  for (const ObligationTerms& o : terms.obligations) {
    if (o.name == obligation) return true;
  }
  return false;
}

absl::Status CheckTerms(const ContractTerms& terms) {
  for (const ObligationTerms& o : terms.obligations) {
    if (o.standalone_price_minor < 0) {
      return absl::InvalidArgumentError(
          StrCat("terms: obligation '", o.name, "' has a negative standalone price"));
    }
    if (absl::Status s = CheckAmount("obligation", o.name, o.standalone_price_minor); !s.ok()) {
      return s;
    }
  }
  for (const FeeTerms& fee : terms.fees) {
    if (absl::Status s = CheckAmount("fee", fee.name, fee.amount_minor); !s.ok()) return s;
  }
  for (const UnitFeeTerms& fee : terms.unit_fees) {
    if (absl::Status s = CheckAmount("unit fee", fee.name, fee.rate_minor); !s.ok()) return s;
  }
  for (const PassThroughTerms& pass_through : terms.pass_throughs) {
    if (pass_through.budget_minor < 0) {
      return absl::InvalidArgumentError(
          StrCat("terms: pass-through '", pass_through.name, "' has a negative budget"));
    }
    if (absl::Status s = CheckAmount("pass-through", pass_through.name, pass_through.budget_minor);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace tl::books
