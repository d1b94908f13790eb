// The invoice cycle: the CRO's invoices as the contract's billing events make them, the sponsor's
// approval of an invoice from outside the ledger, and payments on both sides. A CRO invoice needs
// no entry of its own: the CRO booked it as billing and the sponsor's mirror received it in the
// same block (sponsor.cc). What an invoice from outside the ledger owes is booked when the
// sponsor approves it, against what was accrued for the same work, the difference a change in
// estimate of the current open period.
#include "books_internal.h"
#include "trialledger/base/check.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"

namespace tl::books {
namespace {

const CroEvent* EventOf(std::span<const CroEvent> events, uint64_t event_seq) {
  for (const CroEvent& event : events) {
    if (event.event_seq == event_seq) return &event;
  }
  return nullptr;
}

std::string TextField(const CroEvent& event, std::string_view name) {
  for (const v1::EventField& field : event.event.fields()) {
    if (field.name() == name && field.value_case() == v1::EventField::kText) return field.text();
  }
  return "";
}

int64_t MoneyField(const CroEvent& event, std::string_view name) {
  for (const v1::EventField& field : event.event.fields()) {
    if (field.name() == name && field.value_case() == v1::EventField::kMoney) {
      return field.money().amount_minor();
    }
  }
  return 0;
}

int64_t Receivable(const v1::JournalEntry& entry) {
  return internal::Movement(entry, "accounts_receivable");
}

v1::JournalEntry NewEntry(const EntryContext& context, v1::EntryKind kind, std::string key,
                          int64_t date_ms, std::string memo) {
  v1::JournalEntry entry;
  entry.set_entry_id(StrCat(context.book, "/", internal::ZeroPadded(context.seq, 8)));
  entry.set_idempotency_key(std::move(key));
  entry.set_book(context.book);
  entry.set_contract_id(context.contract_id);
  entry.set_kind(kind);
  internal::DateAndPost(&entry, date_ms, context.closed_through, std::move(memo));
  entry.set_tx_id(context.tx_id);
  entry.set_height(context.height);
  entry.set_seq(context.seq);
  entry.set_transaction_price_minor(context.transaction_price_minor);
  entry.set_revenue_to_date_minor(context.revenue_to_date_minor);
  entry.set_billed_to_date_minor(context.billed_to_date_minor);
  return entry;
}

}  // namespace

std::string InvoiceId(std::string_view book, std::string_view series, uint64_t number) {
  return StrCat(book, "/", series, "-", internal::ZeroPadded(number, 8));
}

std::optional<v1::Invoice> InvoiceOfRun(std::span<const v1::JournalEntry> cro_entries,
                                        std::span<const CroEvent> events,
                                        const InvoiceContext& context) {
  v1::Invoice invoice;
  for (const v1::JournalEntry& entry : cro_entries) {
    if (entry.kind() != v1::ENTRY_KIND_BILLING &&
        entry.kind() != v1::ENTRY_KIND_PASS_THROUGH_BILLING) {
      continue;
    }
    v1::InvoiceLine* line = invoice.add_lines();
    line->set_line(static_cast<uint32_t>(invoice.lines_size()));
    line->set_amount_minor(Receivable(entry));
    line->set_event_seq(entry.event_seq());
    line->set_entry_id(entry.entry_id());
    if (!entry.fact_id().empty()) line->add_evidence_fact_ids(entry.fact_id());
    if (const CroEvent* event = EventOf(events, entry.event_seq()); event != nullptr) {
      const bool due = event->event.name() == "invoice_due";
      line->set_item(TextField(*event, due ? "item" : "pass_through"));
      if (due) line->set_holdback_minor(MoneyField(*event, "holdback"));
    }
    // The sponsor's mirror receives it in the same block against what it accrued: all of it.
    line->set_accrued_minor(line->amount_minor());
    if (invoice.lines_size() == 1) invoice.set_date_ms(entry.effective_date_ms());
    invoice.set_total_minor(internal::Sum(invoice.total_minor(), line->amount_minor()));
  }
  if (invoice.lines().empty()) return std::nullopt;
  invoice.set_invoice_id(InvoiceId(context.issuer, "INV", context.number));
  invoice.set_number(invoice.invoice_id().substr(context.issuer.size() + 1));
  invoice.set_contract_id(context.contract_id);
  invoice.set_issuer(context.issuer);
  invoice.set_payer(context.payer);
  invoice.set_currency(context.currency);
  invoice.set_on_ledger(true);
  invoice.set_tx_id(context.tx_id);
  invoice.set_height(context.height);
  invoice.set_status(v1::INVOICE_STATUS_AWAITING_APPROVAL);
  invoice.set_received(true);
  return invoice;
}

absl::StatusOr<v1::JournalEntry> PostOutsideInvoiceApproved(const v1::Invoice& invoice,
                                                            int64_t accrued_minor, int64_t date_ms,
                                                            const EntryContext& context) {
  const int64_t true_up_minor = internal::Sum(invoice.total_minor(), -accrued_minor);
  std::string memo = StrCat("invoice ", invoice.number(), " of ", invoice.issuer(), " approved");
  if (true_up_minor != 0 && accrued_minor != 0) {
    StrAppend(&memo, "; ", true_up_minor > 0 ? "billed over" : "billed under",
              " the accrual: a change in estimate");
  }
  v1::JournalEntry entry = NewEntry(
      context, accrued_minor != 0 ? v1::ENTRY_KIND_CATCH_UP : v1::ENTRY_KIND_INVOICE_RECEIVED,
      StrCat(context.book, ":invoice:", invoice.invoice_id()), date_ms, std::move(memo));
  entry.set_payee(invoice.issuer());
  entry.set_invoice_id(invoice.invoice_id());
  entry.set_outside_invoice(!invoice.on_ledger());
  internal::AddMovement(&entry, "accrued_clinical_costs", invoice.currency(), accrued_minor, false);
  internal::AddMovement(&entry, "rd_expense", invoice.currency(), true_up_minor, false);
  internal::AddMovement(&entry, "accounts_payable", invoice.currency(), -invoice.total_minor(),
                        false);
  if (absl::Status balanced = CheckBalanced(entry); !balanced.ok()) {
    return absl::InternalError(
        StrCat("approving ", invoice.invoice_id(), ": ", balanced.message()));
  }
  return entry;
}

v1::JournalEntry PostPayment(const v1::Invoice& invoice, const v1::Payment& payment, bool received,
                             const EntryContext& context) {
  TL_CHECK(payment.amount_minor() > 0);
  v1::JournalEntry entry = NewEntry(
      context, v1::ENTRY_KIND_PAYMENT,
      StrCat(context.book, received ? ":receipt:" : ":payment:", invoice.invoice_id(), ":",
             payment.seq()),
      payment.date_ms(),
      StrCat(received ? "payment received for " : "payment of ", invoice.number(),
             payment.reference().empty() ? "" : StrCat(", reference ", payment.reference())));
  entry.set_payee(invoice.issuer());
  entry.set_invoice_id(invoice.invoice_id());
  entry.set_outside_invoice(!invoice.on_ledger());
  if (received) {
    internal::AddMovement(&entry, "cash", invoice.currency(), payment.amount_minor(), false);
    internal::AddMovement(&entry, "accounts_receivable", invoice.currency(),
                          -payment.amount_minor(), false);
  } else {
    internal::AddMovement(&entry, "accounts_payable", invoice.currency(), payment.amount_minor(),
                          false);
    internal::AddMovement(&entry, "cash", invoice.currency(), -payment.amount_minor(), false);
  }
  return entry;
}

}  // namespace tl::books
