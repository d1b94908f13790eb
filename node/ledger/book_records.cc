#include "trialledger/ledger/book_records.h"

#include <charconv>

#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/codec.h"

namespace tl::ledger {

std::optional<books::BookKind> BookKindOf(v1::OrgKind kind) {
  switch (kind) {
    case v1::ORG_KIND_CRO:
      return books::BookKind::kCro;
    case v1::ORG_KIND_SPONSOR:
      return books::BookKind::kSponsor;
    default:
      return std::nullopt;
  }
}

std::optional<v1::Organization> ReadOrganization(const StateReader& state, std::string_view org) {
  return ReadMessage<v1::Organization>(state, state_keys::Org(org));
}

absl::Status ValidateGenesisBooks(const GenesisDocument& genesis) {
  for (const v1::Organization& org : genesis.genesis.organizations()) {
    std::optional<books::BookKind> kind = BookKindOf(org.kind());
    if (!kind.has_value()) {
      if (org.account_map().empty()) continue;
      return absl::InvalidArgumentError(
          StrCat("organization '", org.name(), "' keeps no book, so it takes no account_map"));
    }
    absl::Status valid = books::ValidateAccountMap(*kind, org.account_map());
    if (!valid.ok()) {
      return absl::InvalidArgumentError(
          StrCat("organization '", org.name(), "': ", valid.message()));
    }
  }
  return absl::OkStatus();
}

void PutGenesisBooks(const v1::Genesis& genesis, StateOverlay& state) {
  for (const v1::Organization& org : genesis.organizations()) {
    if (!BookKindOf(org.kind()).has_value()) continue;
    v1::BookRecord book;
    book.set_book(org.name());
    *book.mutable_account_map() = org.account_map();
    WriteBook(book, state);
  }
}

std::optional<v1::BookRecord> ReadBook(const StateReader& state, std::string_view org) {
  return ReadMessage<v1::BookRecord>(state, state_keys::Book(org));
}

void WriteBook(const v1::BookRecord& book, StateOverlay& state) {
  state.Put(state_keys::Book(book.book()), Encode(book));
}

std::optional<v1::ContractBooks> ReadContractBooks(const StateReader& state,
                                                   std::string_view contract_id) {
  return ReadMessage<v1::ContractBooks>(state, state_keys::ContractBooks(contract_id));
}

void WriteContractBooks(const v1::ContractBooks& books, StateOverlay& state) {
  state.Put(state_keys::ContractBooks(books.contract_id()), Encode(books));
}

absl::Status AppendEntries(const std::vector<v1::JournalEntry>& entries, v1::BookRecord& book,
                           StateOverlay& state) {
  for (const v1::JournalEntry& entry : entries) {
    if (absl::Status balanced = books::CheckBalanced(entry); !balanced.ok()) {
      return absl::DataLossError(StrCat("refusing to store journal entry ", entry.entry_id(),
                                        " of book ", book.book(), ": ", balanced.message()));
    }
    if (entry.book() != book.book() || entry.seq() != book.entry_count() + 1) {
      return absl::DataLossError(StrCat("journal entry ", entry.entry_id(), " is not entry ",
                                        book.entry_count() + 1, " of book ", book.book()));
    }
    state.Put(state_keys::JournalEntry(book.book(), entry.seq()), Encode(entry));
    state.Put(state_keys::JournalByContract(book.book(), entry.contract_id(), entry.seq()), "");
    book.set_entry_count(entry.seq());
  }
  return absl::OkStatus();
}

std::optional<v1::JournalEntry> ReadJournalEntry(const StateReader& state, std::string_view org,
                                                 uint64_t seq) {
  return ReadMessage<v1::JournalEntry>(state, state_keys::JournalEntry(org, seq));
}

std::optional<std::pair<std::string, uint64_t>> ParseEntryId(std::string_view entry_id) {
  const size_t slash = entry_id.rfind('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == entry_id.size()) {
    return std::nullopt;
  }
  std::string_view digits = entry_id.substr(slash + 1);
  uint64_t seq = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
  if (error != std::errc() || end != digits.data() + digits.size() || seq == 0) {
    return std::nullopt;
  }
  return std::pair<std::string, uint64_t>(std::string(entry_id.substr(0, slash)), seq);
}

std::optional<v1::Invoice> ReadInvoice(const StateReader& state, std::string_view invoice_id) {
  return ReadMessage<v1::Invoice>(state, state_keys::Invoice(invoice_id));
}

void WriteInvoice(const v1::Invoice& invoice, StateOverlay& state) {
  state.Put(state_keys::Invoice(invoice.invoice_id()), Encode(invoice));
  state.Put(state_keys::InvoiceByContract(invoice.contract_id(), invoice.invoice_id()), "");
}

std::optional<v1::Payment> ReadPayment(const StateReader& state, std::string_view invoice_id,
                                       uint64_t seq) {
  return ReadMessage<v1::Payment>(state, state_keys::Payment(invoice_id, seq));
}

void WritePayment(const v1::Payment& payment, StateOverlay& state) {
  state.Put(state_keys::Payment(payment.invoice_id(), payment.seq()), Encode(payment));
}

std::optional<v1::FactRecord> ReadFactById(const StateReader& state, std::string_view contract_id,
                                           std::string_view fact_id) {
  std::optional<std::string> seq = state.Get(state_keys::FactById(contract_id, fact_id));
  if (!seq.has_value() || seq->size() != 8) return std::nullopt;
  return ReadMessage<v1::FactRecord>(
      state, state_keys::ContractFact(contract_id, DecodeBigEndian64(*seq)));
}

void IndexFact(std::string_view contract_id, const v1::FactRecord& record, StateOverlay& state) {
  state.Put(state_keys::FactById(contract_id, record.outcome().fact_id()),
            EncodeBigEndian64(record.seq()));
}

std::optional<v1::AccrualGrid> ReadAccrualGrid(const StateReader& state,
                                               std::string_view contract_id) {
  return ReadMessage<v1::AccrualGrid>(state, state_keys::AccrualGrid(contract_id));
}

void WriteAccrualGrid(const v1::AccrualGrid& grid, StateOverlay& state) {
  state.Put(state_keys::AccrualGrid(grid.contract_id()), Encode(grid));
}

std::optional<v1::GridAccrual> StateGridStore::Accrual(std::string_view fact_id) const {
  return ReadMessage<v1::GridAccrual>(state_, state_keys::GridAccrual(contract_id_, fact_id));
}

std::vector<std::string> StateGridStore::SubjectFacts(std::string_view site,
                                                      std::string_view subject) const {
  std::optional<v1::GridSubject> record =
      ReadMessage<v1::GridSubject>(state_, state_keys::GridSubject(contract_id_, site, subject));
  if (!record.has_value()) return {};
  return {record->fact_ids().begin(), record->fact_ids().end()};
}

void StateGridStore::Put(const v1::GridAccrual& accrual) {
  state_.Put(state_keys::GridAccrual(contract_id_, accrual.fact_id()), Encode(accrual));
}

void StateGridStore::AddSubjectFact(std::string_view site, std::string_view subject,
                                    std::string_view fact_id) {
  const std::string key = state_keys::GridSubject(contract_id_, site, subject);
  v1::GridSubject record = ReadMessage<v1::GridSubject>(state_, key).value_or(v1::GridSubject());
  record.add_fact_ids(std::string(fact_id));
  state_.Put(key, Encode(record));
}

}  // namespace tl::ledger
