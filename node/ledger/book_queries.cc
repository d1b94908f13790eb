#include "trialledger/ledger/book_queries.h"

#include <algorithm>
#include <set>

#include "trialledger/base/str_cat.h"
#include "trialledger/books/books.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/ledger/contract_records.h"
#include "trialledger/sdk/limits.h"

namespace tl::ledger {
namespace {

// The book of `org` and the chart it follows; NotFound when the organisation keeps none.
struct FoundBook {
  v1::BookRecord record;
  v1::OrgKind org_kind;
  books::BookKind kind;
};

absl::StatusOr<FoundBook> FindBook(const StateReader& state, std::string_view org) {
  std::optional<v1::Organization> organization = ReadOrganization(state, org);
  std::optional<v1::BookRecord> record = ReadBook(state, org);
  if (!organization.has_value() || !record.has_value()) {
    return absl::NotFoundError(StrCat("no book '", org, "' (books are kept by organisations)"));
  }
  return FoundBook{*std::move(record), organization->kind(), *BookKindOf(organization->kind())};
}

absl::StatusOr<v1::JournalEntry> DecodeEntry(std::string_view key, const std::string& bytes) {
  v1::JournalEntry entry;
  if (!entry.ParseFromString(bytes)) {
    return absl::DataLossError(StrCat("journal entry ", key, " does not decode"));
  }
  return entry;
}

// Every entry of a book, in seq order.
absl::StatusOr<std::vector<v1::JournalEntry>> BookEntries(const OrderedStateReader& state,
                                                          std::string_view org) {
  std::vector<v1::JournalEntry> entries;
  const std::string prefix = state_keys::JournalPrefix(org);
  for (const auto& [key, bytes] : state.Scan(prefix, prefix, SIZE_MAX)) {
    absl::StatusOr<v1::JournalEntry> entry = DecodeEntry(key, bytes);
    if (!entry.ok()) return entry.status();
    entries.push_back(*std::move(entry));
  }
  return entries;
}

// The entries of one contract in a book, in seq order, through the contract index.
absl::StatusOr<std::vector<v1::JournalEntry>> ContractEntries(const OrderedStateReader& state,
                                                              std::string_view org,
                                                              std::string_view contract_id) {
  std::vector<v1::JournalEntry> entries;
  const std::string prefix = state_keys::JournalByContractPrefix(org, contract_id);
  for (const auto& [key, unused] : state.Scan(prefix, prefix, SIZE_MAX)) {
    const uint64_t seq = DecodeBigEndian64(std::string_view(key).substr(prefix.size()));
    std::optional<v1::JournalEntry> entry = ReadJournalEntry(state, org, seq);
    if (!entry.has_value()) {
      return absl::DataLossError(
          StrCat("the journal index names entry ", seq, " of book ", org, ", which is missing"));
    }
    entries.push_back(*std::move(entry));
  }
  return entries;
}

books::PeriodGrouping GroupingOf(v1::PeriodGrouping by) {
  switch (by) {
    case v1::PERIOD_GROUPING_QUARTER:
      return books::PeriodGrouping::kQuarter;
    case v1::PERIOD_GROUPING_YEAR:
      return books::PeriodGrouping::kYear;
    default:
      return books::PeriodGrouping::kMonth;
  }
}

// The one currency of `entries`, the one asked for, or the reason there is none to choose.
absl::StatusOr<std::string> ChooseCurrency(const std::vector<v1::JournalEntry>& entries,
                                           std::string_view asked, std::string_view book) {
  std::set<std::string> currencies;
  for (const v1::JournalEntry& entry : entries) {
    for (const v1::JournalLine& line : entry.lines())
      currencies.insert(line.currency());
  }
  if (!asked.empty()) {
    if (!currencies.empty() && !currencies.contains(std::string(asked))) {
      return absl::InvalidArgumentError(StrCat("book ", book, " posts nothing in ", asked,
                                               " (it posts in ", Join(currencies, ", "), ")"));
    }
    return std::string(asked);
  }
  if (currencies.size() > 1) {
    return absl::InvalidArgumentError(
        StrCat("book ", book, " posts in ", Join(currencies, ", "), ": name one with --currency"));
  }
  return currencies.empty() ? std::string() : *currencies.begin();
}

}  // namespace

absl::Status GetBook(const OrderedStateReader& state, const v1::GetBookRequest& request,
                     v1::GetBookResponse* response) {
  absl::StatusOr<FoundBook> book = FindBook(state, request.book());
  if (!book.ok()) return book.status();
  *response->mutable_book() = book->record;
  response->set_kind(book->org_kind);
  const std::string prefix = state_keys::PeriodChangePrefix(request.book());
  for (const auto& [key, bytes] : state.Scan(prefix, prefix, SIZE_MAX)) {
    if (!response->add_period_changes()->ParseFromString(bytes)) {
      return absl::DataLossError(StrCat("period change ", key, " does not decode"));
    }
  }
  absl::StatusOr<std::vector<v1::JournalEntry>> entries = BookEntries(state, request.book());
  if (!entries.ok()) return entries.status();
  std::set<std::string> currencies;
  for (const v1::JournalEntry& entry : *entries) {
    for (const v1::JournalLine& line : entry.lines())
      currencies.insert(line.currency());
  }
  for (const std::string& currency : currencies)
    response->add_currencies(currency);
  return absl::OkStatus();
}

absl::Status ListJournal(const OrderedStateReader& state, const v1::ListJournalRequest& request,
                         v1::ListJournalResponse* response) {
  absl::StatusOr<FoundBook> book = FindBook(state, request.book());
  if (!book.ok()) return book.status();
  if (!request.period().empty()) {
    if (absl::Status period = books::ValidatePeriod(request.period()); !period.ok()) return period;
  }
  const size_t limit =
      request.limit() == 0 ? 100 : std::min<size_t>(request.limit(), limits::kListRecordsMax);
  const uint64_t from = std::max<uint64_t>(request.from_seq(), 1);
  // Through the contract index when filtering by contract; the journal itself otherwise.
  const std::string prefix =
      request.contract_id().empty()
          ? state_keys::JournalPrefix(request.book())
          : state_keys::JournalByContractPrefix(request.book(), request.contract_id());
  const std::string start = StrCat(prefix, EncodeBigEndian64(from));
  response->set_next_seq(0);
  for (const auto& [key, bytes] : state.Scan(prefix, start, SIZE_MAX)) {
    const uint64_t seq = DecodeBigEndian64(std::string_view(key).substr(prefix.size()));
    std::optional<v1::JournalEntry> entry = ReadJournalEntry(state, request.book(), seq);
    if (!entry.has_value()) {
      return absl::DataLossError(StrCat("journal entry ", seq, " of book ", request.book(),
                                        " is missing or does not decode"));
    }
    if (!request.period().empty() && entry->period() != request.period()) continue;
    if (static_cast<size_t>(response->entries_size()) == limit) {
      response->set_next_seq(seq);
      break;
    }
    *response->add_entries() = *std::move(entry);
  }
  return absl::OkStatus();
}

absl::Status GetJournalEntry(const OrderedStateReader& state,
                             const v1::GetJournalEntryRequest& request,
                             v1::GetJournalEntryResponse* response) {
  std::optional<std::pair<std::string, uint64_t>> id = ParseEntryId(request.entry_id());
  if (!id.has_value()) {
    return absl::InvalidArgumentError(
        StrCat("'", request.entry_id(), "' is not an entry id (<book>/<number>)"));
  }
  std::optional<v1::JournalEntry> entry = ReadJournalEntry(state, id->first, id->second);
  if (!entry.has_value()) {
    return absl::NotFoundError(StrCat("no journal entry ", request.entry_id()));
  }
  *response->mutable_entry() = *entry;
  if (std::optional<std::string> event =
          state.Get(state_keys::ContractEvent(entry->contract_id(), entry->event_seq()));
      event.has_value() && !response->mutable_event()->ParseFromString(*event)) {
    return absl::DataLossError(
        StrCat("the event behind entry ", request.entry_id(), " does not decode"));
  }
  if (!entry->fact_id().empty()) {
    // The fact as recorded by the same transaction: the signed fact, its signer and outcome.
    const std::string prefix = state_keys::ContractFact(entry->contract_id(), 0);
    const std::string facts = prefix.substr(0, prefix.size() - 8);
    for (const auto& [key, bytes] : state.Scan(facts, facts, SIZE_MAX)) {
      v1::FactRecord fact;
      if (!fact.ParseFromString(bytes)) {
        return absl::DataLossError(StrCat("fact record ", key, " does not decode"));
      }
      if (fact.tx_id() == entry->tx_id() && fact.outcome().fact_id() == entry->fact_id()) {
        *response->mutable_fact() = std::move(fact);
      }
    }
  }
  return absl::OkStatus();
}

absl::Status GetTrialBalance(const OrderedStateReader& state,
                             const v1::GetTrialBalanceRequest& request,
                             v1::GetTrialBalanceResponse* response) {
  absl::StatusOr<FoundBook> book = FindBook(state, request.book());
  if (!book.ok()) return book.status();
  if (absl::Status period = books::ValidatePeriod(request.period()); !period.ok()) return period;
  absl::StatusOr<std::vector<v1::JournalEntry>> entries = BookEntries(state, request.book());
  if (!entries.ok()) return entries.status();
  absl::StatusOr<std::string> currency =
      ChooseCurrency(*entries, request.currency(), request.book());
  if (!currency.ok()) return currency.status();
  books::TrialBalance balance =
      books::BuildTrialBalance(book->kind, book->record, *entries, request.period(), *currency);
  response->set_book(balance.book);
  response->set_period(balance.period);
  response->set_currency(balance.currency);
  for (const books::TrialBalanceLine& line : balance.accounts) {
    v1::TrialBalanceAccount* account = response->add_accounts();
    account->set_account(line.account);
    account->set_erp_code(line.erp_code);
    account->set_debit_minor(line.debit_minor);
    account->set_credit_minor(line.credit_minor);
    account->set_balance_minor(line.balance_minor);
  }
  response->set_total_debit_minor(balance.total_debit_minor);
  response->set_total_credit_minor(balance.total_credit_minor);
  return absl::OkStatus();
}

absl::Status GetRollforward(const OrderedStateReader& state,
                            const v1::GetRollforwardRequest& request,
                            v1::GetRollforwardResponse* response) {
  std::optional<v1::ContractRecord> record = ReadContract(state, request.contract_id());
  if (!record.has_value()) {
    return absl::NotFoundError(StrCat("no contract '", request.contract_id(), "'"));
  }
  absl::StatusOr<std::vector<v1::JournalEntry>> entries =
      ContractEntries(state, record->cro(), record->contract_id());
  if (!entries.ok()) return entries.status();
  std::optional<v1::ContractBooks> books = ReadContractBooks(state, record->contract_id());
  response->set_contract_id(record->contract_id());
  response->set_book(record->cro());
  response->set_currency(books.has_value() ? books->currency() : "");
  response->set_by(request.by());
  for (const books::RollforwardRow& row :
       books::BuildRollforward(*entries, record->contract_id(), GroupingOf(request.by()))) {
    v1::RollforwardPeriod* period = response->add_periods();
    period->set_period(row.period);
    period->set_opening_contract_asset_minor(row.opening_contract_asset_minor);
    period->set_opening_contract_liability_minor(row.opening_contract_liability_minor);
    period->set_revenue_minor(row.revenue_minor);
    period->set_catch_up_minor(row.catch_up_minor);
    period->set_billed_minor(row.billed_minor);
    period->set_closing_contract_asset_minor(row.closing_contract_asset_minor);
    period->set_closing_contract_liability_minor(row.closing_contract_liability_minor);
    period->set_revenue_to_date_minor(row.revenue_to_date_minor);
    period->set_billed_to_date_minor(row.billed_to_date_minor);
  }
  return absl::OkStatus();
}

absl::Status GetDisclosures(const OrderedStateReader& state,
                            const v1::GetDisclosuresRequest& request,
                            v1::GetDisclosuresResponse* response) {
  absl::StatusOr<FoundBook> book = FindBook(state, request.book());
  if (!book.ok()) return book.status();
  absl::StatusOr<std::vector<v1::JournalEntry>> entries =
      request.contract_id().empty() ? BookEntries(state, request.book())
                                    : ContractEntries(state, request.book(), request.contract_id());
  if (!entries.ok()) return entries.status();
  absl::StatusOr<std::string> currency = ChooseCurrency(*entries, "", request.book());
  if (!currency.ok()) return currency.status();
  response->set_book(request.book());
  response->set_currency(*currency);
  response->set_by(request.by());
  for (const books::DisclosureRow& row :
       books::BuildDisclosures(*entries, request.contract_id(), GroupingOf(request.by()))) {
    v1::DisclosurePeriod* period = response->add_periods();
    period->set_period(row.period);
    period->set_revenue_from_opening_contract_liability_minor(
        row.revenue_from_opening_contract_liability_minor);
    period->set_revenue_from_prior_period_obligations_minor(
        row.revenue_from_prior_period_obligations_minor);
    period->set_remaining_performance_obligations_minor(
        row.remaining_performance_obligations_minor);
  }
  return absl::OkStatus();
}

absl::Status GetMirror(const OrderedStateReader& state, const v1::GetMirrorRequest& request,
                       v1::GetMirrorResponse* response) {
  std::optional<v1::ContractRecord> record = ReadContract(state, request.contract_id());
  if (!record.has_value()) {
    return absl::NotFoundError(StrCat("no contract '", request.contract_id(), "'"));
  }
  absl::StatusOr<std::vector<v1::JournalEntry>> cro_entries =
      ContractEntries(state, record->cro(), record->contract_id());
  if (!cro_entries.ok()) return cro_entries.status();
  absl::StatusOr<std::vector<v1::JournalEntry>> sponsor_entries =
      ContractEntries(state, record->sponsor(), record->contract_id());
  if (!sponsor_entries.ok()) return sponsor_entries.status();
  std::optional<v1::ContractBooks> books = ReadContractBooks(state, record->contract_id());
  response->set_contract_id(record->contract_id());
  response->set_sponsor(record->sponsor());
  response->set_cro(record->cro());
  response->set_currency(books.has_value() ? books->currency() : "");
  response->set_by(request.by());
  for (const books::MirrorRow& row :
       books::BuildMirror(*cro_entries, *sponsor_entries, GroupingOf(request.by()),
                          ReadAccrualGrid(state, record->contract_id()).has_value())) {
    v1::MirrorPeriod* period = response->add_periods();
    period->set_period(row.period);
    period->set_sponsor_expense_minor(row.sponsor_expense_minor);
    period->set_cro_revenue_minor(row.cro_revenue_minor);
    period->set_sponsor_accrued_liability_minor(row.sponsor_accrued_liability_minor);
    period->set_cro_contract_asset_minor(row.cro_contract_asset_minor);
    period->set_sponsor_prepaid_minor(row.sponsor_prepaid_minor);
    period->set_cro_contract_liability_minor(row.cro_contract_liability_minor);
    for (const books::MirrorDifference& difference : row.differences) {
      v1::MirrorDifference* out = period->add_differences();
      out->set_measure(difference.measure);
      out->set_amount_minor(difference.amount_minor);
      out->set_reason(difference.reason);
    }
  }
  return absl::OkStatus();
}

absl::Status GetAccruals(const OrderedStateReader& state, const v1::GetAccrualsRequest& request,
                         v1::GetAccrualsResponse* response) {
  absl::StatusOr<FoundBook> book = FindBook(state, request.book());
  if (!book.ok()) return book.status();
  if (book->kind != books::BookKind::kSponsor) {
    return absl::InvalidArgumentError(
        StrCat("'", request.book(), "' is a CRO's book; accruals are a sponsor's report"));
  }
  if (!request.period().empty()) {
    if (absl::Status valid = books::ValidatePeriod(request.period()); !valid.ok()) return valid;
  }
  absl::StatusOr<std::vector<v1::JournalEntry>> entries = BookEntries(state, request.book());
  if (!entries.ok()) return entries.status();
  const books::PeriodGrouping grouping = GroupingOf(request.by());
  const std::string only =
      request.period().empty() ? "" : books::GroupOf(request.period(), grouping);
  response->set_book(request.book());
  response->set_by(request.by());
  for (const books::AccrualPeriod& group : books::BuildAccruals(*entries, grouping)) {
    if (!only.empty() && group.period != only) continue;
    v1::AccrualPeriod* period = response->add_periods();
    period->set_period(group.period);
    for (const books::AccrualRow& row : group.rows) {
      v1::AccrualRow* out = period->add_rows();
      out->set_contract_id(row.contract_id);
      out->set_payee(row.payee);
      out->set_currency(row.currency);
      out->set_opening_accrual_minor(row.opening_accrual_minor);
      out->set_expense_minor(row.expense_minor);
      out->set_invoiced_minor(row.invoiced_minor);
      out->set_paid_minor(row.paid_minor);
      out->set_true_ups_minor(row.true_ups_minor);
      out->set_closing_accrual_minor(row.closing_accrual_minor);
      out->set_opening_holdback_minor(row.opening_holdback_minor);
      out->set_holdback_minor(row.holdback_minor);
      out->set_payable_minor(row.payable_minor);
    }
  }
  return absl::OkStatus();
}

}  // namespace tl::ledger
