// Rule 9: what each contract event means for the books. ApplyEvent moves the position's inputs
// (costs, estimate, spend, units, milestones, constraints, version) and says what else the event
// books; posting.cc books it and the revenue that follows. The events and their fields are the
// contract's (contracts/codegen/codegen_settle.cc emits them).
//
// Events the books do not know are ignored: the contract may report things that are no business
// of the books (progress_updated is the contract's own display; the books compute progress
// themselves). An event that names a fee, unit fee or pass-through the terms do not have
// contradicts the terms it ran under: FailedPrecondition.
#include <cstdlib>

#include "books_internal.h"
#include "trialledger/base/str_cat.h"

namespace tl::books::internal {
namespace {

std::string Where(const CroEvent& event) {
  return StrCat("event ", event.event_seq, " (", event.event.name(), ")");
}

const v1::EventField* FindField(const CroEvent& event, std::string_view name) {
  for (const v1::EventField& field : event.event.fields()) {
    if (field.name() == name) return &field;
  }
  return nullptr;
}

// A text field; "" when absent (the contract writes "" for "none").
absl::StatusOr<std::string> Text(const CroEvent& event, std::string_view name) {
  const v1::EventField* field = FindField(event, name);
  if (field == nullptr) return std::string();
  if (field->value_case() != v1::EventField::kText) {
    return absl::InvalidArgumentError(StrCat(Where(event), ": field '", name, "' is not text"));
  }
  return field->text();
}

absl::StatusOr<std::string> RequiredText(const CroEvent& event, std::string_view name) {
  absl::StatusOr<std::string> text = Text(event, name);
  if (text.ok() && text->empty()) {
    return absl::InvalidArgumentError(StrCat(Where(event), ": field '", name, "' is missing"));
  }
  return text;
}

// A money field, in the contract's currency (CheckCurrencies ran first), within the limit.
absl::StatusOr<int64_t> Money(const CroEvent& event, std::string_view name) {
  const v1::EventField* field = FindField(event, name);
  if (field == nullptr || field->value_case() != v1::EventField::kMoney) {
    return absl::InvalidArgumentError(
        StrCat(Where(event), ": money field '", name, "' is missing"));
  }
  const int64_t amount_minor = field->money().amount_minor();
  if (amount_minor < -kAmountMinorMax || amount_minor > kAmountMinorMax) {
    return absl::InvalidArgumentError(
        StrCat(Where(event), ": field '", name, "' is beyond the books' limit"));
  }
  return amount_minor;
}

absl::Status Unknown(const CroEvent& event, std::string_view what, std::string_view name) {
  return absl::FailedPreconditionError(
      StrCat(Where(event), ": the terms have no ", what, " '", name, "'"));
}

absl::Status CheckCumulative(const CroEvent& event, std::string_view what, int64_t amount_minor) {
  if (amount_minor >= -kAmountMinorMax && amount_minor <= kAmountMinorMax) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      StrCat(Where(event), ": the cumulative ", what, " goes beyond the books' limit"));
}

absl::Status ApplyCost(const ContractTerms& terms, const CroEvent& event,
                       v1::ContractBooks* position, EventMeaning* meaning) {
  absl::StatusOr<int64_t> amount_minor = Money(event, "amount");
  if (!amount_minor.ok()) return amount_minor.status();
  absl::StatusOr<std::string> name = Text(event, "pass_through");
  if (!name.ok()) return name.status();
  meaning->why = *amount_minor < 0 ? "cost reversed" : "cost incurred";
  if (name->empty()) {  // a service cost: it moves the main obligation's progress
    position->set_service_cost_minor(Sum(position->service_cost_minor(), *amount_minor));
    return CheckCumulative(event, "service cost", position->service_cost_minor());
  }
  const PassThroughTerms* pass_through = FindPassThrough(terms, *name);
  if (pass_through == nullptr) return Unknown(event, "pass-through", *name);
  AddAmount(position->mutable_pass_through_spent(), *name, *amount_minor);
  meaning->pass_through = pass_through;
  meaning->pass_through_minor = *amount_minor;
  return CheckCumulative(event, "pass-through spend",
                         AmountOf(position->pass_through_spent(), *name));
}

// units_reversed takes |amount| away whatever its sign: the contract reports the reversed
// amount as a positive figure today, and a negative one means the same.
absl::Status ApplyUnits(const ContractTerms& terms, const CroEvent& event, bool reversed,
                        v1::ContractBooks* position, EventMeaning* meaning) {
  absl::StatusOr<std::string> fee = RequiredText(event, "fee");
  if (!fee.ok()) return fee.status();
  absl::StatusOr<int64_t> amount_minor = Money(event, "amount");
  if (!amount_minor.ok()) return amount_minor.status();
  if (FindUnitFee(terms, *fee) == nullptr) return Unknown(event, "unit fee", *fee);
  const int64_t delta_minor = reversed ? -std::llabs(*amount_minor) : *amount_minor;
  AddAmount(position->mutable_units_earned(), *fee, delta_minor);
  meaning->why = StrCat(reversed ? "units reversed: " : "units earned: ", *fee);
  return CheckCumulative(event, "units earned", AmountOf(position->units_earned(), *fee));
}

// milestone_achieved, milestone_reversed, constraint_released, incentive_lapsed: a fee of the
// terms is named.
absl::StatusOr<const FeeTerms*> NamedFee(const ContractTerms& terms, const CroEvent& event,
                                         std::string_view field) {
  absl::StatusOr<std::string> name = RequiredText(event, field);
  if (!name.ok()) return name.status();
  const FeeTerms* fee = FindFee(terms, *name);
  if (fee == nullptr) return Unknown(event, "milestone", *name);
  return fee;
}

std::string_view AchievedWhy(v1::MilestoneKind kind) {
  switch (kind) {
    case v1::MILESTONE_KIND_INCENTIVE:
      return "incentive earned: ";
    case v1::MILESTONE_KIND_PENALTY:
      return "penalty incurred: ";
    default:
      return "milestone achieved: ";
  }
}

}  // namespace

absl::Status CheckCurrencies(const CroEvent& event, std::string_view currency) {
  for (const v1::EventField& field : event.event.fields()) {
    if (field.value_case() != v1::EventField::kMoney) continue;
    if (field.money().currency() == currency) continue;
    return absl::InvalidArgumentError(StrCat(Where(event), ": field '", field.name(), "' is in ",
                                             field.money().currency(), "; the contract is in ",
                                             currency));
  }
  return absl::OkStatus();
}

absl::StatusOr<EventMeaning> ApplyEvent(const ContractTerms& terms, const CroEvent& event,
                                        v1::ContractBooks* position) {
  const std::string& name = event.event.name();
  EventMeaning meaning;
  meaning.why = name;
  absl::Status status;
  if (name == "cost_incurred") {
    status = ApplyCost(terms, event, position, &meaning);
  } else if (name == "units_earned" || name == "units_reversed") {
    status = ApplyUnits(terms, event, name == "units_reversed", position, &meaning);
  } else if (name == "estimate_updated") {
    absl::StatusOr<int64_t> estimate_minor = Money(event, "amount");
    if (!estimate_minor.ok()) return estimate_minor.status();
    position->set_estimate_at_completion_minor(*estimate_minor);
    meaning.catch_up = true;
    meaning.why = "estimate at completion updated";
  } else if (name == "milestone_achieved") {
    absl::StatusOr<const FeeTerms*> fee = NamedFee(terms, event, "milestone");
    if (!fee.ok()) return fee.status();
    Insert(position->mutable_milestones_achieved(), (*fee)->name);
    // A fixed fee marks work done; an incentive or penalty settles variable consideration.
    meaning.catch_up = (*fee)->kind != v1::MILESTONE_KIND_FIXED_FEE;
    meaning.why = StrCat(AchievedWhy((*fee)->kind), (*fee)->name);
  } else if (name == "milestone_reversed") {
    // A correction took away what achieved it: what it recognised and billed is taken back.
    absl::StatusOr<const FeeTerms*> fee = NamedFee(terms, event, "milestone");
    if (!fee.ok()) return fee.status();
    Erase(position->mutable_milestones_achieved(), (*fee)->name);
    meaning.catch_up = (*fee)->kind != v1::MILESTONE_KIND_FIXED_FEE;
    meaning.why = StrCat("reversed by a correction: ", (*fee)->name);
  } else if (name == "constraint_released") {
    absl::StatusOr<const FeeTerms*> fee = NamedFee(terms, event, "item");
    if (!fee.ok()) return fee.status();
    Insert(position->mutable_constraints_released(), (*fee)->name);
    meaning.catch_up = true;
    meaning.why = StrCat("constraint released on ", (*fee)->name);
  } else if (name == "incentive_lapsed") {
    absl::StatusOr<const FeeTerms*> fee = NamedFee(terms, event, "item");
    if (!fee.ok()) return fee.status();
    Insert(position->mutable_incentives_lapsed(), (*fee)->name);
    meaning.catch_up = true;
    meaning.why = StrCat("incentive ", (*fee)->name, " lapsed");
  } else if (name == "contract_amended") {
    // The terms passed in are the new version's: revenue is re-derived under them.
    position->set_version(terms.version);
    position->set_effective_date_ms(event.cause.effective_date_ms);
    meaning.catch_up = true;
    meaning.why = StrCat("change order v", terms.version);
  } else if (name == "invoice_due") {
    absl::StatusOr<std::string> item = Text(event, "item");
    if (!item.ok()) return item.status();
    absl::StatusOr<int64_t> net_minor = Money(event, "net");
    if (!net_minor.ok()) return net_minor.status();
    meaning.billed_minor = *net_minor;
    meaning.why = StrCat(*net_minor < 0 ? "credit note: " : "invoice: ", *item);
  }
  // contract_instantiated, progress_updated, holdback_withheld, holdback_released,
  // holdback_release_reversed and events the books do not know: no change (a released holdback
  // is billed, and a reversed release credited, by its own invoice_due).
  if (!status.ok()) return status;
  return meaning;
}

}  // namespace tl::books::internal
