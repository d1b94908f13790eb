// The sponsor's unit-cost grid (ASC 730, the grid measure): R&D expense as the facts show the work
// performed, at the sponsor's own rates, per payee (the CRO, or a site paid through it), part of
// it withheld until a releasing fact. Every accrual is kept per fact, so that a screen failure,
// a retraction or a correction reverses exactly what it caused and an invoice line relieves
// exactly what its evidence accrued.
#include <set>
#include <tuple>

#include "books_internal.h"
#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"

namespace tl::books {
namespace {

// The kinds a grid may price: units of work a sponsor accrues for.
constexpr std::string_view kGridKinds[] = {
    "site_activated",        "subject_screened",  "subject_enrolled",
    "subject_randomized",    "visit_completed",   "monitoring_visit",
    "subject_screen_failed", "subject_completed", "subject_withdrawn"};
// The kinds that may release the holdback.
constexpr std::string_view kReleaseKinds[] = {"database_lock", "last_patient_last_visit",
                                              "site_closed"};

bool Among(std::span<const std::string_view> kinds, std::string_view kind) {
  for (std::string_view known : kinds) {
    if (known == kind) return true;
  }
  return false;
}

const v1::GridRate* RateFor(const v1::AccrualGrid& grid, const GridFact& fact) {
  const v1::GridRate* best = nullptr;
  int best_score = -1;
  for (const v1::GridRate& rate : grid.rates()) {
    if (rate.kind() != fact.kind) continue;
    if (!rate.site().empty() && rate.site() != fact.site) continue;
    if (!rate.visit_type().empty() && rate.visit_type() != fact.visit_type) continue;
    const int score = (rate.site().empty() ? 0 : 2) + (rate.visit_type().empty() ? 0 : 1);
    if (score > best_score) {
      best = &rate;
      best_score = score;
    }
  }
  return best;
}

v1::PayeePosition* PositionOf(v1::AccrualGrid* grid, std::string_view payee) {
  for (v1::PayeePosition& position : *grid->mutable_payees()) {
    if (position.payee() == payee) return &position;
  }
  // Kept sorted by payee: reports and replays see one order.
  auto* payees = grid->mutable_payees();
  v1::PayeePosition added;
  added.set_payee(std::string(payee));
  int at = 0;
  while (at < payees->size() && payees->Get(at).payee() < payee)
    ++at;
  payees->Add(std::move(added));
  for (int i = payees->size() - 1; i > at; --i)
    payees->SwapElements(i, i - 1);
  return payees->Mutable(at);
}

// What a fact's accrual puts in its payee's accrual: all of it once the holdback is released,
// the rest of it while held.
int64_t Accruable(const v1::AccrualGrid& grid, const v1::GridAccrual& accrual) {
  return accrual.amount_minor() - (grid.holdback_released() ? 0 : accrual.holdback_minor());
}

int64_t Net(const v1::PayeePosition& position) {
  return position.accrued_minor() - position.prepaid_minor();
}

void SetNet(v1::PayeePosition* position, int64_t net_minor) {
  position->set_accrued_minor(std::max<int64_t>(net_minor, 0));
  position->set_prepaid_minor(std::max<int64_t>(-net_minor, 0));
}

class GridPoster {
 public:
  GridPoster(v1::AccrualGrid* grid, GridStore& store, const EntryContext& context)
      : grid_(grid), store_(store), context_(context) {}

  absl::Status Post(const GridFact& fact) {
    if (fact.replaces) {
      if (absl::Status s = Reverse(fact.fact_id, fact, "replaced by a correction"); !s.ok()) {
        return s;
      }
    }
    if (fact.kind == "subject_screen_failed") {
      for (const std::string& earlier : store_.SubjectFacts(fact.site, fact.subject)) {
        std::optional<v1::GridAccrual> accrual = store_.Accrual(earlier);
        if (!accrual.has_value() || accrual->reversed()) continue;
        if (accrual->kind() != "subject_enrolled" && accrual->kind() != "subject_randomized") {
          continue;
        }
        // A correction may have moved the fact to another subject since it was listed here.
        if (accrual->site() != fact.site || accrual->subject() != fact.subject) continue;
        if (absl::Status s = Reverse(earlier, fact, "the subject failed screening"); !s.ok()) {
          return s;
        }
      }
    }
    if (fact.kind == grid_->holdback_released_by() && !grid_->holdback_released()) Release(fact);
    if (fact.kind == "retracted") return absl::OkStatus();
    return Accrue(fact);
  }

  std::vector<v1::JournalEntry> Finish() && { return std::move(entries_); }

 private:
  v1::JournalEntry& NewEntry(const GridFact& fact, v1::EntryKind kind, std::string_view payee,
                             std::string key_suffix, std::string memo) {
    v1::JournalEntry& entry = entries_.emplace_back();
    const uint64_t seq = context_.seq + entries_.size() - 1;
    entry.set_entry_id(StrCat(context_.book, "/", internal::ZeroPadded(seq, 8)));
    entry.set_idempotency_key(
        StrCat(context_.book, ":", context_.contract_id, ":grid:", fact.fact_id, ":", key_suffix));
    entry.set_book(context_.book);
    entry.set_contract_id(context_.contract_id);
    entry.set_kind(kind);
    internal::DateAndPost(&entry, fact.date_ms, context_.closed_through, std::move(memo));
    entry.set_tx_id(context_.tx_id);
    entry.set_height(context_.height);
    entry.set_fact_id(fact.fact_id);
    entry.set_seq(seq);
    entry.set_payee(std::string(payee));
    entry.set_transaction_price_minor(context_.transaction_price_minor);
    entry.set_revenue_to_date_minor(context_.revenue_to_date_minor);
    entry.set_billed_to_date_minor(context_.billed_to_date_minor);
    return entry;
  }

  absl::Status Check(const v1::JournalEntry& entry) {
    if (absl::Status balanced = CheckBalanced(entry); !balanced.ok()) {
      return absl::InternalError(StrCat("the grid's entry for ", entry.fact_id(),
                                        " does not balance: ", balanced.message()));
    }
    return absl::OkStatus();
  }

  absl::Status Accrue(const GridFact& fact) {
    const v1::GridRate* rate = RateFor(*grid_, fact);
    if (rate == nullptr) return absl::OkStatus();  // work the sponsor does not pay by the unit
    const int64_t amount = rate->rate_minor();
    const int64_t held =
        grid_->holdback_released() ? 0 : MulDivRoundHalfUp(amount, rate->holdback_percent(), 100);
    v1::PayeePosition* position = PositionOf(grid_, rate->payee());
    v1::JournalEntry& entry =
        NewEntry(fact, v1::ENTRY_KIND_ACCRUAL, rate->payee(), "accrued",
                 StrCat("grid: ", fact.kind, fact.visit_type.empty() ? "" : " ", fact.visit_type,
                        fact.site.empty() ? "" : " at site ", fact.site, " for ", rate->payee()));
    const std::string& currency = grid_->currency();
    internal::AddMovement(&entry, "rd_expense", currency, amount, false);
    internal::AddMovement(&entry, "accrued_holdback", currency, held, true);
    const int64_t net_before = Net(*position);
    internal::MoveNetPosition(&entry, currency, net_before, net_before + (amount - held));
    SetNet(position, net_before + (amount - held));
    position->set_held_minor(position->held_minor() + held);
    v1::GridAccrual accrual;
    accrual.set_fact_id(fact.fact_id);
    accrual.set_kind(fact.kind);
    accrual.set_site(fact.site);
    accrual.set_subject(fact.subject);
    accrual.set_payee(rate->payee());
    accrual.set_amount_minor(amount);
    accrual.set_holdback_minor(held);
    store_.Put(accrual);
    if (!fact.subject.empty()) store_.AddSubjectFact(fact.site, fact.subject, fact.fact_id);
    return Check(entry);
  }

  // Gives back what `fact_id` accrued: its expense, its holdback (while held) and the rest of its
  // payee's position. Invoiced work reversed leaves the payee's position prepaid until a credit.
  absl::Status Reverse(const std::string& fact_id, const GridFact& cause, std::string_view why) {
    std::optional<v1::GridAccrual> accrual = store_.Accrual(fact_id);
    if (!accrual.has_value() || accrual->reversed()) return absl::OkStatus();
    v1::PayeePosition* position = PositionOf(grid_, accrual->payee());
    const bool still_held = !grid_->holdback_released();
    const int64_t held = still_held ? accrual->holdback_minor() : 0;
    const int64_t rest = accrual->amount_minor() - held;
    v1::JournalEntry& entry =
        NewEntry(cause, v1::ENTRY_KIND_ACCRUAL, accrual->payee(), StrCat("reversed:", fact_id),
                 StrCat("grid: reversed ", accrual->kind(), " ", fact_id, ": ", why));
    const std::string& currency = grid_->currency();
    internal::AddMovement(&entry, "rd_expense", currency, -accrual->amount_minor(), false);
    internal::AddMovement(&entry, "accrued_holdback", currency, -held, true);
    const int64_t net_before = Net(*position);
    internal::MoveNetPosition(&entry, currency, net_before, net_before - rest);
    SetNet(position, net_before - rest);
    position->set_held_minor(position->held_minor() - held);
    accrual->set_reversed(true);
    store_.Put(*accrual);
    return Check(entry);
  }

  void Release(const GridFact& fact) {
    grid_->set_holdback_released(true);
    for (v1::PayeePosition& position : *grid_->mutable_payees()) {
      const int64_t held = position.held_minor();
      if (held == 0) continue;
      v1::JournalEntry& entry = NewEntry(
          fact, v1::ENTRY_KIND_ACCRUAL, position.payee(), StrCat("released:", position.payee()),
          StrCat("grid: holdback released by ", fact.kind, " for ", position.payee()));
      internal::AddMovement(&entry, "accrued_holdback", grid_->currency(), -held, true);
      const int64_t net_before = Net(position);
      internal::MoveNetPosition(&entry, grid_->currency(), net_before, net_before + held);
      SetNet(&position, net_before + held);
      position.set_held_minor(0);
      TL_CHECK(CheckBalanced(entry).ok());
    }
  }

  v1::AccrualGrid* grid_;
  GridStore& store_;
  const EntryContext& context_;
  std::vector<v1::JournalEntry> entries_;
};

}  // namespace

absl::Status ValidateGrid(const google::protobuf::RepeatedPtrField<v1::GridRate>& rates,
                          std::string_view holdback_released_by) {
  if (rates.empty() || static_cast<size_t>(rates.size()) > kGridRatesMax) {
    return absl::InvalidArgumentError(StrCat("a grid has 1 to ", kGridRatesMax, " rates"));
  }
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (int i = 0; i < rates.size(); ++i) {
    const v1::GridRate& rate = rates[i];
    auto fault = [&](std::string_view why) {
      return absl::InvalidArgumentError(StrCat("rate ", i + 1, " (", rate.kind(), "): ", why));
    };
    if (!Among(kGridKinds, rate.kind())) return fault("not a kind of fact the grid prices");
    if (!rate.visit_type().empty() && rate.kind() != "visit_completed") {
      return fault("only visits have a visit type");
    }
    if (rate.payee().empty()) return fault("no payee");
    if (rate.rate_minor() <= 0 || rate.rate_minor() > kAmountMinorMax) {
      return fault("the rate must be positive and within the books' limit");
    }
    if (rate.holdback_percent() < 0 || rate.holdback_percent() > 100) {
      return fault("the holdback is 0 to 100 %");
    }
    if (!seen.emplace(rate.kind(), rate.site(), rate.visit_type()).second) {
      return fault("a second rate for the same kind, site and visit type");
    }
  }
  if (!holdback_released_by.empty() && !Among(kReleaseKinds, holdback_released_by)) {
    return absl::InvalidArgumentError(StrCat("the holdback is released by database_lock, ",
                                             "last_patient_last_visit or site_closed, not '",
                                             holdback_released_by, "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::JournalEntry>> PostGridFacts(v1::AccrualGrid* grid,
                                                            std::span<const GridFact> facts,
                                                            GridStore& store,
                                                            const EntryContext& context) {
  GridPoster poster(grid, store, context);
  for (const GridFact& fact : facts) {
    if (absl::Status s = poster.Post(fact); !s.ok()) return s;
  }
  return std::move(poster).Finish();
}

int64_t GridAccruedFor(const v1::AccrualGrid& grid, const v1::InvoiceLine& line,
                       std::string_view payee, const GridStore& store) {
  int64_t accrued = 0;
  std::set<std::string> counted;  // a fact named twice on a line is relieved once
  for (const std::string& fact_id : line.evidence_fact_ids()) {
    if (!counted.insert(fact_id).second) continue;
    std::optional<v1::GridAccrual> accrual = store.Accrual(fact_id);
    if (!accrual.has_value() || accrual->reversed() || accrual->payee() != payee) continue;
    accrued += Accruable(grid, *accrual) - accrual->relieved_minor();
  }
  return accrued;
}

absl::StatusOr<v1::JournalEntry> PostGridInvoice(v1::AccrualGrid* grid, v1::Invoice* received,
                                                 GridStore& store, int64_t date_ms,
                                                 const EntryContext& context) {
  const v1::Invoice& invoice = *received;
  received->set_received(true);
  v1::PayeePosition* position = PositionOf(grid, invoice.issuer());
  int64_t relieved_total = 0, true_up_total = 0, prepaid_total = 0;
  for (v1::InvoiceLine& line : *received->mutable_lines()) {
    const int64_t accrued = GridAccruedFor(*grid, line, invoice.issuer(), store);
    line.set_accrued_minor(accrued);
    if (accrued == 0 && invoice.on_ledger()) {
      prepaid_total += line.amount_minor();  // billed ahead of the work
      continue;
    }
    relieved_total += accrued;
    true_up_total += line.amount_minor() - accrued;
    for (const std::string& fact_id : line.evidence_fact_ids()) {
      std::optional<v1::GridAccrual> accrual = store.Accrual(fact_id);
      if (!accrual.has_value() || accrual->reversed() || accrual->payee() != invoice.issuer()) {
        continue;
      }
      accrual->set_relieved_minor(Accruable(*grid, *accrual));
      store.Put(*accrual);
    }
  }
  v1::JournalEntry entry;
  entry.set_entry_id(StrCat(context.book, "/", internal::ZeroPadded(context.seq, 8)));
  entry.set_idempotency_key(StrCat(context.book, ":invoice:", invoice.invoice_id()));
  entry.set_book(context.book);
  entry.set_contract_id(context.contract_id);
  entry.set_kind(true_up_total != 0 ? v1::ENTRY_KIND_CATCH_UP : v1::ENTRY_KIND_INVOICE_RECEIVED);
  std::string memo = StrCat("invoice ", invoice.number(), " of ", invoice.issuer(),
                            " received against the grid's accrual");
  if (true_up_total != 0) {
    StrAppend(&memo, "; ", true_up_total > 0 ? "billed over" : "billed under",
              " the accrual: a change in estimate");
  }
  internal::DateAndPost(&entry, date_ms, context.closed_through, std::move(memo));
  entry.set_tx_id(context.tx_id);
  entry.set_height(context.height);
  entry.set_seq(context.seq);
  entry.set_payee(invoice.issuer());
  entry.set_invoice_id(invoice.invoice_id());
  entry.set_outside_invoice(!invoice.on_ledger());
  entry.set_transaction_price_minor(context.transaction_price_minor);
  entry.set_revenue_to_date_minor(context.revenue_to_date_minor);
  entry.set_billed_to_date_minor(context.billed_to_date_minor);
  const std::string& currency = invoice.currency();
  internal::AddMovement(&entry, "rd_expense", currency, true_up_total, false);
  const int64_t net_before = Net(*position);
  const int64_t net_after = net_before - relieved_total - prepaid_total;
  internal::MoveNetPosition(&entry, currency, net_before, net_after);
  SetNet(position, net_after);
  internal::AddMovement(&entry, "accounts_payable", currency, invoice.total_minor(), true);
  if (absl::Status balanced = CheckBalanced(entry); !balanced.ok()) {
    return absl::InternalError(
        StrCat("receiving ", invoice.invoice_id(), " under the grid: ", balanced.message()));
  }
  return entry;
}

}  // namespace tl::books
