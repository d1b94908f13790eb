// Rules 2 and 3: the transaction price (ASC 606-10-32-2 .. 32-14) and its allocation to the
// performance obligations (606-10-32-28 .. 32-41). Both read the terms and the position's
// inputs; neither rounds except through AllocateByWeights.
#include <algorithm>

#include "books_internal.h"

namespace tl::books {
namespace {

// One item of consideration as the price counts it now, and the obligation the SOW ties it to
// ("" when untied, or tied to a name that is not an obligation of the terms).
struct Consideration {
  int64_t amount_minor = 0;
  std::string_view obligation;
};

// Rule 2. Fixed fees count from the start, achieved or not (fixed consideration). An incentive
// counts once its constraint is released (from the start when unconstrained) unless it has
// lapsed, and counts for good once achieved. A penalty counts (negative) once it is achieved.
// Unit fees count as earned to date (they fall on a reversal). A principal pass-through counts
// at its budget, or its spend when more; an agent's are not the CRO's consideration at all.
std::vector<Consideration> ConsiderationOf(const ContractTerms& terms,
                                           const v1::ContractBooks& position) {
  auto tie = [&](const std::string& obligation) -> std::string_view {
    return internal::IsObligation(terms, obligation) ? std::string_view(obligation) : "";
  };
  std::vector<Consideration> items;
  for (const FeeTerms& fee : terms.fees) {
    const bool achieved = internal::Contains(position.milestones_achieved(), fee.name);
    bool counts = false;
    switch (fee.kind) {
      case v1::MILESTONE_KIND_INCENTIVE:
        counts =
            achieved ||
            (!internal::Contains(position.incentives_lapsed(), fee.name) &&
             (!fee.constrained || internal::Contains(position.constraints_released(), fee.name)));
        break;
      case v1::MILESTONE_KIND_PENALTY:
        counts = achieved;
        break;
      default:
        counts = true;
        break;
    }
    if (counts) items.push_back({fee.amount_minor, tie(fee.obligation)});
  }
  for (const UnitFeeTerms& fee : terms.unit_fees) {
    items.push_back({internal::AmountOf(position.units_earned(), fee.name), tie(fee.obligation)});
  }
  for (const PassThroughTerms& pass_through : terms.pass_throughs) {
    if (!pass_through.principal) continue;
    const int64_t spent = internal::AmountOf(position.pass_through_spent(), pass_through.name);
    items.push_back({std::max(pass_through.budget_minor, spent), tie(pass_through.obligation)});
  }
  return items;
}

}  // namespace

int64_t TransactionPrice(const ContractTerms& terms, const v1::ContractBooks& position) {
  int64_t price_minor = 0;
  for (const Consideration& item : ConsiderationOf(terms, position)) {
    price_minor = internal::Sum(price_minor, item.amount_minor);
  }
  return price_minor;
}

namespace internal {

// Rule 3. Consideration the SOW ties to an obligation relates specifically to it and goes to it
// whole (606-10-32-39, 32-40). The untied rest is split over every obligation by relative
// standalone selling price (32-31), exactly, by largest remainder; when every standalone price
// is zero, equally. Without obligations nothing is allocated and nothing is ever recognised
// (a compiled SOW always has one).
std::vector<int64_t> AllocatePrice(const ContractTerms& terms, const v1::ContractBooks& position) {
  const size_t count = terms.obligations.size();
  std::vector<int64_t> allocated(count, 0);
  if (count == 0) return allocated;
  int64_t untied_minor = 0;
  for (const Consideration& item : ConsiderationOf(terms, position)) {
    if (item.obligation.empty()) {
      untied_minor = Sum(untied_minor, item.amount_minor);
      continue;
    }
    for (size_t i = 0; i < count; ++i) {
      if (terms.obligations[i].name == item.obligation) {
        allocated[i] = Sum(allocated[i], item.amount_minor);
        break;
      }
    }
  }
  if (untied_minor == 0) return allocated;
  std::vector<int64_t> weights;
  bool any_weight = false;
  for (const ObligationTerms& obligation : terms.obligations) {
    weights.push_back(obligation.standalone_price_minor);
    any_weight = any_weight || obligation.standalone_price_minor > 0;
  }
  if (!any_weight) std::fill(weights.begin(), weights.end(), 1);
  const std::vector<int64_t> shares = AllocateByWeights(untied_minor, weights);
  for (size_t i = 0; i < count; ++i)
    allocated[i] = Sum(allocated[i], shares[i]);
  return allocated;
}

// Decided from the terms alone, so an obligation's revenue account never changes while a
// version runs: at least one principal pass-through is tied to it, no fee or unit fee is, and no
// consideration is untied (untied consideration would reach it through the allocation).
bool IsReimbursementObligation(const ContractTerms& terms, const ObligationTerms& obligation) {
  bool has_pass_through = false;
  for (const FeeTerms& fee : terms.fees) {
    if (fee.obligation == obligation.name || !IsObligation(terms, fee.obligation)) return false;
  }
  for (const UnitFeeTerms& fee : terms.unit_fees) {
    if (fee.obligation == obligation.name || !IsObligation(terms, fee.obligation)) return false;
  }
  for (const PassThroughTerms& pass_through : terms.pass_throughs) {
    if (!pass_through.principal) continue;
    if (!IsObligation(terms, pass_through.obligation)) return false;
    has_pass_through = has_pass_through || pass_through.obligation == obligation.name;
  }
  return has_pass_through;
}

}  // namespace internal
}  // namespace tl::books
