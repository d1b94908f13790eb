// What each fact kind does to the state it touches: one table for the subject and site status
// machines (the code generator compiles it; docs/sow-language.md prints it).
#ifndef TRIALLEDGER_CONTRACTS_FACT_RULES_H_
#define TRIALLEDGER_CONTRACTS_FACT_RULES_H_

#include <span>
#include <string_view>
#include <vector>

#include "trialledger/contracts/abi.h"
#include "trialledger/contracts/fact_kinds.h"

namespace tl::contracts {

struct CounterDelta {
  std::string_view counter;
  int64_t delta;
};

// From any of `from`, the fact moves the subject (or site) to `to` and changes the counters;
// `reject` non-empty refuses the fact instead; `to` < 0 leaves the status as it is (the counters
// still change).
struct Transition {
  std::vector<int64_t> from;
  int64_t to = -1;
  std::vector<CounterDelta> deltas;
  std::string_view reject;  // completes "subject S ..." or "site S ..."
};

// Transitions of a subject kind (screened .. completed) or a site kind (activated, closed,
// monitoring visit). Every status appears in exactly one transition.
const std::vector<Transition>& TransitionsOf(FactKind kind);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_FACT_RULES_H_
