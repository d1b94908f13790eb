// Checks of the history's submits against the reference chain: nothing acknowledged is lost or
// put at another height than reported, nothing refused is committed, and how many of the
// unknowns took effect.
//
// A client may retry a transaction under the same tx_id, so submits are judged per tx_id, by the
// strongest thing any of its submits learned: acknowledged (some submit was ok), else unknown
// (some timed out), else refused (all were refused). A refusal after an acknowledgement (a
// retry refused as a duplicate) or beside an unknown is thus no anomaly: the other attempt
// explains the commit. That the chain holds an id at most once is CheckDuplicateCommits' rule,
// for every id alike, so it is not repeated here.
#pragma once

#include <cstdint>
#include <vector>

#include "anomaly.h"
#include "history.h"
#include "reference_chain.h"

namespace tl::history {

// Distinct tx_ids by the strongest outcome of their submits.
struct SubmitCounts {
  int64_t acknowledged = 0;
  int64_t refused = 0;
  int64_t unknown = 0;
  int64_t unknown_committed = 0;  // of the unknown ones, how many the reference chain holds
};

struct SubmitReport {
  SubmitCounts counts;
  std::vector<Anomaly> anomalies;  // at history lines, in no particular order
};

// lost_acknowledged: an acknowledged tx_id is not in the reference chain (at its first ok
//   submit);
// wrong_commit_height: an ok submit reported a height and the chain first holds the tx at
//   another (at that submit);
// refused_committed: a refused tx_id is in the chain (at its first submit).
SubmitReport CheckSubmits(const History& history, const std::vector<NodeLedger>& nodes,
                          const ReferenceChain& chain);

}  // namespace tl::history
