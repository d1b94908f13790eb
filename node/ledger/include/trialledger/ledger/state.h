// The replicated state as the apply pipeline sees it: a sorted key-value map read through
// StateReader, changed only through a WriteSet that is committed with its block.
//
// State keys (docs/storage.md):
//   org/<name>                 Organization
//   member/<public key>        MemberRecord
//   member-name/<org>/<name>   current public key of that member
//   nonce/<public key>         last nonce used, 8 bytes big-endian
//   node/<name>                NodeInfo (with its wanted Raft membership)
//   node-id/<raft id>          name of the node with that Raft id (8 bytes big-endian): ids
//                              derive from node keys and must not collide
//   voter-count                nodes whose membership is VOTER, 8 bytes big-endian
//   admin-count/<org>          active admin keys of the organisation, 8 bytes big-endian
//   contract/<id>              ContractRecord: status, versions, signatures, counts
//   contract-code/<code hash><source hash>  StoredCode: SOW source, module and metadata
//   contract-data/<id>/<key>   the contract's own storage (every version of it shares it)
//   contract-fact/<id>/<seq>   FactRecord, seq 8 bytes big-endian from 1
//   contract-event/<id>/<seq>  EventRecord, seq 8 bytes big-endian from 1
//   contract-books/<id>        ContractBooks: the CRO book's running figures for the contract
//   book/<org>                 BookRecord: account map, closed periods, entry count
//   journal/<org>/<seq>        JournalEntry, seq 8 bytes big-endian from 1
//   journal-by-contract/<org>/<contract id>/<seq>  "" (an index of the book's entries)
//   book-period/<org>/<seq>    PeriodChange, seq 8 bytes big-endian from 1
//   fact-by-id/<contract id>/<fact id>  the seq of the fact's latest record (8 bytes big-endian)
//   invoice/<invoice id>       Invoice ("<issuer>/INV-..." or "<payer>/REC-...")
//   invoice-by-contract/<contract id>/<invoice id>  "" (an index of the contract's invoices)
//   payment/<invoice id>/<seq> Payment, seq 8 bytes big-endian from 1
//   accrual-grid/<contract id> AccrualGrid: the sponsor's rates and payees' positions
//   grid-accrual/<contract id>/<fact id>  GridAccrual: what one fact accrued under the grid
//   grid-subject/<contract id>/<site>/<subject>  GridSubject: the facts that accrued for a subject
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "trialledger/base/endian.h"

namespace tl::ledger {

namespace state_keys {
std::string Org(std::string_view name);
std::string Member(std::string_view public_key);
std::string MemberName(std::string_view org, std::string_view name);
std::string Nonce(std::string_view public_key);
std::string Node(std::string_view name);
std::string AdminCount(std::string_view org);
std::string NodeId(uint64_t raft_id);
std::string Contract(std::string_view contract_id);
std::string ContractCode(std::string_view code_hash, std::string_view source_hash);
std::string ContractData(std::string_view contract_id);  // the prefix of its storage
std::string ContractFact(std::string_view contract_id, uint64_t seq);
std::string ContractEvent(std::string_view contract_id, uint64_t seq);
std::string ContractBooks(std::string_view contract_id);
std::string Book(std::string_view org);
std::string JournalEntry(std::string_view org, uint64_t seq);
std::string JournalPrefix(std::string_view org);
// Whether `state_key` is a journal entry (journal/<org>/<seq>) of some book.
bool IsJournalEntry(std::string_view state_key);
std::string JournalByContract(std::string_view org, std::string_view contract_id, uint64_t seq);
std::string JournalByContractPrefix(std::string_view org, std::string_view contract_id);
std::string PeriodChange(std::string_view org, uint64_t seq);
std::string FactById(std::string_view contract_id, std::string_view fact_id);
std::string Invoice(std::string_view invoice_id);
std::string InvoiceByContractPrefix(std::string_view contract_id);
std::string InvoiceByContract(std::string_view contract_id, std::string_view invoice_id);
std::string Payment(std::string_view invoice_id, uint64_t seq);
std::string AccrualGrid(std::string_view contract_id);
std::string GridAccrual(std::string_view contract_id, std::string_view fact_id);
std::string GridSubject(std::string_view contract_id, std::string_view site,
                        std::string_view subject);
std::string PeriodChangePrefix(std::string_view org);
std::string BookGrantPrefix(std::string_view org);
std::string BookGrant(std::string_view org, std::string_view auditor_org);
std::string ContractGrantPrefix(std::string_view contract_id);
std::string ContractGrant(std::string_view contract_id, std::string_view auditor_org);
inline constexpr std::string_view kNodePrefix = "node/";
inline constexpr std::string_view kContractPrefix = "contract/";
inline constexpr std::string_view kVoterCount = "voter-count";
}  // namespace state_keys

// Reads of the replicated state. A reader backed by storage that can fail (LevelDB) answers a
// failed read with nullopt and keeps the first failure in status(), the way LevelDB's iterators
// do; whatever was computed from its reads after that is worthless. ApplyBlock checks status()
// after every transaction and returns the failure instead of a result, so no result computed
// from a failed read is ever stored (docs/storage.md, "Storage faults").
class StateReader {
 public:
  virtual ~StateReader() = default;
  virtual std::optional<std::string> Get(std::string_view key) const = 0;
  // OK, or the first read failure (DataLoss for corruption, Unavailable for an I/O error).
  virtual absl::Status status() const { return absl::OkStatus(); }
};

// The message stored at `key`, or nullopt when there is none or it does not decode (callers
// that must tell the two apart read the bytes themselves).
template <typename Message>
std::optional<Message> ReadMessage(const StateReader& state, std::string_view key) {
  std::optional<std::string> bytes = state.Get(key);
  Message message;
  if (!bytes.has_value() || !message.ParseFromString(*bytes)) return std::nullopt;
  return message;
}

// A reader that also lists keys in order: the read RPCs over one snapshot of the state.
class OrderedStateReader : public StateReader {
 public:
  // Up to `limit` entries whose key starts with `prefix`, from `start` (a full key) on, in order.
  virtual std::vector<std::pair<std::string, std::string>> Scan(std::string_view prefix,
                                                                std::string_view start,
                                                                size_t limit) const = 0;
};

// Writes of one block, ordered by key so that hashing and committing them is deterministic.
// std::nullopt marks a deletion.
using WriteSet = std::map<std::string, std::optional<std::string>, std::less<>>;

// Reads through pending writes to a base state.
class StateOverlay : public StateReader {
 public:
  explicit StateOverlay(const StateReader& base) : base_(base) {}
  // Not copyable: `StateOverlay child(parent)` must build a child on top of `parent`, never a copy
  // of it (a copy would silently duplicate the parent's whole write set).
  StateOverlay(const StateOverlay&) = delete;
  StateOverlay& operator=(const StateOverlay&) = delete;
  std::optional<std::string> Get(std::string_view key) const override;
  absl::Status status() const override { return base_.status(); }
  void Put(std::string key, std::string value) { writes_[std::move(key)] = std::move(value); }
  void Delete(std::string key) { writes_[std::move(key)] = std::nullopt; }
  const WriteSet& writes() const { return writes_; }
  // Moves the writes of `child` (an overlay on top of this one) into this one.
  void Absorb(StateOverlay&& child);

 private:
  const StateReader& base_;
  WriteSet writes_;
};

// A state held in memory: genesis building, offline verification and tests.
class MemoryState : public OrderedStateReader {
 public:
  std::optional<std::string> Get(std::string_view key) const override;
  std::vector<std::pair<std::string, std::string>> Scan(std::string_view prefix,
                                                        std::string_view start,
                                                        size_t limit) const override;
  void Apply(const WriteSet& writes);
  const std::map<std::string, std::string, std::less<>>& entries() const { return entries_; }

 private:
  std::map<std::string, std::string, std::less<>> entries_;
};

}  // namespace tl::ledger
