// Rule 10, the entries: how a journal entry is named, keyed, dated and checked. Entry ids are
// "<book>/<seq>" (8 digits at least: stable and sortable); idempotency keys name the cause
// (book, contract, transaction, event, the entry's place among the event's entries), so replaying
// the ledger gives the same keys and an ERP that sees one twice books it once.
#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <map>

#include "books_internal.h"
#include "trialledger/base/check.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"

namespace tl::books {

namespace internal {

void AddMovement(v1::JournalEntry* entry, std::string_view account, std::string_view currency,
                 int64_t delta_minor, bool credit_increases) {
  if (delta_minor == 0) return;
  v1::JournalLine* line = entry->add_lines();
  line->set_account(std::string(account));
  line->set_currency(std::string(currency));
  const bool debit = (delta_minor > 0) != credit_increases;
  const int64_t amount_minor = delta_minor > 0 ? delta_minor : -delta_minor;
  line->set_debit_minor(debit ? amount_minor : 0);
  line->set_credit_minor(debit ? 0 : amount_minor);
}

int64_t Movement(const v1::JournalEntry& entry, std::string_view account) {
  int64_t movement = 0;
  for (const v1::JournalLine& line : entry.lines()) {
    if (line.account() == account) {
      movement = Sum(movement, line.debit_minor() - line.credit_minor());
    }
  }
  return movement;
}

void MoveNetPosition(v1::JournalEntry* entry, std::string_view currency, int64_t net_before_minor,
                     int64_t net_after_minor) {
  auto accrued = [](int64_t net) { return std::max<int64_t>(net, 0); };
  auto prepaid = [](int64_t net) { return std::max<int64_t>(-net, 0); };
  AddMovement(entry, "prepaid_clinical_costs", currency,
              prepaid(net_after_minor) - prepaid(net_before_minor), false);
  AddMovement(entry, "accrued_clinical_costs", currency,
              accrued(net_after_minor) - accrued(net_before_minor), true);
}

// The business date at 00:00 UTC of its day; a closed period moves the posting to the first open
// one and the memo says so.
void DateAndPost(v1::JournalEntry* entry, int64_t date_ms, std::string_view closed_through,
                 std::string memo) {
  entry->set_effective_date_ms(StartOfDayMs(date_ms));
  std::string moved_from;
  entry->set_period(PostingPeriod(entry->effective_date_ms(), closed_through, &moved_from));
  if (!moved_from.empty()) {
    StrAppend(&memo, "; dated ", FormatIsoDate(entry->effective_date_ms()), " in closed period ",
              moved_from, ", posted in ", entry->period());
  }
  entry->set_memo(std::move(memo));
}

v1::JournalEntry TwoLineEntry(const PostingContext& context, const CroEvent& event, uint64_t seq,
                              int n, v1::EntryKind kind, std::string_view currency,
                              std::string_view debit_account, std::string_view credit_account,
                              int64_t amount_minor, std::string memo) {
  TL_CHECK(amount_minor != 0);
  if (amount_minor < 0) {
    std::swap(debit_account, credit_account);
    amount_minor = -amount_minor;
  }
  v1::JournalEntry entry;
  entry.set_entry_id(StrCat(context.book, "/", ZeroPadded(seq, 8)));
  entry.set_idempotency_key(StrCat(context.book, ":", context.contract_id, ":",
                                   ToHex(context.tx_id), ":", event.event_seq, ":", n));
  entry.set_book(context.book);
  entry.set_contract_id(context.contract_id);
  entry.set_kind(kind);
  // The business date of the cause.
  DateAndPost(&entry, event.cause.effective_date_ms, context.closed_through, std::move(memo));
  auto add_line = [&](std::string_view account, int64_t debit_minor, int64_t credit_minor) {
    v1::JournalLine* line = entry.add_lines();
    line->set_account(std::string(account));
    line->set_currency(std::string(currency));
    line->set_debit_minor(debit_minor);
    line->set_credit_minor(credit_minor);
  };
  add_line(debit_account, amount_minor, 0);
  add_line(credit_account, 0, amount_minor);
  entry.set_tx_id(context.tx_id);
  entry.set_height(context.height);
  entry.set_event_seq(event.event_seq);
  entry.set_fact_id(event.cause.fact_id);
  entry.set_seq(seq);
  return entry;
}

}  // namespace internal

absl::Status CheckBalanced(const v1::JournalEntry& entry) {
  using Wide = boost::multiprecision::checked_int256_t;
  auto fault = [&](std::string_view why) {
    return absl::InvalidArgumentError(StrCat("entry ", entry.entry_id(), ": ", why));
  };
  if (entry.lines_size() < 2) return fault("an entry needs at least two lines");
  std::map<std::string, Wide> debit_less_credit;  // per currency
  for (const v1::JournalLine& line : entry.lines()) {
    if (line.account().empty()) return fault("a line names no account");
    if (line.currency().empty()) return fault(StrCat("line ", line.account(), " has no currency"));
    if (line.debit_minor() < 0 || line.credit_minor() < 0) {
      return fault(StrCat("line ", line.account(), " has a negative side"));
    }
    if ((line.debit_minor() > 0) == (line.credit_minor() > 0)) {
      return fault(StrCat("line ", line.account(), " needs exactly one positive side"));
    }
    debit_less_credit[line.currency()] += Wide(line.debit_minor()) - line.credit_minor();
  }
  for (const auto& [currency, difference] : debit_less_credit) {
    if (difference != 0) return fault(StrCat("debits and credits in ", currency, " differ"));
  }
  return absl::OkStatus();
}

std::string_view EntryKindName(v1::EntryKind kind) {
  switch (kind) {
    case v1::ENTRY_KIND_REVENUE:
      return "revenue";
    case v1::ENTRY_KIND_CATCH_UP:
      return "catch_up";
    case v1::ENTRY_KIND_BILLING:
      return "billing";
    case v1::ENTRY_KIND_PASS_THROUGH_COST:
      return "pass_through_cost";
    case v1::ENTRY_KIND_PASS_THROUGH_BILLING:
      return "pass_through_billing";
    case v1::ENTRY_KIND_ACCRUAL:
      return "accrual";
    case v1::ENTRY_KIND_INVOICE_RECEIVED:
      return "invoice_received";
    case v1::ENTRY_KIND_PAYMENT:
      return "payment";
    default:
      return "unspecified";
  }
}

}  // namespace tl::books
