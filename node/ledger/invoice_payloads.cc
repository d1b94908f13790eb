#include "invoice_payloads.h"

#include <set>

#include "trialledger/base/check.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/books/books.h"
#include "trialledger/contracts/fact_payload.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/ledger/contract_records.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/roles.h"

namespace tl::ledger {
namespace {

v1::TxResult Invalid(std::string message) {
  return TxReject(v1::TX_INVALID_PAYLOAD, std::move(message));
}

v1::TxResult Denied(const v1::MemberRecord& signer, std::string_view what) {
  return TxReject(v1::TX_PERMISSION_DENIED, StrCat("member '", signer.member().name(), "' of '",
                                                   signer.member().org(), "' may not ", what));
}

// A business date: 00:00 UTC of a day the calendar rules allow.
bool IsDay(int64_t date_ms) {
  if (date_ms <= 0 || StartOfDayMs(date_ms) != date_ms) return false;
  const CivilDate date = CivilFromMs(date_ms);
  return IsValidDate(date.year, date.month, date.day);
}

absl::Status CheckText(std::string_view what, std::string_view text, bool required) {
  if (required && text.empty()) return absl::InvalidArgumentError(StrCat(what, " is missing"));
  if (text.size() > limits::kInvoiceTextBytesMax) {
    return absl::InvalidArgumentError(
        StrCat(what, " is longer than ", limits::kInvoiceTextBytesMax, " bytes"));
  }
  return absl::OkStatus();
}

// An invoice from outside the ledger, checked where it enters: every field named in the error.
absl::Status ValidateRecorded(const v1::RecordInvoice& payload, std::string_view currency) {
  for (absl::Status s : {CheckText("the payee", payload.payee(), true),
                         CheckText("the invoice number", payload.number(), true)}) {
    if (!s.ok()) return s;
  }
  if (!IsDay(payload.date_ms())) {
    return absl::InvalidArgumentError("the invoice date is missing or not a day");
  }
  if (payload.lines().empty() ||
      static_cast<size_t>(payload.lines_size()) > limits::kInvoiceLinesMax) {
    return absl::InvalidArgumentError(
        StrCat("an invoice has 1 to ", limits::kInvoiceLinesMax, " lines"));
  }
  if (payload.currency() != currency) {
    return absl::InvalidArgumentError(
        StrCat("the invoice is in '", payload.currency(), "'; the contract is in ", currency));
  }
  int64_t total = 0;
  for (int i = 0; i < payload.lines_size(); ++i) {
    const v1::InvoiceLine& line = payload.lines(i);
    const std::string where = StrCat("line ", i + 1);
    if (absl::Status s = CheckText(StrCat(where, ": the item"), line.item(), true); !s.ok()) {
      return s;
    }
    if (line.amount_minor() == 0 || line.amount_minor() < -books::kAmountMinorMax ||
        line.amount_minor() > books::kAmountMinorMax) {
      return absl::InvalidArgumentError(
          StrCat(where, ": the amount must be non-zero and within the books' limit"));
    }
    if (line.holdback_minor() != 0 || line.event_seq() != 0 || !line.entry_id().empty()) {
      return absl::InvalidArgumentError(
          StrCat(where, ": holdback, event and entry are the ledger's to set"));
    }
    if (static_cast<size_t>(line.evidence_fact_ids_size()) > limits::kInvoiceEvidencePerLineMax) {
      return absl::InvalidArgumentError(
          StrCat(where, ": more than ", limits::kInvoiceEvidencePerLineMax, " evidence facts"));
    }
    std::set<std::string_view> named;
    for (const std::string& fact : line.evidence_fact_ids()) {
      if (absl::Status s = CheckText(StrCat(where, ": an evidence fact id"), fact, true); !s.ok()) {
        return s;
      }
      if (!named.insert(fact).second) {
        return absl::InvalidArgumentError(StrCat(where, ": evidence ", fact, " is named twice"));
      }
    }
    total += line.amount_minor();
  }
  if (total <= 0) return absl::InvalidArgumentError("the invoice's total must be positive");
  return absl::OkStatus();
}

// Where the next entry of `org`'s book goes, carrying the contract's current figures.
struct BookAndContext {
  v1::BookRecord book;
  books::EntryContext context;
};

absl::StatusOr<BookAndContext> NextEntry(const StateReader& state, std::string_view org,
                                         std::string_view contract_id, const DecodedTx& tx,
                                         const TxContext& tx_context) {
  std::optional<v1::BookRecord> book = ReadBook(state, org);
  if (!book.has_value()) {
    return absl::DataLossError(StrCat("organisation '", org, "' has no book record"));
  }
  BookAndContext next{*std::move(book), {}};
  next.context.book = std::string(org);
  next.context.contract_id = std::string(contract_id);
  next.context.closed_through = next.book.closed_through();
  next.context.tx_id = tx.id;
  next.context.height = tx_context.height;
  next.context.seq = next.book.entry_count() + 1;
  if (std::optional<v1::ContractBooks> figures = ReadContractBooks(state, contract_id)) {
    next.context.transaction_price_minor = figures->transaction_price_minor();
    for (const v1::NamedAmount& revenue : figures->revenue_to_date()) {
      next.context.revenue_to_date_minor += revenue.amount_minor();
    }
    next.context.billed_to_date_minor = figures->billed_to_date_minor();
  }
  return next;
}

absl::Status Store(const v1::JournalEntry& entry, BookAndContext& next, StateOverlay& state) {
  if (absl::Status appended = AppendEntries({entry}, next.book, state); !appended.ok()) {
    return appended;
  }
  WriteBook(next.book, state);
  return absl::OkStatus();
}

// Whether the contract has booked anything in either book.
bool HasPostings(const v1::ContractBooks& figures) {
  if (figures.billed_to_date_minor() != 0 || !figures.pass_through_spent().empty()) return true;
  for (const v1::NamedAmount& revenue : figures.revenue_to_date()) {
    if (revenue.amount_minor() != 0) return true;
  }
  return false;
}

// A contract its sponsor's finance acts on, with the books it has.
struct SponsorsContract {
  v1::ContractRecord contract;
  v1::ContractBooks figures;
};

// `contract_id` when `signer` is of its sponsor and it has books; otherwise nullopt and the
// refusal in `refused`. `action` says what was refused ("record invoices for").
std::optional<SponsorsContract> SponsorsContractOf(std::string_view contract_id,
                                                   const v1::MemberRecord& signer,
                                                   std::string_view action,
                                                   const StateReader& state,
                                                   v1::TxResult* refused) {
  std::optional<v1::ContractRecord> contract = ReadContract(state, contract_id);
  if (!contract.has_value()) {
    *refused = Invalid(StrCat("no contract '", contract_id, "'"));
    return std::nullopt;
  }
  if (signer.member().org() != contract->sponsor()) {
    *refused = Denied(
        signer, StrCat(action, " contract ", contract_id, ": only its sponsor's finance may"));
    return std::nullopt;
  }
  std::optional<v1::ContractBooks> figures = ReadContractBooks(state, contract_id);
  if (!figures.has_value()) {
    *refused = Invalid(StrCat("contract ", contract_id, " has no books yet"));
    return std::nullopt;
  }
  return SponsorsContract{*std::move(contract), *std::move(figures)};
}

absl::StatusOr<v1::TxResult> RecordInvoice(const DecodedTx& tx, const v1::RecordInvoice& payload,
                                           const v1::MemberRecord& signer, const TxContext& context,
                                           StateOverlay& state) {
  v1::TxResult refused;
  std::optional<SponsorsContract> found =
      SponsorsContractOf(payload.contract_id(), signer, "record invoices for", state, &refused);
  if (!found.has_value()) return refused;
  const v1::ContractRecord* contract = &found->contract;
  const v1::ContractBooks* figures = &found->figures;
  if (absl::Status valid = ValidateRecorded(payload, figures->currency()); !valid.ok()) {
    return Invalid(StrCat("invoice ", payload.number(), ": ", valid.message()));
  }
  std::optional<v1::BookRecord> book = ReadBook(state, contract->sponsor());
  if (!book.has_value()) return absl::DataLossError("the sponsor has no book record");
  book->set_invoice_count(book->invoice_count() + 1);
  v1::Invoice invoice;
  invoice.set_invoice_id(books::InvoiceId(contract->sponsor(), "REC", book->invoice_count()));
  invoice.set_number(payload.number());
  invoice.set_contract_id(contract->contract_id());
  invoice.set_issuer(payload.payee());
  invoice.set_payer(contract->sponsor());
  invoice.set_currency(payload.currency());
  invoice.set_date_ms(payload.date_ms());
  for (int i = 0; i < payload.lines_size(); ++i) {
    v1::InvoiceLine* line = invoice.add_lines();
    *line = payload.lines(i);
    line->set_line(static_cast<uint32_t>(i + 1));
    invoice.set_total_minor(invoice.total_minor() + line->amount_minor());
  }
  invoice.set_tx_id(tx.id);
  invoice.set_height(context.height);
  invoice.set_recorded_by(signer.member().name());
  invoice.set_status(v1::INVOICE_STATUS_AWAITING_APPROVAL);
  WriteInvoice(invoice, state);
  WriteBook(*book, state);
  return TxOk();
}

absl::StatusOr<v1::TxResult> ApproveInvoice(const DecodedTx& tx, const v1::ApproveInvoice& payload,
                                            const v1::MemberRecord& signer,
                                            const TxContext& context, StateOverlay& state) {
  std::optional<v1::Invoice> invoice = ReadInvoice(state, payload.invoice_id());
  if (!invoice.has_value()) return Invalid(StrCat("no invoice '", payload.invoice_id(), "'"));
  if (signer.member().org() != invoice->payer()) {
    return Denied(signer, StrCat("approve invoice ", invoice->invoice_id(),
                                 ": only its payer's finance may"));
  }
  if (invoice->recorded_by() == signer.member().name()) {
    return Denied(signer, StrCat("approve invoice ", invoice->invoice_id(),
                                 ", which they recorded: another finance member must"));
  }
  if (invoice->status() != v1::INVOICE_STATUS_AWAITING_APPROVAL) {
    return Invalid(StrCat("invoice ", invoice->invoice_id(), " is not awaiting approval"));
  }
  if (payload.override_reason().size() > limits::kReasonBytesMax) {
    return Invalid(
        StrCat("the override reason is longer than ", limits::kReasonBytesMax, " bytes"));
  }
  std::optional<v1::AccrualGrid> grid = ReadAccrualGrid(state, invoice->contract_id());
  StateGridStore store(state, invoice->contract_id());
  const std::vector<books::MatchLine> match = MatchOf(state, *invoice);
  int64_t accrued_minor = 0;
  for (const books::MatchLine& line : match) {
    accrued_minor += line.accrued_minor;
    if (line.needs_override && payload.override_reason().empty()) {
      return Invalid(StrCat("invoice ", invoice->invoice_id(), " line ", line.line, " (", line.item,
                            "): ", line.reason, "; approving it needs an override with a reason"));
    }
  }
  invoice->set_status(v1::INVOICE_STATUS_APPROVED);
  invoice->set_approved_by(signer.member().name());
  invoice->set_approved_tx_id(tx.id);
  invoice->set_approved_time_ms(context.block_time_ms);
  invoice->set_override_reason(payload.override_reason());
  WriteInvoice(*invoice, state);
  // A CRO invoice was received into payable in the block that issued it.
  if (invoice->on_ledger()) return TxOk();
  absl::StatusOr<BookAndContext> next =
      NextEntry(state, invoice->payer(), invoice->contract_id(), tx, context);
  if (!next.ok()) return next.status();
  absl::StatusOr<v1::JournalEntry> entry =
      grid.has_value()
          ? books::PostGridInvoice(&*grid, &*invoice, store, context.block_time_ms, next->context)
          : books::PostOutsideInvoiceApproved(*invoice, accrued_minor, context.block_time_ms,
                                              next->context);
  if (grid.has_value()) {
    WriteAccrualGrid(*grid, state);
  } else {
    invoice->set_received(true);  // under the mirror nothing outside the ledger was accrued
  }
  WriteInvoice(*invoice, state);
  if (!entry.ok()) return absl::DataLossError(entry.status().message());
  if (absl::Status stored = Store(*entry, *next, state); !stored.ok()) return stored;
  return TxOk();
}

absl::StatusOr<v1::TxResult> RecordPayment(const DecodedTx& tx, const v1::RecordPayment& payload,
                                           const v1::MemberRecord& signer, const TxContext& context,
                                           StateOverlay& state) {
  std::optional<v1::Invoice> invoice = ReadInvoice(state, payload.invoice_id());
  if (!invoice.has_value()) return Invalid(StrCat("no invoice '", payload.invoice_id(), "'"));
  if (signer.member().org() != invoice->payer()) {
    return Denied(signer,
                  StrCat("pay invoice ", invoice->invoice_id(), ": only its payer's finance may"));
  }
  if (invoice->status() != v1::INVOICE_STATUS_APPROVED) {
    return Invalid(
        StrCat("invoice ", invoice->invoice_id(), " is ",
               invoice->status() == v1::INVOICE_STATUS_PAID ? "already paid" : "not approved"));
  }
  const int64_t outstanding = invoice->total_minor() - invoice->paid_minor();
  if (payload.amount_minor() <= 0 || payload.amount_minor() > outstanding) {
    return Invalid(StrCat("a payment of invoice ", invoice->invoice_id(),
                          " must be positive and at most what is outstanding (", outstanding,
                          " minor units)"));
  }
  if (!IsDay(payload.date_ms())) return Invalid("the payment date is missing or not a day");
  if (absl::Status s = CheckText("the payment reference", payload.reference(), false); !s.ok()) {
    return Invalid(std::string(s.message()));
  }
  v1::Payment payment;
  payment.set_seq(invoice->payment_count() + 1);
  payment.set_invoice_id(invoice->invoice_id());
  payment.set_amount_minor(payload.amount_minor());
  payment.set_date_ms(payload.date_ms());
  payment.set_reference(payload.reference());
  payment.set_paid_by(signer.member().name());
  payment.set_tx_id(tx.id);
  payment.set_height(context.height);
  invoice->set_payment_count(payment.seq());
  invoice->set_paid_minor(invoice->paid_minor() + payment.amount_minor());
  if (invoice->paid_minor() == invoice->total_minor()) {
    invoice->set_status(v1::INVOICE_STATUS_PAID);
  }
  WriteInvoice(*invoice, state);
  WritePayment(payment, state);
  absl::StatusOr<BookAndContext> next =
      NextEntry(state, invoice->payer(), invoice->contract_id(), tx, context);
  if (!next.ok()) return next.status();
  if (absl::Status stored =
          Store(books::PostPayment(*invoice, payment, false, next->context), *next, state);
      !stored.ok()) {
    return stored;
  }
  return TxOk();
}

absl::StatusOr<v1::TxResult> ConfirmReceipt(const DecodedTx& tx, const v1::ConfirmReceipt& payload,
                                            const v1::MemberRecord& signer,
                                            const TxContext& context, StateOverlay& state) {
  std::optional<v1::Invoice> invoice = ReadInvoice(state, payload.invoice_id());
  if (!invoice.has_value()) return Invalid(StrCat("no invoice '", payload.invoice_id(), "'"));
  if (!invoice->on_ledger() || signer.member().org() != invoice->issuer()) {
    return Denied(signer, StrCat("confirm payments of invoice ", invoice->invoice_id(),
                                 ": only its issuer's finance may"));
  }
  std::optional<v1::Payment> payment =
      ReadPayment(state, invoice->invoice_id(), payload.payment_seq());
  if (!payment.has_value()) {
    return Invalid(
        StrCat("invoice ", invoice->invoice_id(), " has no payment ", payload.payment_seq()));
  }
  if (!payment->confirmed_by().empty()) {
    return Invalid(StrCat("payment ", payment->seq(), " of invoice ", invoice->invoice_id(),
                          " is already confirmed"));
  }
  payment->set_confirmed_by(signer.member().name());
  payment->set_confirmed_tx_id(tx.id);
  invoice->set_received_minor(invoice->received_minor() + payment->amount_minor());
  WritePayment(*payment, state);
  WriteInvoice(*invoice, state);
  absl::StatusOr<BookAndContext> next =
      NextEntry(state, invoice->issuer(), invoice->contract_id(), tx, context);
  if (!next.ok()) return next.status();
  if (absl::Status stored =
          Store(books::PostPayment(*invoice, *payment, true, next->context), *next, state);
      !stored.ok()) {
    return stored;
  }
  return TxOk();
}

absl::StatusOr<v1::TxResult> SetAccrualGrid(const v1::SetAccrualGrid& payload,
                                            const v1::MemberRecord& signer,
                                            const TxContext& context, StateOverlay& state) {
  v1::TxResult refused;
  std::optional<SponsorsContract> found =
      SponsorsContractOf(payload.contract_id(), signer, "set the accrual grid of", state, &refused);
  if (!found.has_value()) return refused;
  const v1::ContractRecord* contract = &found->contract;
  const v1::ContractBooks* figures = &found->figures;
  if (payload.currency() != figures->currency()) {
    return Invalid(StrCat("accrual grid of ", contract->contract_id(), ": rates in '",
                          payload.currency(), "'; the contract is in ", figures->currency()));
  }
  if (absl::Status valid = books::ValidateGrid(payload.rates(), payload.holdback_released_by());
      !valid.ok()) {
    return Invalid(StrCat("accrual grid of ", contract->contract_id(), ": ", valid.message()));
  }
  for (const v1::GridRate& rate : payload.rates()) {
    for (absl::Status s :
         {CheckText("a payee", rate.payee(), true), CheckText("a site", rate.site(), false),
          CheckText("a visit type", rate.visit_type(), false)}) {
      if (!s.ok()) return Invalid(std::string(s.message()));
    }
  }
  // A replaced grid keeps what the payees are owed and what each fact accrued; new rates apply
  // to facts from the next one on.
  std::optional<v1::AccrualGrid> current = ReadAccrualGrid(state, contract->contract_id());
  // The first grid comes before anything is booked: a sponsor book half mirror and half grid
  // would leave the mirror's accrual with nothing to relieve it.
  if (!current.has_value() && HasPostings(*figures)) {
    return Invalid(StrCat("accrual grid of ", contract->contract_id(),
                          ": the sponsor's book already follows the CRO's measure (mirror) on "
                          "this contract; a grid is set before its first posting"));
  }
  v1::AccrualGrid grid = current.value_or(v1::AccrualGrid());
  grid.set_contract_id(contract->contract_id());
  grid.set_currency(figures->currency());
  *grid.mutable_rates() = payload.rates();
  grid.set_holdback_released_by(payload.holdback_released_by());
  grid.set_set_by(signer.member().name());
  grid.set_height(context.height);
  WriteAccrualGrid(grid, state);
  return TxOk();
}

}  // namespace

std::vector<books::MatchLine> MatchOf(const StateReader& state, const v1::Invoice& invoice) {
  const std::optional<v1::AccrualGrid> grid = ReadAccrualGrid(state, invoice.contract_id());
  // A read of the grid's records through the writable store's interface: nothing is written.
  StateOverlay scratch(state);
  StateGridStore store(scratch, invoice.contract_id());
  return books::MatchInvoice(
      invoice,
      [&](std::string_view fact_id) { return EvidenceOf(state, invoice.contract_id(), fact_id); },
      [&](const v1::InvoiceLine& line) {
        return grid.has_value() ? books::GridAccruedFor(*grid, line, invoice.issuer(), store)
                                : int64_t{0};
      });
}

bool IsInvoicePayload(v1::TxBody::PayloadCase payload) {
  return payload == v1::TxBody::kRecordInvoice || payload == v1::TxBody::kApproveInvoice ||
         payload == v1::TxBody::kRecordPayment || payload == v1::TxBody::kConfirmReceipt ||
         payload == v1::TxBody::kSetAccrualGrid;
}

v1::TxResult CheckInvoiceRole(const v1::TxBody& body, const v1::MemberRecord& signer) {
  TL_CHECK(IsInvoicePayload(body.payload_case()));
  if (roles::Holds(signer.member().roles(), roles::kFinance)) return TxOk();
  return TxReject(v1::TX_PERMISSION_DENIED,
                  StrCat("member '", signer.member().name(), "' of '", signer.member().org(),
                         "' lacks the finance role that invoices, payments and accrual grids need"),
                  true);
}

absl::StatusOr<v1::TxResult> ExecuteInvoicePayload(const DecodedTx& tx,
                                                   const v1::MemberRecord& signer,
                                                   const TxContext& context, StateOverlay& state) {
  switch (tx.body.payload_case()) {
    case v1::TxBody::kRecordInvoice:
      return RecordInvoice(tx, tx.body.record_invoice(), signer, context, state);
    case v1::TxBody::kApproveInvoice:
      return ApproveInvoice(tx, tx.body.approve_invoice(), signer, context, state);
    case v1::TxBody::kRecordPayment:
      return RecordPayment(tx, tx.body.record_payment(), signer, context, state);
    case v1::TxBody::kConfirmReceipt:
      return ConfirmReceipt(tx, tx.body.confirm_receipt(), signer, context, state);
    case v1::TxBody::kSetAccrualGrid:
      return SetAccrualGrid(tx.body.set_accrual_grid(), signer, context, state);
    default:
      return TxReject(v1::TX_MALFORMED, "not an invoice payload");
  }
}

books::EvidenceState EvidenceOf(const StateReader& state, std::string_view contract_id,
                                std::string_view fact_id) {
  books::EvidenceState evidence;
  evidence.fact_id = std::string(fact_id);
  std::optional<v1::FactRecord> record = ReadFactById(state, contract_id, fact_id);
  if (!record.has_value()) {
    evidence.state = "not on the ledger";
    return evidence;
  }
  const google::protobuf::FieldDescriptor* kind =
      record->fact().GetDescriptor()->FindFieldByNumber(record->fact().kind_case());
  evidence.kind = kind != nullptr ? kind->name() : "";
  std::optional<int64_t> date = contracts::FactDateMs(record->fact());
  evidence.date_ms = date.value_or(0);
  switch (record->outcome().code()) {
    case v1::FACT_APPLIED:
      evidence.state = "applied";
      break;
    case v1::FACT_CORRECTED:
      evidence.state = "corrected";
      break;
    default:
      evidence.state = "rejected";
      break;
  }
  if (record->fact().kind_case() == v1::Fact::kRetracted) evidence.state = "retracted";
  evidence.valid = evidence.state == "applied" || evidence.state == "corrected";
  return evidence;
}

}  // namespace tl::ledger
