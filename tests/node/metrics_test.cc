// The metrics registry's Prometheus text (node/metrics/), exactly, for a small registry; the
// replica's tally of an applied block (node/replica/node_metrics.h) against real blocks of a
// contract ledger; and the node's key=value log lines (node/log/).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>

#include "mobilisation_facts.h"
#include "mobilisation_sow.h"
#include "node_metrics.h"
#include "test_ledger.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/node/log.h"
#include "trialledger/node/metrics.h"

namespace tl::node {
namespace {

TEST(MetricsText, SmallRegistryRendersExactly) {
  metrics::Registry registry;
  metrics::Counter& blocks = registry.AddCounter("tl_blocks_total", "Blocks applied.").With({});
  metrics::Family<metrics::Counter>& rejected =
      registry.AddCounter("tl_rejected_total", "Rejected \\ by \"code\"\nsecond line.", {"reason"});
  metrics::Family<metrics::Gauge>& role = registry.AddGauge("tl_role", "Role.", {"role", "node"});
  metrics::Gauge& height = registry.AddGauge("tl_height", "Height.").With({});
  metrics::Histogram& apply =
      registry.AddHistogram("tl_apply_seconds", "Apply time.", {0.00025, 0.01, 2.5}).With({});
  registry.AddCounter("tl_empty_total", "A labelled family with no children yet.", {"peer"});

  blocks.Increment();
  blocks.Increment(2);
  rejected.With({"TX_BAD_NONCE"}).Increment();
  rejected.With({"TX_BAD_NONCE"}).Increment();
  rejected.With({"TX_EXPIRED"}).Increment();
  role.With({"leader", "a\"b\\c\nd"}).Set(1);
  role.With({"follower", "x"}).Set(0);
  height.Set(1500000);
  apply.Observe(0.0001);
  apply.Observe(0.00025);  // on a bound: counted in that bucket (le is inclusive)
  apply.Observe(0.5);
  apply.Observe(3);

  EXPECT_EQ(registry.Render(),
            "# HELP tl_blocks_total Blocks applied.\n"
            "# TYPE tl_blocks_total counter\n"
            "tl_blocks_total 3\n"
            "# HELP tl_rejected_total Rejected \\\\ by \"code\"\\nsecond line.\n"
            "# TYPE tl_rejected_total counter\n"
            "tl_rejected_total{reason=\"TX_BAD_NONCE\"} 2\n"
            "tl_rejected_total{reason=\"TX_EXPIRED\"} 1\n"
            "# HELP tl_role Role.\n"
            "# TYPE tl_role gauge\n"
            "tl_role{role=\"follower\",node=\"x\"} 0\n"
            "tl_role{role=\"leader\",node=\"a\\\"b\\\\c\\nd\"} 1\n"
            "# HELP tl_height Height.\n"
            "# TYPE tl_height gauge\n"
            "tl_height 1500000\n"
            "# HELP tl_apply_seconds Apply time.\n"
            "# TYPE tl_apply_seconds histogram\n"
            "tl_apply_seconds_bucket{le=\"0.00025\"} 2\n"
            "tl_apply_seconds_bucket{le=\"0.01\"} 2\n"
            "tl_apply_seconds_bucket{le=\"2.5\"} 3\n"
            "tl_apply_seconds_bucket{le=\"+Inf\"} 4\n"
            "tl_apply_seconds_sum 3.50035\n"
            "tl_apply_seconds_count 4\n"
            "# HELP tl_empty_total A labelled family with no children yet.\n"
            "# TYPE tl_empty_total counter\n");
}

TEST(MetricsText, LabelledHistogramPutsLeLast) {
  metrics::Registry registry;
  registry.AddHistogram("tl_wait_seconds", "Wait.", {1}, {"stage"}).With({"admit"}).Observe(0.5);
  EXPECT_EQ(registry.Render(),
            "# HELP tl_wait_seconds Wait.\n"
            "# TYPE tl_wait_seconds histogram\n"
            "tl_wait_seconds_bucket{stage=\"admit\",le=\"1\"} 1\n"
            "tl_wait_seconds_bucket{stage=\"admit\",le=\"+Inf\"} 1\n"
            "tl_wait_seconds_sum{stage=\"admit\"} 0.5\n"
            "tl_wait_seconds_count{stage=\"admit\"} 1\n");
}

TEST(MetricsText, ClearDropsChildrenOfALabelledFamily) {
  metrics::Registry registry;
  metrics::Family<metrics::Gauge>& match = registry.AddGauge("tl_match", "Match.", {"peer"});
  match.With({"node2"}).Set(7);
  match.Clear();
  match.With({"node3"}).Set(9);
  EXPECT_EQ(registry.Render(),
            "# HELP tl_match Match.\n# TYPE tl_match gauge\ntl_match{peer=\"node3\"} 9\n");
}

TEST(MetricsText, ValuesAreWrittenWithoutExponents) {
  EXPECT_EQ(metrics::FormatValue(0), "0");
  EXPECT_EQ(metrics::FormatValue(0.0001), "0.0001");
  EXPECT_EQ(metrics::FormatValue(18446744073709551616.0), "18446744073709551616");
  EXPECT_EQ(metrics::FormatValue(-2.5), "-2.5");
  EXPECT_EQ(metrics::FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(metrics::FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(metrics::FormatValue(std::nan("")), "NaN");
}

TEST(MetricsText, CountersAddUpAcrossThreads) {
  metrics::Registry registry;
  metrics::Counter& counter = registry.AddCounter("tl_total", "Total.").With({});
  metrics::Histogram& histogram = registry.AddHistogram("tl_seconds", "S.", {1}).With({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.Increment();
        histogram.Observe(0.5);
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(counter.value(), 40000u);
  EXPECT_EQ(histogram.snapshot().cumulative_counts.back(), 40000u);
  EXPECT_EQ(histogram.snapshot().sum, 20000);
}

TEST(MetricsDeathTest, BadNamesAndLabelCountsAreProgrammerErrors) {
  metrics::Registry registry;
  EXPECT_DEATH(registry.AddCounter("1st", "x"), "check failed");
  EXPECT_DEATH(registry.AddGauge("ok", "x", {"bad-label"}), "check failed");
  registry.AddCounter("twice", "x");
  EXPECT_DEATH(registry.AddCounter("twice", "x"), "check failed");
  metrics::Family<metrics::Counter>& family = registry.AddCounter("labelled", "x", {"a"});
  EXPECT_DEATH(family.With({}), "check failed");
  EXPECT_DEATH(registry.AddHistogram("h", "x", {2, 1}), "check failed");
}

// The tally of real blocks: a contract accepted (each book gets its mobilisation entry) and a
// cost fact (the CRO's book gets a revenue entry), compared with the books' own entry counts.
TEST(BlockTally, CountsResultsFactsAndJournalEntriesOfRealBlocks) {
  testing::TestNetwork network;
  testing::MemoryLedger ledger(network);
  testing::TxSigner signer(network);
  const v1::ContractCode code = testing::SowCode(testing::kMobilisationSow, "mob.sow");
  auto entries = [&] {
    uint64_t count = 0;
    for (const char* org : {"acme-bio", "northwind-cro"}) {
      std::optional<v1::BookRecord> book = ledger::ReadBook(ledger.state(), org);
      if (book.has_value()) count += book->entry_count();
    }
    return count;
  };

  std::vector<v1::TxResult> results = ledger.Apply({signer.Sign("cro-finance", [&](v1::TxBody& b) {
    b.mutable_propose_contract()->set_contract_id("mob");
    *b.mutable_propose_contract()->mutable_code() = code;
    b.mutable_propose_contract()->set_effective_date_ms(*ParseIsoDate("2023-03-02"));
  })});
  BlockTally proposed = TallyBlock(results, ledger.last_writes());
  EXPECT_EQ(proposed.transactions_ok, 1u);
  EXPECT_TRUE(proposed.rejected.empty());
  EXPECT_EQ(proposed.journal_entries, 0u);

  uint64_t before = entries();
  results = ledger.Apply({signer.Accept("sponsor-finance", "mob", code.code_hash()),
                          network.Note("cro-finance", 1, "a replayed nonce")});
  BlockTally accepted = TallyBlock(results, ledger.last_writes());
  EXPECT_EQ(accepted.transactions_ok, 1u);
  EXPECT_EQ(accepted.rejected, (std::map<v1::TxResultCode, uint64_t>{{v1::TX_BAD_NONCE, 1}}));
  EXPECT_GT(accepted.journal_entries, 0u);
  EXPECT_EQ(accepted.journal_entries, entries() - before);

  // The estimate at completion, then a cost against it: cost-to-cost revenue on the CRO's book.
  for (bool estimate : {true, false}) {
    before = entries();
    results = ledger.Apply({signer.Sign("cro-cost", [&](v1::TxBody& b) {
      testing::SetMobilisationCostFact(b, estimate ? "EAC-1" : "C-1",
                                       estimate ? 20'000'000 : 100'000, estimate);
    })});
    ASSERT_EQ(results.size(), 1u);
    ASSERT_EQ(results[0].code(), v1::TX_OK) << results[0].message();
    BlockTally facts = TallyBlock(results, ledger.last_writes());
    EXPECT_EQ(facts.facts, (std::map<v1::FactOutcomeCode, uint64_t>{{v1::FACT_APPLIED, 1}}));
    EXPECT_EQ(facts.journal_entries, entries() - before);
    if (!estimate) {
      EXPECT_GT(facts.journal_entries, 0u);
    }
  }
}

TEST(NodeMetricsText, EveryFamilyIsThereFromTheStart) {
  NodeMetrics metrics;
  NodeGauges gauges;
  gauges.role = raft::Role::kLeader;
  gauges.term = 3;
  gauges.last_index = 10;
  gauges.submissions_waiting = 7;
  gauges.peers = {{"node2", 10}, {"node3", 4}};
  std::string text = metrics.Render(gauges);
  for (const char* line :
       {"# TYPE trialledger_raft_role gauge\n", "trialledger_raft_role{role=\"leader\"} 1\n",
        "trialledger_raft_role{role=\"follower\"} 0\n", "trialledger_raft_term 3\n",
        "trialledger_raft_peer_lag_entries{peer=\"node3\"} 6\n",
        "trialledger_raft_peer_match_index{peer=\"node2\"} 10\n",
        "trialledger_submissions_waiting 7\n",
        "# TYPE trialledger_transactions_committed_total counter\n",
        "# TYPE trialledger_transactions_rejected_total counter\n",
        "# TYPE trialledger_contract_facts_total counter\n",
        "trialledger_journal_entries_posted_total 0\n",
        "trialledger_block_apply_seconds_bucket{le=\"0.0001\"} 0\n",
        "trialledger_block_commit_seconds_bucket{le=\"10\"} 0\n",
        "trialledger_raft_log_sync_seconds_count 0\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  gauges.role = raft::Role::kFollower;
  gauges.peers.clear();
  text = metrics.Render(gauges);
  EXPECT_EQ(text.find("peer=\""), std::string::npos) << text;
  EXPECT_NE(text.find("trialledger_raft_role{role=\"leader\"} 0\n"), std::string::npos);
}

TEST(LogLine, KeyValueWithQuotedValuesWhereNeeded) {
  // 2026-12-03T06:10:00.123Z
  const int64_t ms = 1796278200123;
  EXPECT_EQ(log::FormatLine(ms, log::Level::kInfo, "node1", "became leader", {{"term", 3}}),
            "ts=2026-12-03T06:10:00.123Z level=info node=node1 msg=\"became leader\" term=3");
  EXPECT_EQ(log::FormatLine(ms, log::Level::kWarn, "", "stopping",
                            {{"error", "a \"quoted\" \\ word\nnext\tline\x01"},
                             {"empty", ""},
                             {"eq", "a=b"},
                             {"plain", "127.0.0.1:7051"}}),
            "ts=2026-12-03T06:10:00.123Z level=warn msg=stopping "
            "error=\"a \\\"quoted\\\" \\\\ word\\nnext\\tline\\x01\" empty=\"\" eq=\"a=b\" "
            "plain=127.0.0.1:7051");
}

TEST(LogLine, LevelsParseByName) {
  for (log::Level level :
       {log::Level::kDebug, log::Level::kInfo, log::Level::kWarn, log::Level::kError}) {
    absl::StatusOr<log::Level> parsed = log::ParseLevel(log::LevelName(level));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, level);
  }
  absl::StatusOr<log::Level> bad = log::ParseLevel("verbose");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "log level 'verbose' is not one of debug, info, warn, error");
}

TEST(LogLine, LinesBelowTheMinimumLevelAreDropped) {
  log::Logger logger("node1");
  log::SetMinLevel(log::Level::kWarn);
  EXPECT_FALSE(logger.Enabled(log::Level::kInfo));
  EXPECT_TRUE(logger.Enabled(log::Level::kWarn));
  EXPECT_TRUE(logger.Enabled(log::Level::kError));
  ::testing::internal::CaptureStderr();
  logger.Info("dropped");
  logger.Error("kept", {{"n", 1}});
  std::string err = ::testing::internal::GetCapturedStderr();
  log::SetMinLevel(log::Level::kInfo);
  EXPECT_EQ(err.find("dropped"), std::string::npos) << err;
  EXPECT_NE(err.find(" level=error node=node1 msg=kept n=1\n"), std::string::npos) << err;
}

}  // namespace
}  // namespace tl::node
