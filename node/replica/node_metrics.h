// What a replica measures and counts, for the metrics endpoint (docs/operations.md has the table).
// Private to tl_node.
//
// The deterministic libraries (node/ledger, consensus/, contracts/) take no clock and keep no
// counters: the replica times the calls it makes into them and counts from what they return
// (the results and write set of an applied block, the outcome of admission). Gauges (Raft state,
// height, mempool) are read when a scrape asks for them (Replica::MetricsText).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "trialledger/consensus/raw_node.h"
#include "trialledger/ledger/state.h"
#include "trialledger/node/metrics.h"
#include "trialledger/sdk/protocol.h"

namespace tl::node {

// Upper bounds of every latency histogram, in seconds: 100 us to 10 s.
inline const std::vector<double> kLatencyBucketsSeconds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

// What one applied block adds to the counters: its results and its write set, as ApplyBlock
// returned them.
struct BlockTally {
  uint64_t transactions_ok = 0;
  std::map<v1::TxResultCode, uint64_t> rejected;  // results other than TX_OK, by code
  std::map<v1::FactOutcomeCode, uint64_t> facts;  // contract fact outcomes, by code
  uint64_t journal_entries = 0;                   // journal/<org>/<seq> keys written
};
BlockTally TallyBlock(const std::vector<v1::TxResult>& results, const ledger::WriteSet& writes);

// The values Raft and the store hold at one moment, for the gauges.
struct NodeGauges {
  raft::Role role = raft::Role::kFollower;
  uint64_t term = 0;
  uint64_t commit_index = 0;
  uint64_t applied_index = 0;
  uint64_t last_index = 0;
  uint64_t height = 0;
  uint64_t mempool_transactions = 0;
  uint64_t submissions_waiting = 0;  // commit_waiters.h
  struct Peer {
    std::string name;
    uint64_t match_index = 0;
  };
  std::vector<Peer> peers;  // leader only, without this node
};

class NodeMetrics {
 public:
  NodeMetrics();

  // A block this node applied and stored (a committed Raft entry, or a block fetched to catch
  // up), with the time ApplyBlock and CommitBlock took.
  void RecordBlock(const BlockTally& tally, std::chrono::nanoseconds apply,
                   std::chrono::nanoseconds commit);
  // A committed Raft entry whose block this node refused (it does not extend this node's head).
  void RecordRefusedBlock();
  // A transaction admission refused, with the code the client got.
  void RecordAdmissionRefusal(v1::TxResultCode code);
  // One synced Raft log write (entries, hard state or snapshot), with its time.
  void RecordRaftLogSync(std::chrono::nanoseconds took);

  // The gauges set from `gauges`, then everything rendered. Thread-safe; scrapes are serialized.
  std::string Render(const NodeGauges& gauges);

 private:
  metrics::Registry registry_;
  std::mutex render_mutex_;

  metrics::Family<metrics::Gauge>& raft_role_;
  metrics::Gauge& raft_term_;
  metrics::Gauge& raft_commit_index_;
  metrics::Gauge& raft_applied_index_;
  metrics::Gauge& raft_last_index_;
  metrics::Family<metrics::Gauge>& raft_peer_match_index_;
  metrics::Family<metrics::Gauge>& raft_peer_lag_entries_;
  metrics::Gauge& block_height_;
  metrics::Gauge& mempool_transactions_;
  metrics::Gauge& submissions_waiting_;
  metrics::Counter& blocks_applied_;
  metrics::Counter& blocks_refused_;
  metrics::Counter& transactions_committed_;
  metrics::Family<metrics::Counter>& transactions_rejected_;
  metrics::Family<metrics::Counter>& contract_facts_;
  metrics::Counter& journal_entries_posted_;
  metrics::Histogram& block_apply_seconds_;
  metrics::Histogram& block_commit_seconds_;
  metrics::Histogram& raft_log_sync_seconds_;
};

}  // namespace tl::node
