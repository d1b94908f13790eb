// The books' private pieces shared between their files: the position's named figures, lookups
// in the terms, the exact progress of an obligation, what one event means, and the entry
// builder. Nothing here is part of the contract with the node (books.h is).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/books/books.h"

namespace tl::books::internal {

// ---- The position's named figures (position.cc) -----------------------------------------------

// 0 when `name` has no amount.
int64_t AmountOf(const google::protobuf::RepeatedPtrField<v1::NamedAmount>& amounts,
                 std::string_view name);
// Adds `delta_minor` to the amount named `name`, inserting it in name order when new.
void AddAmount(google::protobuf::RepeatedPtrField<v1::NamedAmount>* amounts, std::string_view name,
               int64_t delta_minor);
bool Contains(const google::protobuf::RepeatedPtrField<std::string>& names, std::string_view name);
// Appends `name` unless present: a set kept in the order things happened.
void Insert(google::protobuf::RepeatedPtrField<std::string>* names, std::string_view name);
// Removes `name` if present, keeping the order of the rest.
void Erase(google::protobuf::RepeatedPtrField<std::string>* names, std::string_view name);

// `value` in decimal, zero-padded to at least `width` digits (periods.cc).
std::string ZeroPadded(uint64_t value, size_t width);

// a + b; TL_CHECK that it fits (inputs are bounded by kAmountMinorMax, so only a contract with
// billions of items could reach it).
int64_t Sum(int64_t a, int64_t b);

// ---- Lookups in the terms (terms.cc)
// -------------------------------------------------------------

const FeeTerms* FindFee(const ContractTerms& terms, std::string_view name);
const UnitFeeTerms* FindUnitFee(const ContractTerms& terms, std::string_view name);
const PassThroughTerms* FindPassThrough(const ContractTerms& terms, std::string_view name);
// True when `obligation` names an obligation of the terms: consideration tied to anything else
// is untied.
bool IsObligation(const ContractTerms& terms, std::string_view obligation);
// InvalidArgument unless every amount is within kAmountMinorMax and no standalone price or
// budget is negative.
absl::Status CheckTerms(const ContractTerms& terms);

// ---- Price and allocation (price.cc) ---------------------------------------------------------

// The price allocated to each obligation of `terms`, in SOW order (rule 3). Empty without
// obligations.
std::vector<int64_t> AllocatePrice(const ContractTerms& terms, const v1::ContractBooks& position);
// True when the obligation's only consideration is principal pass-through budgets: its revenue
// is revenue_reimbursed rather than revenue_services.
bool IsReimbursementObligation(const ContractTerms& terms, const ObligationTerms& obligation);

// ---- Progress and revenue (revenue.cc) --------------------------------------------------------

// Exact progress in [0, 1]: numerator / denominator, 0 <= numerator <= denominator, denominator
// > 0.
struct Progress {
  int64_t numerator = 0;
  int64_t denominator = 1;
};

// Everything the revenue rules derive from one position, per obligation in SOW order.
struct Recognition {
  int64_t transaction_price_minor = 0;
  std::vector<int64_t> allocated_minor;
  std::vector<Progress> progress;
  std::vector<int64_t> revenue_to_date_minor;
};
Recognition Recognise(const ContractTerms& terms, const v1::ContractBooks& position);
// "31.25 % complete (cost-to-cost)", for memos.
std::string DescribeProgress(Measure measure, Progress progress);

// ---- Events (events.cc)
// --------------------------------------------------------------------------

// What one contract event means for the books. ApplyEvent has already moved the position's
// inputs; the rest says what to book besides revenue.
struct EventMeaning {
  bool catch_up = false;  // a change of price or estimate, not of work done (rule 6)
  std::string why;        // for memos: "change order v2", "cost incurred"
  // invoice_due: the net amount billed (negative: a credit note).
  int64_t billed_minor = 0;
  // cost_incurred of a pass-through (rule 8): which, and how much (negative: a reversal).
  const PassThroughTerms* pass_through = nullptr;
  int64_t pass_through_minor = 0;
};

// InvalidArgument when a money field is not in `currency` (naming the event and the field).
absl::Status CheckCurrencies(const CroEvent& event, std::string_view currency);
// Applies the event's effect on the inputs of `position` (rule 9) and says what else it books.
absl::StatusOr<EventMeaning> ApplyEvent(const ContractTerms& terms, const CroEvent& event,
                                        v1::ContractBooks* position);

// ---- Entries (journal.cc)
// -------------------------------------------------------------------------

// Adds a line moving `account` by `delta_minor`, where an increase of the account is a debit (or,
// when `credit_increases`, a credit); no line for no movement.
void AddMovement(v1::JournalEntry* entry, std::string_view account, std::string_view currency,
                 int64_t delta_minor, bool credit_increases);

// How `entry` moves `account`: its debits less its credits to it.
int64_t Movement(const v1::JournalEntry& entry, std::string_view account);

// The sponsor's net position on a contract or payee (expense to date less invoiced): accrued
// clinical costs while positive, prepaid clinical costs while negative. The lines that move it
// from `net_before_minor` to `net_after_minor` (across zero: both).
void MoveNetPosition(v1::JournalEntry* entry, std::string_view currency, int64_t net_before_minor,
                     int64_t net_after_minor);

// Dates `entry` on the day of `date_ms` and posts it in its period, or in the first open one
// after `closed_through`, with `memo` saying so when it was moved.
void DateAndPost(v1::JournalEntry* entry, int64_t date_ms, std::string_view closed_through,
                 std::string memo);

// Builds one two-line entry: Dr `debit_account` / Cr `credit_account` for `amount_minor`, the
// sides swapped when it is negative. REQUIRES: amount_minor != 0. Stamps ids, period and source
// from `context` and `event`; the contract's figures are the caller's.
v1::JournalEntry TwoLineEntry(const PostingContext& context, const CroEvent& event, uint64_t seq,
                              int n, v1::EntryKind kind, std::string_view currency,
                              std::string_view debit_account, std::string_view credit_account,
                              int64_t amount_minor, std::string memo);

// ---- The sponsor's mirror (sponsor.cc) ---------------------------------------------------------

// What a CRO entry re-bills of a pass-through it handles as agent (negative for a reversal):
// the receivable it moves onto accounts receivable. 0 for any other entry.
int64_t AgentPassThroughBilled(const v1::JournalEntry& cro);

}  // namespace tl::books::internal
