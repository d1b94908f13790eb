// Rule 12, the reports, from the journal alone (every entry carries the contract's figures
// after it): the trial balance, the contract balance roll-forward and the ASC 606 disclosures
// (606-10-50-8 .. 50-13).
//
// The trial balance sums every account's debits and credits through the end of a period, in
// chart order; its totals agree because every entry balances. In the roll-forward and the
// disclosures, period amounts are sums of entries by the period they were posted in and
// balances are cumulative sums of those, so an entry posted late into an earlier open period
// still lands where it belongs. The price at a group's end is the one carried by the contract's
// latest entry (by seq) posted at or before it.
#include <algorithm>
#include <map>

#include "books_internal.h"
#include "trialledger/base/check.h"

namespace tl::books {
namespace {

// One contract's movements in one month.
struct MonthFigures {
  int64_t revenue_minor = 0;  // includes catch_up_minor
  int64_t catch_up_minor = 0;
  int64_t billed_minor = 0;
  uint64_t last_seq = 0;    // the month's latest entry
  int64_t price_minor = 0;  // the contract's price after it
};
using History = std::map<std::string, MonthFigures>;  // by period, in calendar order

// Revenue and billings are read off the contract balance, where they meet: a revenue entry
// debits it (credits it when revenue falls), a billing credits it. An agent's re-billing does
// not touch it and bills nothing of the contract's.
void Add(const v1::JournalEntry& entry, History* history) {
  int64_t contract_balance_minor = 0;  // debit − credit
  for (const v1::JournalLine& line : entry.lines()) {
    if (line.account() != "contract_balance") continue;
    contract_balance_minor =
        internal::Sum(contract_balance_minor, line.debit_minor() - line.credit_minor());
  }
  MonthFigures& month = (*history)[entry.period()];
  switch (entry.kind()) {
    case v1::ENTRY_KIND_CATCH_UP:
      month.catch_up_minor = internal::Sum(month.catch_up_minor, contract_balance_minor);
      [[fallthrough]];
    case v1::ENTRY_KIND_REVENUE:
      month.revenue_minor = internal::Sum(month.revenue_minor, contract_balance_minor);
      break;
    case v1::ENTRY_KIND_BILLING:
    case v1::ENTRY_KIND_PASS_THROUGH_BILLING:
      month.billed_minor = internal::Sum(month.billed_minor, -contract_balance_minor);
      break;
    default:
      break;
  }
  if (entry.seq() >= month.last_seq) {
    month.last_seq = entry.seq();
    month.price_minor = entry.transaction_price_minor();
  }
}

// Revenue to date less billings to date: a contract asset when positive, a contract liability
// (shown positive) when negative.
void Present(int64_t balance_minor, int64_t* asset_minor, int64_t* liability_minor) {
  *asset_minor = std::max<int64_t>(balance_minor, 0);
  *liability_minor = std::max<int64_t>(-balance_minor, 0);
}

struct GroupFigures {
  RollforwardRow row;
  int64_t remaining_minor = 0;  // price − revenue to date at the group's end
};

// One row per group covering the months first .. last (REQUIRES: first <= last, both valid).
std::vector<GroupFigures> Groups(const History& history, std::string_view first,
                                 std::string_view last, PeriodGrouping grouping) {
  std::vector<GroupFigures> groups;
  int64_t revenue_to_date_minor = 0, billed_to_date_minor = 0;
  bool priced = false;
  uint64_t price_seq = 0;
  int64_t price_minor = 0;
  for (std::string month(first);; month = NextPeriod(month)) {
    std::string group = GroupOf(month, grouping);
    if (groups.empty() || groups.back().row.period != group) {
      GroupFigures& next = groups.emplace_back();
      next.row.period = std::move(group);
      Present(revenue_to_date_minor - billed_to_date_minor, &next.row.opening_contract_asset_minor,
              &next.row.opening_contract_liability_minor);
    }
    GroupFigures& current = groups.back();
    if (const auto found = history.find(month); found != history.end()) {
      const MonthFigures& figures = found->second;
      current.row.revenue_minor += figures.revenue_minor;
      current.row.catch_up_minor += figures.catch_up_minor;
      current.row.billed_minor += figures.billed_minor;
      revenue_to_date_minor += figures.revenue_minor;
      billed_to_date_minor += figures.billed_minor;
      if (!priced || figures.last_seq > price_seq) {
        priced = true;
        price_seq = figures.last_seq;
        price_minor = figures.price_minor;
      }
    }
    Present(revenue_to_date_minor - billed_to_date_minor, &current.row.closing_contract_asset_minor,
            &current.row.closing_contract_liability_minor);
    current.row.revenue_to_date_minor = revenue_to_date_minor;
    current.row.billed_to_date_minor = billed_to_date_minor;
    current.remaining_minor = priced ? price_minor - revenue_to_date_minor : 0;
    if (month == last) break;
  }
  return groups;
}

// Every contract's history (or only `contract_id`'s when not empty), by contract id.
std::map<std::string, History> Histories(std::span<const v1::JournalEntry> entries,
                                         std::string_view contract_id) {
  std::map<std::string, History> histories;
  for (const v1::JournalEntry& entry : entries) {
    if (!contract_id.empty() && entry.contract_id() != contract_id) continue;
    Add(entry, &histories[entry.contract_id()]);
  }
  return histories;
}

}  // namespace

std::vector<RollforwardRow> BuildRollforward(std::span<const v1::JournalEntry> entries,
                                             std::string_view contract_id,
                                             PeriodGrouping grouping) {
  const std::map<std::string, History> histories = Histories(entries, contract_id);
  const auto found = histories.find(std::string(contract_id));
  if (found == histories.end()) return {};
  const History& history = found->second;
  std::vector<RollforwardRow> rows;
  for (GroupFigures& group :
       Groups(history, history.begin()->first, history.rbegin()->first, grouping)) {
    rows.push_back(std::move(group.row));
  }
  return rows;
}

// Revenue from the opening contract liability: per contract, what the group recognised up to
// the liability it opened with (nothing when its revenue fell). Revenue from obligations
// satisfied in earlier periods: the catch-ups. Remaining performance obligations: price less
// revenue to date at the group's end, over every contract that has begun.
std::vector<DisclosureRow> BuildDisclosures(std::span<const v1::JournalEntry> entries,
                                            std::string_view contract_id, PeriodGrouping grouping) {
  const std::map<std::string, History> histories = Histories(entries, contract_id);
  if (histories.empty()) return {};
  std::string first = histories.begin()->second.begin()->first, last = first;
  for (const auto& [id, history] : histories) {
    first = std::min(first, history.begin()->first);
    last = std::max(last, history.rbegin()->first);
  }
  std::vector<DisclosureRow> rows;
  for (const auto& [id, history] : histories) {
    const std::vector<GroupFigures> groups = Groups(history, first, last, grouping);
    if (rows.empty()) rows.resize(groups.size());
    for (size_t i = 0; i < groups.size(); ++i) {
      const RollforwardRow& row = groups[i].row;
      DisclosureRow& out = rows[i];
      out.period = row.period;
      out.revenue_from_opening_contract_liability_minor +=
          std::min(row.opening_contract_liability_minor, std::max<int64_t>(row.revenue_minor, 0));
      out.revenue_from_prior_period_obligations_minor += row.catch_up_minor;
      out.remaining_performance_obligations_minor += groups[i].remaining_minor;
    }
  }
  return rows;
}

TrialBalance BuildTrialBalance(BookKind kind, const v1::BookRecord& book,
                               std::span<const v1::JournalEntry> entries, std::string_view period,
                               std::string_view currency) {
  TL_CHECK(ValidatePeriod(period).ok());
  struct Sides {
    int64_t debit_minor = 0, credit_minor = 0;
  };
  std::map<std::string, Sides> sides;
  for (const v1::JournalEntry& entry : entries) {
    if (entry.period() > period) continue;  // YYYY-MM compare in calendar order
    for (const v1::JournalLine& line : entry.lines()) {
      if (line.currency() != currency) continue;
      TL_CHECK_MSG(FindAccount(kind, line.account()).has_value(),
                   "a journal entry names an account outside its book's chart");
      Sides& account = sides[line.account()];
      account.debit_minor = internal::Sum(account.debit_minor, line.debit_minor());
      account.credit_minor = internal::Sum(account.credit_minor, line.credit_minor());
    }
  }
  TrialBalance balance;
  balance.book = book.book();
  balance.period = std::string(period);
  balance.currency = std::string(currency);
  for (const Account& account : ChartOf(kind)) {
    const auto found = sides.find(std::string(account.name));
    if (found == sides.end()) continue;
    TrialBalanceLine line;
    line.account = std::string(account.name);
    for (const v1::AccountCode& code : book.account_map()) {
      if (code.account() == account.name) line.erp_code = code.erp_code();
    }
    line.debit_minor = found->second.debit_minor;
    line.credit_minor = found->second.credit_minor;
    line.balance_minor = line.debit_minor - line.credit_minor;
    balance.total_debit_minor = internal::Sum(balance.total_debit_minor, line.debit_minor);
    balance.total_credit_minor = internal::Sum(balance.total_credit_minor, line.credit_minor);
    balance.accounts.push_back(std::move(line));
  }
  TL_CHECK_MSG(balance.total_debit_minor == balance.total_credit_minor,
               "the trial balance does not balance: an entry did not");
  return balance;
}

}  // namespace tl::books
