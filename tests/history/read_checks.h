// Checks of the history's linearizable reads (read: a ReadIndex read of the committed head;
// get_tx: a look-up of one transaction) against real-time order and the reference chain.
//
// Linearizability here means: whatever was known committed before a read started, the read sees.
// A height is known committed once an operation that showed it has ended: an ok submit (its tx's
// height in the reference chain), an ok read (the height it returned) or a get_tx that found a
// tx (the tx's height in the chain). "Before" is strict real time: end_us < start_us; operations
// that overlap constrain nothing. Order within one client's session is not required on top.
//
// Only ok reads are checked; refused and unknown ones returned nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "anomaly.h"
#include "history.h"
#include "reference_chain.h"

namespace tl::history {

struct ReadReport {
  int64_t reads_checked = 0;       // ok reads and ok get_tx
  std::vector<Anomaly> anomalies;  // at history lines, in history order
};

// stale_read: an ok read returned less than a height known committed when it started;
// read_beyond_chain: an ok read returned more than the reference chain's head;
// stale_get_tx: a get_tx did not find a tx whose submit was acknowledged before it started, or
//   which the chain holds at a height known committed when it started;
// get_tx_wrong_height: a get_tx found a tx at another height than the chain has it (or the
//   chain does not hold it).
ReadReport CheckReads(const History& history, const ReferenceChain& chain);

}  // namespace tl::history
