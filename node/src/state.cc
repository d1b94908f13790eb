#include "trialledger/node/state.h"

#include <cassert>

#include "trialledger/sdk/strings.h"

namespace tl::node {

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
  return StrCat("node-id/", EncodeU64(raft_id));
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
  return StrCat("contract-fact/", contract_id, "/", EncodeU64(seq));
}
std::string ContractEvent(std::string_view contract_id, uint64_t seq) {
  return StrCat("contract-event/", contract_id, "/", EncodeU64(seq));
}
}  // namespace state_keys

std::optional<std::string> StateOverlay::Get(std::string_view key) const {
  auto it = writes_.find(key);
  if (it != writes_.end()) return it->second;
  return base_.Get(key);
}

void StateOverlay::Absorb(StateOverlay&& child) {
  assert(&child.base_ == this);
  for (auto& [key, value] : child.writes_)
    writes_[key] = std::move(value);
  child.writes_.clear();
}

std::optional<std::string> MemoryState::Get(std::string_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
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

std::string EncodeU64(uint64_t value) {
  std::string bytes(8, '\0');
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return bytes;
}

uint64_t DecodeU64(std::string_view bytes) {
  assert(bytes.size() == 8);
  uint64_t value = 0;
  for (unsigned char byte : bytes)
    value = value << 8 | byte;
  return value;
}

}  // namespace tl::node
