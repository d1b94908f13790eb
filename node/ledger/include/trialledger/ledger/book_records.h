// The books in the ledger's state (keys in state.h): each organisation's book record and journal,
// and the CRO book's running figures per contract. The booking rules themselves are the
// accounting library's (contracts/books/); this file only reads and writes their records.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/books/books.h"
#include "trialledger/ledger/state.h"
#include "trialledger/sdk/genesis.h"
#include "trialledger/sdk/protocol.h"

namespace tl::ledger {

// The book of an organisation of that kind: sponsors and CROs keep one, auditors none.
std::optional<books::BookKind> BookKindOf(v1::OrgKind kind);
std::optional<v1::Organization> ReadOrganization(const StateReader& state, std::string_view org);

// Every organisation's account map names accounts of its own chart (books::ValidateAccountMap):
// checked when a store is created from the genesis, so a network never starts with a bad map.
absl::Status ValidateGenesisBooks(const GenesisDocument& genesis);
// The genesis state of each book: its account map, nothing posted, no period closed.
void PutGenesisBooks(const v1::Genesis& genesis, StateOverlay& state);

std::optional<v1::BookRecord> ReadBook(const StateReader& state, std::string_view org);
void WriteBook(const v1::BookRecord& book, StateOverlay& state);

std::optional<v1::ContractBooks> ReadContractBooks(const StateReader& state,
                                                   std::string_view contract_id);
void WriteContractBooks(const v1::ContractBooks& books, StateOverlay& state);

// Appends `entries` (numbered from book.entry_count + 1) to the book's journal and its contract
// index, and advances book.entry_count; the caller writes `book`. An entry that does not balance
// or is numbered out of turn is a broken invariant of the books, never stored: DataLoss, and the
// node stops.
absl::Status AppendEntries(const std::vector<v1::JournalEntry>& entries, v1::BookRecord& book,
                           StateOverlay& state);

std::optional<v1::JournalEntry> ReadJournalEntry(const StateReader& state, std::string_view org,
                                                 uint64_t seq);
// "<book>/<seq>" as JournalEntry.entry_id writes it; nullopt unless well formed.
std::optional<std::pair<std::string, uint64_t>> ParseEntryId(std::string_view entry_id);

// Invoices and their payments (the invoice cycle, docs/books.md).
std::optional<v1::Invoice> ReadInvoice(const StateReader& state, std::string_view invoice_id);
void WriteInvoice(const v1::Invoice& invoice, StateOverlay& state);  // and its contract index
std::optional<v1::Payment> ReadPayment(const StateReader& state, std::string_view invoice_id,
                                       uint64_t seq);
void WritePayment(const v1::Payment& payment, StateOverlay& state);

// The latest record of a fact of a contract, by its id (FactOutcome.fact_id).
std::optional<v1::FactRecord> ReadFactById(const StateReader& state, std::string_view contract_id,
                                           std::string_view fact_id);
void IndexFact(std::string_view contract_id, const v1::FactRecord& record, StateOverlay& state);

// The sponsor's grid of a contract, and its per-fact records through the library's interface.
std::optional<v1::AccrualGrid> ReadAccrualGrid(const StateReader& state,
                                               std::string_view contract_id);
void WriteAccrualGrid(const v1::AccrualGrid& grid, StateOverlay& state);

class StateGridStore : public books::GridStore {
 public:
  StateGridStore(StateOverlay& state, std::string contract_id)
      : state_(state), contract_id_(std::move(contract_id)) {}
  std::optional<v1::GridAccrual> Accrual(std::string_view fact_id) const override;
  std::vector<std::string> SubjectFacts(std::string_view site,
                                        std::string_view subject) const override;
  void Put(const v1::GridAccrual& accrual) override;
  void AddSubjectFact(std::string_view site, std::string_view subject,
                      std::string_view fact_id) override;

 private:
  StateOverlay& state_;
  std::string contract_id_;
};

}  // namespace tl::ledger
