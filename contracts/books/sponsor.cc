// The sponsor's accruals by the mirror measure (ASC 730): R&D expense as the work is performed,
// measured by the CRO's own progress on the same contract, and the CRO's invoices received the
// moment they are issued. Each sponsor entry mirrors one CRO entry of the same block:
//
//   CRO revenue r (Dr contract_balance / Cr revenue)  ->  Dr rd_expense r
//   CRO invoice b (Dr accounts_receivable / Cr contract_balance)  ->  Cr accounts_payable b
//
// and the other side of each is the sponsor's net position on the contract, expense to date less
// invoiced to date: accrued_clinical_costs while it is positive (work done, not yet invoiced),
// prepaid_clinical_costs while it is negative (invoiced ahead of the work). A movement across
// zero relieves one and starts the other in the same entry. By construction sponsor expense =
// CRO revenue, accrued liability = contract asset and prepaid = contract liability.
//
// A pass-through the CRO handles as agent is no revenue of the CRO's and is billed as incurred:
// the sponsor expenses it and owes it at once (Dr rd_expense / Cr accounts_payable), outside the
// net position; the mirror report names it as the reason sponsor expense exceeds CRO revenue.
#include <algorithm>

#include "books_internal.h"
#include "trialledger/base/check.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"

namespace tl::books {
namespace {

v1::EntryKind SponsorKindOf(v1::EntryKind cro_kind) {
  switch (cro_kind) {
    case v1::ENTRY_KIND_CATCH_UP:
      return v1::ENTRY_KIND_CATCH_UP;  // a change in estimate on both sides
    case v1::ENTRY_KIND_BILLING:
    case v1::ENTRY_KIND_PASS_THROUGH_BILLING:
      return v1::ENTRY_KIND_INVOICE_RECEIVED;
    default:
      return v1::ENTRY_KIND_ACCRUAL;
  }
}

// The sponsor entry for `cro`, numbered `seq`, without its lines.
v1::JournalEntry MirrorOf(const v1::JournalEntry& cro, const SponsorContext& context, uint64_t seq,
                          std::string_view what) {
  v1::JournalEntry entry;
  entry.set_entry_id(StrCat(context.book, "/", internal::ZeroPadded(seq, 8)));
  // The CRO entry's key names its cause; the sponsor's names the same cause in its own book.
  entry.set_idempotency_key(
      StrCat(context.book, ":", cro.contract_id(), ":", cro.idempotency_key()));
  entry.set_book(context.book);
  entry.set_contract_id(cro.contract_id());
  entry.set_payee(cro.book());
  entry.set_kind(SponsorKindOf(cro.kind()));
  entry.set_obligation(cro.obligation());
  internal::DateAndPost(&entry, cro.effective_date_ms(), context.closed_through,
                        StrCat(what, ", as the CRO's entry ", cro.entry_id()));
  entry.set_tx_id(cro.tx_id());
  entry.set_height(cro.height());
  entry.set_event_seq(cro.event_seq());
  entry.set_fact_id(cro.fact_id());
  entry.set_seq(seq);
  entry.set_transaction_price_minor(cro.transaction_price_minor());
  return entry;
}

}  // namespace

namespace internal {

int64_t AgentPassThroughBilled(const v1::JournalEntry& cro) {
  if (cro.kind() != v1::ENTRY_KIND_PASS_THROUGH_BILLING) return 0;
  int64_t billed_minor = 0;
  for (const v1::JournalLine& line : cro.lines()) {
    if (line.account() == "pass_through_receivable") {
      billed_minor = Sum(billed_minor, line.credit_minor() - line.debit_minor());
    }
  }
  return billed_minor;
}

}  // namespace internal

absl::StatusOr<std::vector<v1::JournalEntry>> PostSponsorMirror(
    std::span<const v1::JournalEntry> cro_entries, CroFigures before,
    const SponsorContext& context) {
  std::vector<v1::JournalEntry> entries;
  int64_t expense_minor = before.revenue_to_date_minor;
  int64_t invoiced_minor = before.billed_to_date_minor;
  for (const v1::JournalEntry& cro : cro_entries) {
    const std::string currency = cro.lines().empty() ? "" : cro.lines(0).currency();
    const uint64_t seq = context.next_seq + entries.size();
    v1::JournalEntry entry;
    if (const int64_t agent_minor = internal::AgentPassThroughBilled(cro); agent_minor != 0) {
      entry = MirrorOf(cro, context, seq, "pass-through billed by the CRO as agent");
      internal::AddMovement(&entry, "rd_expense", currency, agent_minor, false);
      internal::AddMovement(&entry, "accounts_payable", currency, agent_minor, true);
    } else {
      const int64_t expense_delta = cro.revenue_to_date_minor() - expense_minor;
      const int64_t invoiced_delta = cro.billed_to_date_minor() - invoiced_minor;
      if (expense_delta == 0 && invoiced_delta == 0) continue;  // the CRO's own cost, say
      const int64_t net_before = expense_minor - invoiced_minor;
      expense_minor = cro.revenue_to_date_minor();
      invoiced_minor = cro.billed_to_date_minor();
      const int64_t net_after = expense_minor - invoiced_minor;
      entry =
          MirrorOf(cro, context, seq, invoiced_delta != 0 ? "CRO invoice received" : "R&D expense");
      internal::AddMovement(&entry, "rd_expense", currency, expense_delta, false);
      internal::MoveNetPosition(&entry, currency, net_before, net_after);
      internal::AddMovement(&entry, "accounts_payable", currency, invoiced_delta, true);
    }
    entry.set_revenue_to_date_minor(expense_minor);
    entry.set_billed_to_date_minor(invoiced_minor);
    if (absl::Status balanced = CheckBalanced(entry); !balanced.ok()) {
      return absl::InternalError(StrCat("the sponsor's mirror of ", cro.entry_id(),
                                        " does not balance: ", balanced.message()));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace tl::books
