#include "trialledger/ledger/state.h"

#include <algorithm>

#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"

namespace tl::ledger {

namespace state_keys {
std::string Org(std::string_view name) {
  return StrCat("org/", name);
}
std::string Member(std::string_view public_key) {
  return StrCat("member/", public_key);
}
std::string MemberName(std::string_view org, std::string_view name) {
  return StrCat("member-name/", org, "/", name);
}
std::string Nonce(std::string_view public_key) {
  return StrCat("nonce/", public_key);
}
std::string Node(std::string_view name) {
  return StrCat("node/", name);
}
std::string AdminCount(std::string_view org) {
  return StrCat("admin-count/", org);
}
std::string NodeId(uint64_t raft_id) {
  return StrCat("node-id/", EncodeBigEndian64(raft_id));
}
std::string Contract(std::string_view contract_id) {
  return StrCat(kContractPrefix, contract_id);
}
std::string ContractCode(std::string_view code_hash, std::string_view source_hash) {
  return StrCat("contract-code/", code_hash, source_hash);
}
std::string ContractData(std::string_view contract_id) {
  return StrCat("contract-data/", contract_id, "/");
}
std::string ContractFact(std::string_view contract_id, uint64_t seq) {
  return StrCat("contract-fact/", contract_id, "/", EncodeBigEndian64(seq));
}
std::string ContractEvent(std::string_view contract_id, uint64_t seq) {
  return StrCat("contract-event/", contract_id, "/", EncodeBigEndian64(seq));
}
std::string ContractBooks(std::string_view contract_id) {
  return StrCat("contract-books/", contract_id);
}
std::string Book(std::string_view org) {
  return StrCat("book/", org);
}
std::string JournalPrefix(std::string_view org) {
  return StrCat("journal/", org, "/");
}
std::string JournalEntry(std::string_view org, uint64_t seq) {
  return StrCat(JournalPrefix(org), EncodeBigEndian64(seq));
}
bool IsJournalEntry(std::string_view state_key) {
  return state_key.starts_with("journal/");
}
std::string JournalByContractPrefix(std::string_view org, std::string_view contract_id) {
  return StrCat("journal-by-contract/", org, "/", contract_id, "/");
}
std::string JournalByContract(std::string_view org, std::string_view contract_id, uint64_t seq) {
  return StrCat(JournalByContractPrefix(org, contract_id), EncodeBigEndian64(seq));
}
std::string PeriodChangePrefix(std::string_view org) {
  return StrCat("book-period/", org, "/");
}
std::string PeriodChange(std::string_view org, uint64_t seq) {
  return StrCat(PeriodChangePrefix(org), EncodeBigEndian64(seq));
}
std::string BookGrantPrefix(std::string_view org) {
  return StrCat("grant/book/", org, "/");
}
std::string BookGrant(std::string_view org, std::string_view auditor_org) {
  return StrCat(BookGrantPrefix(org), auditor_org);
}
std::string ContractGrantPrefix(std::string_view contract_id) {
  return StrCat("grant/contract/", contract_id, "/");
}
std::string ContractGrant(std::string_view contract_id, std::string_view auditor_org) {
  return StrCat(ContractGrantPrefix(contract_id), auditor_org);
}
std::string FactById(std::string_view contract_id, std::string_view fact_id) {
  return StrCat("fact-by-id/", contract_id, "/", fact_id);
}
std::string Invoice(std::string_view invoice_id) {
  return StrCat("invoice/", invoice_id);
}
std::string InvoiceByContractPrefix(std::string_view contract_id) {
  return StrCat("invoice-by-contract/", contract_id, "/");
}
std::string InvoiceByContract(std::string_view contract_id, std::string_view invoice_id) {
  return StrCat(InvoiceByContractPrefix(contract_id), invoice_id);
}
std::string Payment(std::string_view invoice_id, uint64_t seq) {
  return StrCat("payment/", invoice_id, "/", EncodeBigEndian64(seq));
}
std::string AccrualGrid(std::string_view contract_id) {
  return StrCat("accrual-grid/", contract_id);
}
std::string GridAccrual(std::string_view contract_id, std::string_view fact_id) {
  return StrCat("grid-accrual/", contract_id, "/", fact_id);
}
std::string GridSubject(std::string_view contract_id, std::string_view site,
                        std::string_view subject) {
  return StrCat("grid-subject/", contract_id, "/", site, "/", subject);
}
}  // namespace state_keys

std::optional<std::string> StateOverlay::Get(std::string_view key) const {
  auto it = writes_.find(key);
  if (it != writes_.end()) return it->second;
  return base_.Get(key);
}

void StateOverlay::Absorb(StateOverlay&& child) {
  TL_CHECK(&child.base_ == this);
  for (auto& [key, value] : child.writes_)
    writes_[key] = std::move(value);
  child.writes_.clear();
}

std::optional<std::string> MemoryState::Get(std::string_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::pair<std::string, std::string>> MemoryState::Scan(std::string_view prefix,
                                                                   std::string_view start,
                                                                   size_t limit) const {
  std::vector<std::pair<std::string, std::string>> found;
  for (auto it = entries_.lower_bound(std::max(prefix, start));
       it != entries_.end() && found.size() < limit && it->first.starts_with(prefix); ++it) {
    found.emplace_back(it->first, it->second);
  }
  return found;
}

void MemoryState::Apply(const WriteSet& writes) {
  for (const auto& [key, value] : writes) {
    if (value.has_value()) {
      entries_[key] = *value;
    } else {
      entries_.erase(key);
    }
  }
}

}  // namespace tl::ledger
