// The sponsor's accruals report: for each contract and payee, what the book owed for work
// performed at the start of a group, the expense the group added (its true-ups among it), the
// invoices received and the payments made in it, and what it owes at the end, accrued, held
// back and payable. Read from the entries alone, so that it ties to the trial balance.
#include <map>
#include <utility>

#include "books_internal.h"
#include "trialledger/base/check.h"

namespace tl::books {
namespace {

using internal::Movement;
using internal::Sum;

using Key = std::pair<std::string, std::string>;  // contract, payee

// One month's movements of one contract and payee.
struct Flows {
  int64_t expense_minor = 0, true_ups_minor = 0, invoiced_minor = 0, paid_minor = 0;
  int64_t accrual_minor = 0, holdback_minor = 0;  // balances' movements, credit positive
};

struct KeyHistory {
  std::string currency;
  std::map<std::string, Flows> by_month;
};

struct Balances {
  int64_t accrual_minor = 0, holdback_minor = 0, payable_minor = 0;
};

void Add(const v1::JournalEntry& entry, Flows* flows) {
  const int64_t expense = Movement(entry, "rd_expense");
  const int64_t payable = -Movement(entry, "accounts_payable");
  flows->expense_minor = Sum(flows->expense_minor, expense);
  if (entry.kind() == v1::ENTRY_KIND_CATCH_UP) {
    flows->true_ups_minor = Sum(flows->true_ups_minor, expense);
  }
  if (entry.kind() == v1::ENTRY_KIND_PAYMENT) {
    flows->paid_minor = Sum(flows->paid_minor, -payable);
  } else {
    flows->invoiced_minor = Sum(flows->invoiced_minor, payable);
  }
  flows->accrual_minor = Sum(flows->accrual_minor, -Sum(Movement(entry, "accrued_clinical_costs"),
                                                        Movement(entry, "prepaid_clinical_costs")));
  flows->holdback_minor = Sum(flows->holdback_minor, -Movement(entry, "accrued_holdback"));
}

bool IsEmpty(const AccrualRow& row) {
  return row.opening_accrual_minor == 0 && row.closing_accrual_minor == 0 &&
         row.expense_minor == 0 && row.invoiced_minor == 0 && row.paid_minor == 0 &&
         row.opening_holdback_minor == 0 && row.holdback_minor == 0 && row.payable_minor == 0;
}

void CheckTies(const AccrualRow& row) {
  TL_CHECK_MSG(row.closing_accrual_minor == row.opening_accrual_minor + row.expense_minor -
                                                row.invoiced_minor -
                                                (row.holdback_minor - row.opening_holdback_minor),
               "an accrual does not roll forward: a sponsor entry moved cash outside a payment");
}

}  // namespace

std::vector<AccrualPeriod> BuildAccruals(std::span<const v1::JournalEntry> sponsor_entries,
                                         PeriodGrouping grouping) {
  if (sponsor_entries.empty()) return {};
  std::map<Key, KeyHistory> histories;
  std::string first = sponsor_entries.front().period(), last = first;
  for (const v1::JournalEntry& entry : sponsor_entries) {
    KeyHistory& history = histories[{entry.contract_id(), entry.payee()}];
    if (history.currency.empty() && entry.lines_size() > 0) {
      history.currency = entry.lines(0).currency();
    }
    Add(entry, &history.by_month[entry.period()]);
    first = std::min(first, entry.period());
    last = std::max(last, entry.period());
  }
  std::vector<AccrualPeriod> periods;
  std::map<Key, Balances> running;
  std::map<Key, AccrualRow> rows;  // the group in progress
  for (std::string month = first;; month = NextPeriod(month)) {
    const std::string group = GroupOf(month, grouping);
    if (periods.empty() || periods.back().period != group) {
      periods.emplace_back().period = group;
      rows.clear();
      for (const auto& [key, history] : histories) {
        AccrualRow& row = rows[key];
        row.contract_id = key.first;
        row.payee = key.second;
        row.currency = history.currency;
        row.opening_accrual_minor = running[key].accrual_minor;
        row.opening_holdback_minor = running[key].holdback_minor;
      }
    }
    for (const auto& [key, history] : histories) {
      const auto found = history.by_month.find(month);
      if (found == history.by_month.end()) continue;
      const Flows& flows = found->second;
      AccrualRow& row = rows[key];
      row.expense_minor = Sum(row.expense_minor, flows.expense_minor);
      row.true_ups_minor = Sum(row.true_ups_minor, flows.true_ups_minor);
      row.invoiced_minor = Sum(row.invoiced_minor, flows.invoiced_minor);
      row.paid_minor = Sum(row.paid_minor, flows.paid_minor);
      Balances& balances = running[key];
      balances.accrual_minor = Sum(balances.accrual_minor, flows.accrual_minor);
      balances.holdback_minor = Sum(balances.holdback_minor, flows.holdback_minor);
      balances.payable_minor =
          Sum(balances.payable_minor, Sum(flows.invoiced_minor, -flows.paid_minor));
    }
    const bool group_ends = month == last || GroupOf(NextPeriod(month), grouping) != group;
    if (group_ends) {
      for (auto& [key, row] : rows) {
        row.closing_accrual_minor = running[key].accrual_minor;
        row.holdback_minor = running[key].holdback_minor;
        row.payable_minor = running[key].payable_minor;
        CheckTies(row);
        if (!IsEmpty(row)) periods.back().rows.push_back(std::move(row));
      }
    }
    if (month == last) break;
  }
  return periods;
}

}  // namespace tl::books
