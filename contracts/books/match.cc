// The three-way match: for every invoice line, what it bills, the evidence that earns it (the
// facts on the ledger) and the accrual it relieves. A line matches when its evidence stands and
// it bills what was accrued for that work. A line with no evidence, or whose evidence no longer
// stands (retracted, rejected, never on the ledger), is never silently paid: approving the
// invoice needs an override with a reason.
#include "books_internal.h"
#include "trialledger/base/str_cat.h"

namespace tl::books {
namespace {

std::string MismatchReason(const v1::Invoice& invoice, int64_t difference_minor,
                           int64_t accrued_minor) {
  if (accrued_minor == 0 && invoice.on_ledger()) {
    return "nothing was accrued for this work when it was billed: billed ahead of the work, "
           "prepaid until the work is accrued";
  }
  if (accrued_minor == 0) {
    return StrCat("nothing was accrued for this work on the ledger (", invoice.issuer(),
                  " bills from outside it, and no rate of the contract's accruals covers it): "
                  "approving books the whole line as a change in estimate");
  }
  return StrCat(difference_minor > 0 ? "billed more" : "billed less",
                " than was accrued for the same work: the difference is a change in estimate "
                "booked on approval, in the current open period");
}

}  // namespace

std::vector<MatchLine> MatchInvoice(
    const v1::Invoice& invoice,
    const std::function<EvidenceState(std::string_view fact_id)>& evidence_of,
    const std::function<int64_t(const v1::InvoiceLine&)>& accrued_for) {
  std::vector<MatchLine> lines;
  for (const v1::InvoiceLine& line : invoice.lines()) {
    MatchLine& match = lines.emplace_back();
    match.invoice_id = invoice.invoice_id();
    match.line = line.line();
    match.item = line.item();
    match.billed_minor = line.amount_minor();
    std::string invalid;
    for (const std::string& fact_id : line.evidence_fact_ids()) {
      EvidenceState state = evidence_of(fact_id);
      if (!state.valid && invalid.empty()) {
        invalid = StrCat("the evidence ", fact_id, " is ", state.state);
      }
      match.evidence.push_back(std::move(state));
    }
    // A CRO line raised by the contract itself (a fee due at signature, a change order) has the
    // contract event as its evidence.
    const bool evidenced = !line.evidence_fact_ids().empty() || line.event_seq() != 0;
    match.accrued_minor = invoice.received() ? line.accrued_minor() : accrued_for(line);
    match.difference_minor = internal::Sum(match.billed_minor, -match.accrued_minor);
    if (!evidenced) {
      match.status = "no_evidence";
      match.reason = "the line names no fact that earns it";
      match.needs_override = true;
    } else if (!invalid.empty()) {
      match.status = "over_billed";
      match.difference_minor = match.billed_minor;
      match.reason = StrCat(invalid, ": nothing on the ledger earns the line");
      match.needs_override = true;
    } else if (match.difference_minor == 0) {
      match.status = "matched";
    } else {
      match.status = match.difference_minor > 0 ? "over_billed" : "under_billed";
      match.reason = MismatchReason(invoice, match.difference_minor, match.accrued_minor);
    }
  }
  return lines;
}

}  // namespace tl::books
