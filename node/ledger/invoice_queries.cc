#include "trialledger/ledger/invoice_queries.h"

#include "invoice_payloads.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/books/books.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/ledger/contract_records.h"

namespace tl::ledger {
namespace {

absl::StatusOr<std::vector<v1::Invoice>> InvoicesOf(const OrderedStateReader& state,
                                                    std::string_view contract_id) {
  std::vector<v1::Invoice> invoices;
  const std::string prefix = state_keys::InvoiceByContractPrefix(contract_id);
  for (const auto& [key, unused] : state.Scan(prefix, prefix, SIZE_MAX)) {
    const std::string_view invoice_id = std::string_view(key).substr(prefix.size());
    std::optional<v1::Invoice> invoice = ReadInvoice(state, invoice_id);
    if (!invoice.has_value()) {
      return absl::DataLossError(StrCat("invoice ", invoice_id, " is indexed but not stored"));
    }
    invoices.push_back(*std::move(invoice));
  }
  return invoices;
}

void AddMatch(const StateReader& state, const v1::Invoice& invoice,
              google::protobuf::RepeatedPtrField<v1::InvoiceMatchLine>* out) {
  for (const books::MatchLine& line : MatchOf(state, invoice)) {
    v1::InvoiceMatchLine* match = out->Add();
    match->set_invoice_id(line.invoice_id);
    match->set_line(line.line);
    match->set_item(line.item);
    match->set_billed_minor(line.billed_minor);
    for (const books::EvidenceState& evidence : line.evidence) {
      v1::EvidenceFact* fact = match->add_evidence();
      fact->set_fact_id(evidence.fact_id);
      fact->set_kind(evidence.kind);
      fact->set_date_ms(evidence.date_ms);
      fact->set_state(evidence.state);
    }
    match->set_accrued_minor(line.accrued_minor);
    match->set_difference_minor(line.difference_minor);
    match->set_status(line.status);
    match->set_reason(line.reason);
    match->set_needs_override(line.needs_override);
  }
}

}  // namespace

absl::Status ListInvoices(const OrderedStateReader& state, const v1::ListInvoicesRequest& request,
                          v1::ListInvoicesResponse* response) {
  if (!ReadContract(state, request.contract_id()).has_value()) {
    return absl::NotFoundError(StrCat("no contract '", request.contract_id(), "'"));
  }
  absl::StatusOr<std::vector<v1::Invoice>> invoices = InvoicesOf(state, request.contract_id());
  if (!invoices.ok()) return invoices.status();
  for (v1::Invoice& invoice : *invoices)
    *response->add_invoices() = std::move(invoice);
  return absl::OkStatus();
}

absl::Status GetInvoice(const OrderedStateReader& state, const v1::GetInvoiceRequest& request,
                        v1::GetInvoiceResponse* response) {
  std::optional<v1::Invoice> invoice = ReadInvoice(state, request.invoice_id());
  if (!invoice.has_value()) {
    return absl::NotFoundError(StrCat("no invoice '", request.invoice_id(), "'"));
  }
  for (uint64_t seq = 1; seq <= invoice->payment_count(); ++seq) {
    std::optional<v1::Payment> payment = ReadPayment(state, invoice->invoice_id(), seq);
    if (!payment.has_value()) {
      return absl::DataLossError(
          StrCat("payment ", seq, " of invoice ", invoice->invoice_id(), " is not stored"));
    }
    *response->add_payments() = *std::move(payment);
  }
  AddMatch(state, *invoice, response->mutable_match());
  *response->mutable_invoice() = *std::move(invoice);
  return absl::OkStatus();
}

absl::Status GetInvoiceMatch(const OrderedStateReader& state,
                             const v1::GetInvoiceMatchRequest& request,
                             v1::GetInvoiceMatchResponse* response) {
  if (!request.period().empty()) {
    if (absl::Status valid = books::ValidatePeriod(request.period()); !valid.ok()) return valid;
  }
  if (!ReadContract(state, request.contract_id()).has_value()) {
    return absl::NotFoundError(StrCat("no contract '", request.contract_id(), "'"));
  }
  absl::StatusOr<std::vector<v1::Invoice>> invoices = InvoicesOf(state, request.contract_id());
  if (!invoices.ok()) return invoices.status();
  std::optional<v1::ContractBooks> figures = ReadContractBooks(state, request.contract_id());
  response->set_contract_id(request.contract_id());
  response->set_currency(figures.has_value() ? figures->currency() : "");
  for (const v1::Invoice& invoice : *invoices) {
    if (!request.period().empty() && books::PeriodOf(invoice.date_ms()) != request.period()) {
      continue;
    }
    AddMatch(state, invoice, response->mutable_lines());
  }
  return absl::OkStatus();
}

}  // namespace tl::ledger
