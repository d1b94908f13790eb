// Rules 6, 7 and 8: a contract run's events, in order, become entries in the CRO's book. After
// every event the revenue rules run again on the new position (revenue.cc) and each obligation
// whose revenue to date moved gets one entry for the difference: revenue for work done, a
// catch-up for a change of price or estimate. Invoices and pass-throughs book what the event
// says. Each entry carries the contract's figures after it, so reports need only the journal.
#include "books_internal.h"
#include "trialledger/base/str_cat.h"

namespace tl::books {
namespace {

using internal::EventMeaning;
using internal::Recognition;

void SetNamed(google::protobuf::RepeatedPtrField<v1::NamedAmount>* amounts, std::string_view name,
              int64_t amount_minor) {
  for (v1::NamedAmount& amount : *amounts) {
    if (amount.name() == name) {
      amount.set_amount_minor(amount_minor);
      return;
    }
  }
  v1::NamedAmount* added = amounts->Add();
  added->set_name(std::string(name));
  added->set_amount_minor(amount_minor);
}

// Per obligation in SOW order.
void SetAllocation(const ContractTerms& terms, const Recognition& recognition,
                   v1::ContractBooks* position) {
  position->set_transaction_price_minor(recognition.transaction_price_minor);
  position->clear_allocated_price();
  for (size_t i = 0; i < terms.obligations.size(); ++i) {
    SetNamed(position->mutable_allocated_price(), terms.obligations[i].name,
             recognition.allocated_minor[i]);
  }
}

class CroPoster {
 public:
  CroPoster(const ContractTerms& terms, v1::ContractBooks position, const PostingContext& context)
      : terms_(terms), context_(context) {
    posting_.position = std::move(position);
  }

  absl::Status Post(const CroEvent& event) {
    v1::ContractBooks& position = posting_.position;
    if (absl::Status s = internal::CheckCurrencies(event, position.currency()); !s.ok()) return s;
    absl::StatusOr<EventMeaning> meaning = internal::ApplyEvent(terms_, event, &position);
    if (!meaning.ok()) return meaning.status();
    const Recognition recognition = internal::Recognise(terms_, position);
    SetAllocation(terms_, recognition, &position);
    entry_in_event_ = 0;
    if (meaning->pass_through != nullptr && meaning->pass_through_minor != 0) {
      if (absl::Status s = PostPassThrough(event, *meaning); !s.ok()) return s;
    }
    if (meaning->billed_minor != 0) {  // rule 7: an invoice, or a credit note when negative
      position.set_billed_to_date_minor(
          internal::Sum(position.billed_to_date_minor(), meaning->billed_minor));
      if (absl::Status s = Book(event, v1::ENTRY_KIND_BILLING, "", "accounts_receivable",
                                "contract_balance", meaning->billed_minor, meaning->why);
          !s.ok()) {
        return s;
      }
    }
    return PostRevenue(event, *meaning, recognition);
  }

  Posting Finish() && { return std::move(posting_); }

 private:
  // Rule 8. A principal books the cost gross (expense and accrual) and re-bills it at cost
  // against the contract balance, where its revenue meets it. An agent books neither revenue nor
  // expense: a receivable from the sponsor, re-billed. A reversal (negative) swaps every side.
  absl::Status PostPassThrough(const CroEvent& event, const EventMeaning& meaning) {
    const PassThroughTerms& pass_through = *meaning.pass_through;
    const int64_t amount_minor = meaning.pass_through_minor;
    const std::string_view reversed = amount_minor < 0 ? " reversed" : "";
    if (!pass_through.principal) {
      if (absl::Status s =
              Book(event, v1::ENTRY_KIND_PASS_THROUGH_COST, "", "pass_through_receivable",
                   "accrued_investigator_payments", amount_minor,
                   StrCat("pass-through cost as agent", reversed, ": ", pass_through.name));
          !s.ok()) {
        return s;
      }
      return Book(event, v1::ENTRY_KIND_PASS_THROUGH_BILLING, "", "accounts_receivable",
                  "pass_through_receivable", amount_minor,
                  StrCat("pass-through re-billed as agent", reversed, ": ", pass_through.name));
    }
    if (absl::Status s = Book(event, v1::ENTRY_KIND_PASS_THROUGH_COST, "", "reimbursable_expense",
                              "accrued_investigator_payments", amount_minor,
                              StrCat("pass-through cost", reversed, ": ", pass_through.name));
        !s.ok()) {
      return s;
    }
    v1::ContractBooks& position = posting_.position;
    position.set_billed_to_date_minor(internal::Sum(position.billed_to_date_minor(), amount_minor));
    return Book(event, v1::ENTRY_KIND_PASS_THROUGH_BILLING, "", "accounts_receivable",
                "contract_balance", amount_minor,
                StrCat("pass-through re-billed at cost", reversed, ": ", pass_through.name));
  }

  // Rule 6. One entry per obligation whose revenue to date moved: Dr contract_balance / Cr
  // revenue, sides swapped when it fell. An obligation the new terms no longer have gives back
  // what it recognised, as a catch-up.
  absl::Status PostRevenue(const CroEvent& event, const EventMeaning& meaning,
                           const Recognition& recognition) {
    v1::ContractBooks& position = posting_.position;
    const v1::EntryKind kind = meaning.catch_up ? v1::ENTRY_KIND_CATCH_UP : v1::ENTRY_KIND_REVENUE;
    auto post = [&](std::string_view obligation, int64_t revenue_minor, bool reimbursed,
                    std::string progress) -> absl::Status {
      const int64_t delta_minor =
          revenue_minor - internal::AmountOf(position.revenue_to_date(), obligation);
      if (delta_minor == 0) return absl::OkStatus();
      SetNamed(position.mutable_revenue_to_date(), obligation, revenue_minor);
      if (meaning.catch_up) {
        position.set_catch_up_to_date_minor(
            internal::Sum(position.catch_up_to_date_minor(), delta_minor));
      }
      std::string memo = meaning.catch_up
                             ? StrCat("catch-up: ", meaning.why, "; ", obligation, " ", progress)
                             : StrCat("revenue: ", obligation, " ", progress);
      return Book(event, kind, obligation, "contract_balance",
                  reimbursed ? "revenue_reimbursed" : "revenue_services", delta_minor,
                  std::move(memo));
    };
    for (size_t i = 0; i < terms_.obligations.size(); ++i) {
      const ObligationTerms& obligation = terms_.obligations[i];
      if (absl::Status s =
              post(obligation.name, recognition.revenue_to_date_minor[i],
                   internal::IsReimbursementObligation(terms_, obligation),
                   internal::DescribeProgress(obligation.measure, recognition.progress[i]));
          !s.ok()) {
        return s;
      }
    }
    google::protobuf::RepeatedPtrField<v1::NamedAmount> kept;
    for (const v1::NamedAmount& revenue : position.revenue_to_date()) {
      if (internal::IsObligation(terms_, revenue.name())) continue;
      if (absl::Status s = post(revenue.name(), 0, false, "is no longer in the terms"); !s.ok()) {
        return s;
      }
    }
    // Kept in SOW order; a removed obligation has given everything back and is dropped.
    for (const ObligationTerms& obligation : terms_.obligations) {
      SetNamed(&kept, obligation.name,
               internal::AmountOf(position.revenue_to_date(), obligation.name));
    }
    *position.mutable_revenue_to_date() = std::move(kept);
    return absl::OkStatus();
  }

  // REQUIRES: the position already holds the figures after this entry.
  absl::Status Book(const CroEvent& event, v1::EntryKind kind, std::string_view obligation,
                    std::string_view debit_account, std::string_view credit_account,
                    int64_t amount_minor, std::string memo) {
    const v1::ContractBooks& position = posting_.position;
    v1::JournalEntry entry = internal::TwoLineEntry(
        context_, event, context_.next_seq + posting_.entries.size(), entry_in_event_++, kind,
        position.currency(), debit_account, credit_account, amount_minor, std::move(memo));
    entry.set_obligation(std::string(obligation));
    entry.set_transaction_price_minor(position.transaction_price_minor());
    int64_t revenue_minor = 0;
    for (const v1::NamedAmount& revenue : position.revenue_to_date()) {
      revenue_minor = internal::Sum(revenue_minor, revenue.amount_minor());
    }
    entry.set_revenue_to_date_minor(revenue_minor);
    entry.set_billed_to_date_minor(position.billed_to_date_minor());
    if (absl::Status balanced = CheckBalanced(entry); !balanced.ok()) {
      return absl::InternalError(
          StrCat("books: an entry for contract ", context_.contract_id,
                 " does not balance (a bug in the books): ", MessageOf(balanced)));
    }
    posting_.entries.push_back(std::move(entry));
    return absl::OkStatus();
  }

  const ContractTerms& terms_;
  const PostingContext& context_;
  Posting posting_;
  int entry_in_event_ = 0;
};

}  // namespace

v1::ContractBooks NewContractBooks(std::string_view contract_id, const ContractTerms& terms,
                                   int64_t effective_date_ms) {
  v1::ContractBooks position;
  position.set_contract_id(std::string(contract_id));
  position.set_currency(terms.currency);
  position.set_version(terms.version);
  position.set_effective_date_ms(effective_date_ms);
  SetAllocation(terms, internal::Recognise(terms, position), &position);
  for (const ObligationTerms& obligation : terms.obligations) {
    SetNamed(position.mutable_revenue_to_date(), obligation.name, 0);
  }
  return position;
}

absl::StatusOr<Posting> PostCroEvents(const ContractTerms& terms, v1::ContractBooks position,
                                      const std::vector<CroEvent>& events,
                                      const PostingContext& context) {
  if (absl::Status s = internal::CheckTerms(terms); !s.ok()) return s;
  if (terms.currency != position.currency()) {
    return absl::InvalidArgumentError(StrCat("contract ", context.contract_id,
                                             ": its terms are in ", terms.currency,
                                             ", its books in ", position.currency()));
  }
  CroPoster poster(terms, std::move(position), context);
  for (const CroEvent& event : events) {
    if (absl::Status s = poster.Post(event); !s.ok()) return s;
  }
  return std::move(poster).Finish();
}

}  // namespace tl::books
