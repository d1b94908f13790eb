#include "node_metrics.h"

namespace tl::node {
namespace {

constexpr raft::Role kRoles[] = {raft::Role::kFollower, raft::Role::kPreCandidate,
                                 raft::Role::kCandidate, raft::Role::kLeader};

double Seconds(std::chrono::nanoseconds took) {
  return std::chrono::duration<double>(took).count();
}

}  // namespace

BlockTally TallyBlock(const std::vector<v1::TxResult>& results, const ledger::WriteSet& writes) {
  BlockTally tally;
  for (const v1::TxResult& result : results) {
    if (result.code() == v1::TX_OK) {
      ++tally.transactions_ok;
    } else {
      ++tally.rejected[result.code()];
    }
    for (const v1::FactOutcome& fact : result.contract().facts())
      ++tally.facts[fact.code()];
  }
  // Journal entries are only ever appended (book_records.h), so each one written is new.
  for (const auto& [key, value] : writes) {
    if (value.has_value() && ledger::state_keys::IsJournalEntry(key)) ++tally.journal_entries;
  }
  return tally;
}

NodeMetrics::NodeMetrics()
    : raft_role_(registry_.AddGauge("trialledger_raft_role",
                                    "1 for the Raft role this node has now, 0 for the others.",
                                    {"role"})),
      raft_term_(registry_.AddGauge("trialledger_raft_term", "The current Raft term.").With({})),
      raft_commit_index_(registry_
                             .AddGauge("trialledger_raft_commit_index",
                                       "The highest Raft log index this node knows committed.")
                             .With({})),
      raft_applied_index_(registry_
                              .AddGauge("trialledger_raft_applied_index",
                                        "The highest Raft log index this node has applied.")
                              .With({})),
      raft_last_index_(
          registry_
              .AddGauge("trialledger_raft_last_index", "The last index in this node's Raft log.")
              .With({})),
      raft_peer_match_index_(registry_.AddGauge(
          "trialledger_raft_peer_match_index",
          "On the leader: the highest log index known replicated on each other member.", {"peer"})),
      raft_peer_lag_entries_(registry_.AddGauge(
          "trialledger_raft_peer_lag_entries",
          "On the leader: its last log index minus each other member's match index.", {"peer"})),
      block_height_(registry_
                        .AddGauge("trialledger_block_height",
                                  "Height of the last block applied to this node's ledger.")
                        .With({})),
      mempool_transactions_(registry_
                                .AddGauge("trialledger_mempool_transactions",
                                          "Transactions admitted and not yet in a block (the "
                                          "leader's pool; 0 on followers).")
                                .With({})),
      submissions_waiting_(registry_
                               .AddGauge("trialledger_submissions_waiting",
                                         "Client submissions waiting on this node for the block "
                                         "of their transaction (wait_for_commit).")
                               .With({})),
      blocks_applied_(registry_
                          .AddCounter("trialledger_blocks_applied_total",
                                      "Blocks applied and stored by this node since it started.")
                          .With({})),
      blocks_refused_(registry_
                          .AddCounter("trialledger_blocks_refused_total",
                                      "Committed Raft entries skipped because their block does "
                                      "not extend this node's head.")
                          .With({})),
      transactions_committed_(registry_
                                  .AddCounter("trialledger_transactions_committed_total",
                                              "Transactions with result TX_OK in blocks this node "
                                              "applied since it started.")
                                  .With({})),
      transactions_rejected_(registry_.AddCounter(
          "trialledger_transactions_rejected_total",
          "Transactions rejected, by result code: at admission on the node that admits (the "
          "leader), or in a block this node applied.",
          {"reason", "stage"})),
      contract_facts_(registry_.AddCounter(
          "trialledger_contract_facts_total",
          "Contract facts in blocks this node applied, by outcome (FACT_APPLIED, ...).",
          {"outcome"})),
      journal_entries_posted_(registry_
                                  .AddCounter("trialledger_journal_entries_posted_total",
                                              "Journal entries posted to the books in blocks this "
                                              "node applied since it started.")
                                  .With({})),
      block_apply_seconds_(registry_
                               .AddHistogram("trialledger_block_apply_seconds",
                                             "Time to apply one block (ApplyBlock: header, "
                                             "signatures, every transaction).",
                                             kLatencyBucketsSeconds)
                               .With({})),
      block_commit_seconds_(registry_
                                .AddHistogram("trialledger_block_commit_seconds",
                                              "Time to build and write one applied block's "
                                              "LevelDB batch (not synced; the next Raft log sync "
                                              "makes it durable).",
                                              kLatencyBucketsSeconds)
                                .With({})),
      raft_log_sync_seconds_(
          registry_
              .AddHistogram("trialledger_raft_log_sync_seconds",
                            "Time of one synced Raft log write (LevelDB write with fsync).",
                            kLatencyBucketsSeconds)
              .With({})) {
  for (raft::Role role : kRoles)
    raft_role_.With({raft::RoleName(role)});
}

void NodeMetrics::RecordBlock(const BlockTally& tally, std::chrono::nanoseconds apply,
                              std::chrono::nanoseconds commit) {
  blocks_applied_.Increment();
  transactions_committed_.Increment(tally.transactions_ok);
  for (const auto& [code, count] : tally.rejected)
    transactions_rejected_.With({v1::TxResultCode_Name(code), "block"}).Increment(count);
  for (const auto& [code, count] : tally.facts)
    contract_facts_.With({v1::FactOutcomeCode_Name(code)}).Increment(count);
  journal_entries_posted_.Increment(tally.journal_entries);
  block_apply_seconds_.Observe(Seconds(apply));
  block_commit_seconds_.Observe(Seconds(commit));
}

void NodeMetrics::RecordRefusedBlock() {
  blocks_refused_.Increment();
}

void NodeMetrics::RecordAdmissionRefusal(v1::TxResultCode code) {
  transactions_rejected_.With({v1::TxResultCode_Name(code), "admission"}).Increment();
}

void NodeMetrics::RecordRaftLogSync(std::chrono::nanoseconds took) {
  raft_log_sync_seconds_.Observe(Seconds(took));
}

std::string NodeMetrics::Render(const NodeGauges& gauges) {
  std::lock_guard<std::mutex> lock(render_mutex_);
  for (raft::Role role : kRoles)
    raft_role_.With({raft::RoleName(role)}).Set(role == gauges.role ? 1 : 0);
  raft_term_.Set(static_cast<double>(gauges.term));
  raft_commit_index_.Set(static_cast<double>(gauges.commit_index));
  raft_applied_index_.Set(static_cast<double>(gauges.applied_index));
  raft_last_index_.Set(static_cast<double>(gauges.last_index));
  // The peers come and go with leadership and membership: set afresh on each scrape.
  raft_peer_match_index_.Clear();
  raft_peer_lag_entries_.Clear();
  for (const NodeGauges::Peer& peer : gauges.peers) {
    raft_peer_match_index_.With({peer.name}).Set(static_cast<double>(peer.match_index));
    uint64_t lag = gauges.last_index > peer.match_index ? gauges.last_index - peer.match_index : 0;
    raft_peer_lag_entries_.With({peer.name}).Set(static_cast<double>(lag));
  }
  block_height_.Set(static_cast<double>(gauges.height));
  mempool_transactions_.Set(static_cast<double>(gauges.mempool_transactions));
  submissions_waiting_.Set(static_cast<double>(gauges.submissions_waiting));
  return registry_.Render();
}

}  // namespace tl::node
