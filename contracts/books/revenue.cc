// Rules 4 and 5: each obligation's measure of progress, an exact fraction in [0, 1], and its
// revenue to date = allocated price × progress, rounded once (half up). Everything is cumulative:
// what an event recognises is the difference of two of these (posting.cc), so periods always tie
// to the total and close-out (progress 1 everywhere) recognises the transaction price exactly.
#include <algorithm>

#include "books_internal.h"
#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"

namespace tl::books::internal {
namespace {

// done / total clamped to [0, 1]; nothing to measure against (total <= 0) is no progress, and
// work beyond the total is complete until the total is raised.
Progress Fraction(int64_t done, int64_t total) {
  if (total <= 0 || done <= 0) return {0, 1};
  if (done >= total) return {1, 1};
  return {done, total};
}

// Cost-to-cost (input method, 606-10-55-20): costs incurred / estimated total costs. The
// contract's main service obligation, the first cost-to-cost one in SOW order, is measured by
// the service costs against the estimate at completion; every cost-to-cost obligation adds the
// principal pass-throughs tied to it, spend against max(budget, spend). An agent's pass-through
// costs are not the CRO's performance and measure nothing.
Progress CostToCost(const ContractTerms& terms, const v1::ContractBooks& position,
                    const ObligationTerms& obligation, bool main) {
  int64_t cost_minor = main ? position.service_cost_minor() : 0;
  int64_t estimate_minor = main ? position.estimate_at_completion_minor() : 0;
  for (const PassThroughTerms& pass_through : terms.pass_throughs) {
    if (!pass_through.principal || pass_through.obligation != obligation.name) continue;
    const int64_t spent = AmountOf(position.pass_through_spent(), pass_through.name);
    cost_minor = Sum(cost_minor, spent);
    estimate_minor = Sum(estimate_minor, std::max(pass_through.budget_minor, spent));
  }
  return Fraction(cost_minor, estimate_minor);
}

// Units (output method by amounts earned): unit fees earned for the obligation / its allocated
// price, so the units recognise what they earn until the allocation is used up.
Progress Units(const ContractTerms& terms, const v1::ContractBooks& position,
               const ObligationTerms& obligation, int64_t allocated_minor) {
  int64_t earned_minor = 0;
  for (const UnitFeeTerms& fee : terms.unit_fees) {
    if (fee.obligation != obligation.name) continue;
    earned_minor = Sum(earned_minor, AmountOf(position.units_earned(), fee.name));
  }
  return Fraction(earned_minor, allocated_minor);
}

// Milestones (output method): achieved fixed fees of the obligation / all its fixed fees. A
// point in time: nothing until every fixed fee of the obligation is achieved (and there is one).
Progress MilestonesOf(const ContractTerms& terms, const v1::ContractBooks& position,
                      const ObligationTerms& obligation, bool point_in_time) {
  int64_t achieved_minor = 0, total_minor = 0;
  bool all_achieved = true;
  for (const FeeTerms& fee : terms.fees) {
    if (fee.kind != v1::MILESTONE_KIND_FIXED_FEE || fee.obligation != obligation.name) continue;
    total_minor = Sum(total_minor, fee.amount_minor);
    if (Contains(position.milestones_achieved(), fee.name)) {
      achieved_minor = Sum(achieved_minor, fee.amount_minor);
    } else {
      all_achieved = false;
    }
  }
  if (!point_in_time) return Fraction(achieved_minor, total_minor);
  return total_minor > 0 && all_achieved ? Progress{1, 1} : Progress{0, 1};
}

std::string_view MeasureName(Measure measure) {
  switch (measure) {
    case Measure::kCostToCost:
      return "cost-to-cost";
    case Measure::kUnits:
      return "units";
    case Measure::kMilestones:
      return "milestones";
    case Measure::kPointInTime:
      return "point in time";
  }
  TL_UNREACHABLE("every measure has a name");
}

}  // namespace

Recognition Recognise(const ContractTerms& terms, const v1::ContractBooks& position) {
  Recognition recognition;
  recognition.transaction_price_minor = TransactionPrice(terms, position);
  recognition.allocated_minor = AllocatePrice(terms, position);
  bool main_seen = false;
  for (size_t i = 0; i < terms.obligations.size(); ++i) {
    const ObligationTerms& obligation = terms.obligations[i];
    const int64_t allocated_minor = recognition.allocated_minor[i];
    Progress progress;
    switch (obligation.measure) {
      case Measure::kCostToCost:
        progress = CostToCost(terms, position, obligation, !main_seen);
        main_seen = true;
        break;
      case Measure::kUnits:
        progress = Units(terms, position, obligation, allocated_minor);
        break;
      case Measure::kMilestones:
        progress = MilestonesOf(terms, position, obligation, false);
        break;
      case Measure::kPointInTime:
        progress = MilestonesOf(terms, position, obligation, true);
        break;
    }
    TL_CHECK(progress.denominator > 0 && progress.numerator >= 0 &&
             progress.numerator <= progress.denominator);
    recognition.progress.push_back(progress);
    // Rule 5: the one rounding.
    recognition.revenue_to_date_minor.push_back(
        MulDivRoundHalfUp(allocated_minor, progress.numerator, progress.denominator));
  }
  return recognition;
}

std::string DescribeProgress(Measure measure, Progress progress) {
  const int64_t basis_points = MulDivRoundHalfUp(10'000, progress.numerator, progress.denominator);
  return StrCat(basis_points / 100, ".", ZeroPadded(static_cast<uint64_t>(basis_points % 100), 2),
                " % complete (", MeasureName(measure), ")");
}

}  // namespace tl::books::internal
