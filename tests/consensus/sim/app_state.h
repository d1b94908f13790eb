// The simulated application: what each node's state machine holds, how a snapshot encodes it,
// and how client proposals are encoded in entries.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "trialledger/consensus/types.h"

namespace tl::raft::sim {

// The replicated state machine: a hash chain over applied entries plus the set of applied
// proposal ids. Durable: the node persists it with every apply, as trialledgerd does.
struct AppState {
  uint64_t applied_index = 0;
  uint64_t state_hash = 0;
  std::set<uint64_t> proposal_ids;

  std::string Encode() const {
    std::string out = absl::StrCat(applied_index, ":", state_hash);
    for (uint64_t id : proposal_ids)
      absl::StrAppend(&out, ",", id);
    return out;
  }
  static AppState Decode(const std::string& data, uint64_t index) {
    AppState state;
    state.applied_index = index;
    if (data.empty()) return state;  // the bootstrap snapshot: nothing applied yet
    std::vector<uint64_t> numbers;
    uint64_t value = 0;
    for (char c : data) {
      if (c >= '0' && c <= '9') {
        value = value * 10 + static_cast<uint64_t>(c - '0');
      } else {
        numbers.push_back(value);
        value = 0;
      }
    }
    numbers.push_back(value);
    state.state_hash = numbers.at(1);
    state.proposal_ids.insert(numbers.begin() + 2, numbers.end());
    return state;
  }
};

inline std::string ProposalData(uint64_t id, uint64_t padding_bytes) {
  return absl::StrCat("p", id, "/", std::string(padding_bytes, 'x'));
}

// 0 for entries that are not client proposals.
inline uint64_t ProposalId(const Entry& entry) {
  if (entry.type != EntryType::kNormal || entry.data.empty() || entry.data[0] != 'p') return 0;
  uint64_t id = 0;
  for (size_t i = 1; i < entry.data.size() && entry.data[i] != '/'; ++i) {
    id = id * 10 + static_cast<uint64_t>(entry.data[i] - '0');
  }
  return id;
}

}  // namespace tl::raft::sim
