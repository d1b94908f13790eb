// The mirror report: one contract's two books side by side, group by group. Sponsor R&D expense
// against CRO revenue (in the group), the sponsor's accrued liability against the CRO's contract
// asset and the sponsor's prepaid against the CRO's contract liability (at the group's end).
// Under the mirror measure they are equal by construction, except for what only one side books
// (a pass-through the CRO bills as agent, an invoice from outside the ledger) and where a posting
// landed in different periods on the two sides because one side had closed the period it was
// dated in: each difference says which.
#include <map>
#include <utility>
#include <vector>

#include "books_internal.h"
#include "trialledger/base/str_cat.h"

namespace tl::books {
namespace {

struct Side {
  std::map<std::string, int64_t> flow_minor;     // by period: revenue or expense in it
  std::map<std::string, int64_t> agent_minor;    // by period: pass-throughs billed as agent
  std::map<std::string, int64_t> outside_minor;  // by period: expense from outside invoices
  std::map<std::string, int64_t> balance_minor;  // by period: the net position's movement
  // Postings moved out of a closed period: (the period dated in, the period posted in).
  std::vector<std::pair<std::string, std::string>> moves;
};

using internal::Movement;

void NoteMove(const v1::JournalEntry& entry, Side* side) {
  const std::string dated = PeriodOf(entry.effective_date_ms());
  if (dated == entry.period()) return;
  side->moves.emplace_back(dated, entry.period());
}

// The CRO: revenue is credited to the revenue accounts; its net position (contract asset less
// liability) is the contract balance's debit.
Side CroSide(std::span<const v1::JournalEntry> entries) {
  Side side;
  for (const v1::JournalEntry& entry : entries) {
    const int64_t revenue =
        -internal::Sum(Movement(entry, "revenue_services"), Movement(entry, "revenue_reimbursed"));
    side.flow_minor[entry.period()] += revenue;
    side.balance_minor[entry.period()] += Movement(entry, "contract_balance");
    side.agent_minor[entry.period()] += internal::AgentPassThroughBilled(entry);
    NoteMove(entry, &side);
  }
  return side;
}

// The sponsor: expense is debited to rd_expense; its net position is the accrued liability less
// the prepaid asset, the CRO's sign convention.
Side SponsorSide(std::span<const v1::JournalEntry> entries) {
  Side side;
  for (const v1::JournalEntry& entry : entries) {
    side.flow_minor[entry.period()] += Movement(entry, "rd_expense");
    if (entry.outside_invoice()) {
      side.outside_minor[entry.period()] += Movement(entry, "rd_expense");
    }
    side.balance_minor[entry.period()] += internal::Sum(-Movement(entry, "accrued_clinical_costs"),
                                                        -Movement(entry, "prepaid_clinical_costs"));
    NoteMove(entry, &side);
  }
  return side;
}

// A moved posting explains a difference in every group from the one it was dated in up to the
// one before it was posted in; the group it landed in differs the other way.
std::string Reason(const Side& cro, const Side& sponsor, std::string_view group,
                   PeriodGrouping grouping) {
  for (const Side* side : {&cro, &sponsor}) {
    for (const auto& [dated, posted] : side->moves) {
      if (GroupOf(dated, grouping) > group || GroupOf(posted, grouping) < group) continue;
      return StrCat("a posting dated in ", dated, " went to ", posted, " in the ",
                    side == &cro ? "CRO's" : "sponsor's",
                    " book, whose period was closed; the other book had it open");
    }
  }
  return "the books differ without a known cause";
}

}  // namespace

std::vector<MirrorRow> BuildMirror(std::span<const v1::JournalEntry> cro_entries,
                                   std::span<const v1::JournalEntry> sponsor_entries,
                                   PeriodGrouping grouping, bool sponsor_grid) {
  const Side cro = CroSide(cro_entries);
  const Side sponsor = SponsorSide(sponsor_entries);
  std::set<std::string> months;
  for (const Side* side : {&cro, &sponsor}) {
    for (const auto& [month, unused] : side->balance_minor)
      months.insert(month);
  }
  std::vector<MirrorRow> rows;
  if (months.empty()) return rows;
  int64_t cro_net = 0, sponsor_net = 0;
  std::map<std::string, int64_t> agent_by_group, outside_by_group;
  auto figure = [](const std::map<std::string, int64_t>& by_month, const std::string& month) {
    const auto found = by_month.find(month);
    return found == by_month.end() ? int64_t{0} : found->second;
  };
  for (std::string month = *months.begin();; month = NextPeriod(month)) {
    const std::string group = GroupOf(month, grouping);
    if (rows.empty() || rows.back().period != group) rows.emplace_back().period = group;
    MirrorRow& row = rows.back();
    row.cro_revenue_minor += figure(cro.flow_minor, month);
    agent_by_group[group] += figure(cro.agent_minor, month);
    outside_by_group[group] += figure(sponsor.outside_minor, month);
    row.sponsor_expense_minor += figure(sponsor.flow_minor, month);
    cro_net += figure(cro.balance_minor, month);
    sponsor_net += figure(sponsor.balance_minor, month);
    row.cro_contract_asset_minor = std::max<int64_t>(cro_net, 0);
    row.cro_contract_liability_minor = std::max<int64_t>(-cro_net, 0);
    row.sponsor_accrued_liability_minor = std::max<int64_t>(sponsor_net, 0);
    row.sponsor_prepaid_minor = std::max<int64_t>(-sponsor_net, 0);
    if (month == *months.rbegin()) break;
  }
  for (MirrorRow& row : rows) {
    // The sponsor expenses what the CRO re-bills as agent; the CRO earns nothing on it.
    const int64_t agent_minor = agent_by_group[row.period];
    if (agent_minor != 0) {
      row.differences.push_back({"expense", agent_minor,
                                 "pass-through costs the CRO bills as agent: the sponsor's "
                                 "expense, not the CRO's revenue"});
    }
    const int64_t outside_minor = outside_by_group[row.period];
    if (outside_minor != 0) {
      row.differences.push_back({"expense", outside_minor,
                                 "invoices from outside the ledger (a site's, a vendor's) "
                                 "approved in the sponsor's book: the CRO's books do not hold "
                                 "them"});
    }
    const std::pair<std::string_view, int64_t> pairs[] = {
        {"expense",
         row.sponsor_expense_minor - row.cro_revenue_minor - agent_minor - outside_minor},
        {"accrued_liability", row.sponsor_accrued_liability_minor - row.cro_contract_asset_minor},
        {"prepaid", row.sponsor_prepaid_minor - row.cro_contract_liability_minor}};
    for (const auto& [measure, amount] : pairs) {
      if (amount == 0) continue;
      row.differences.push_back(
          {std::string(measure), amount,
           sponsor_grid ? "the sponsor accrues this contract by its own unit-cost grid, not by "
                          "the CRO's measure of progress"
                        : Reason(cro, sponsor, row.period, grouping)});
    }
  }
  return rows;
}

}  // namespace tl::books
