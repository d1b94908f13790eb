// Linearizable reads: what was known committed before a read started, the read sees; nothing
// beyond the chain; get_tx finds what was acknowledged before it, at the chain's height.
#include "read_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "checker.h"
#include "history_testing.h"

namespace tl::history {
namespace {

using testing::Chain;
using ::testing::ElementsAre;
using testing::GetTx;
using ::testing::HasSubstr;
using testing::HistoryOf;
using ::testing::IsEmpty;
using testing::KindsOf;
using testing::Read;
using testing::Submit;

// Heights 1..3 holding txs 01, 02, 03.
std::vector<NodeLedger> ThreeBlocks() {
  return {Chain("a", {{"01"}, {"02"}, {"03"}})};
}

TEST(ReadChecks, ReadAfterAckSeesItsHeight) {
  History history =
      HistoryOf({Submit("c1", 10, 20, Outcome::kOk, "02", 2), Read("c2", 21, 30, Outcome::kOk, 2)});
  Report report = Check(history, ThreeBlocks(), {});
  EXPECT_THAT(report.anomalies, IsEmpty());
  EXPECT_EQ(report.reads_checked, 1);
}

TEST(ReadChecks, StaleReadAfterAck) {
  History history =
      HistoryOf({Submit("c1", 10, 20, Outcome::kOk, "03"), Read("c2", 21, 30, Outcome::kOk, 2)});
  Report report = Check(history, ThreeBlocks(), {});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kStaleRead));
  const std::string& message = report.anomalies[0].message;
  EXPECT_THAT(message, HasSubstr("read at history.jsonl:2 (client c2)"));
  EXPECT_THAT(message, HasSubstr("height 3 was known committed: tx '03' acknowledged at "
                                 "history.jsonl:1 (client c1) ended at end_us 20"));
}

TEST(ReadChecks, ReadOverlappingTheAckMayMissIt) {
  // The ack ends at 20, the read starts at 20: not strictly before, so they overlap.
  History history =
      HistoryOf({Submit("c1", 10, 20, Outcome::kOk, "03"), Read("c2", 20, 30, Outcome::kOk, 1)});
  EXPECT_THAT(Check(history, ThreeBlocks(), {}).anomalies, IsEmpty());
}

TEST(ReadChecks, ReadMayNotGoBelowAnEarlierRead) {
  History history =
      HistoryOf({Read("c1", 10, 20, Outcome::kOk, 3), Read("c2", 21, 30, Outcome::kOk, 2)});
  EXPECT_THAT(KindsOf(Check(history, ThreeBlocks(), {}).anomalies), ElementsAre(kind::kStaleRead));
}

// Only real-time order binds: one client's overlapping (pipelined) reads may come back in any
// order.
TEST(ReadChecks, OverlappingReadsOfOneClientNeedNotBeMonotonic) {
  History history =
      HistoryOf({Read("c1", 10, 30, Outcome::kOk, 3), Read("c1", 15, 25, Outcome::kOk, 1)});
  EXPECT_THAT(Check(history, ThreeBlocks(), {}).anomalies, IsEmpty());
}

TEST(ReadChecks, ReadBeyondTheChain) {
  History history =
      HistoryOf({Read("c1", 10, 20, Outcome::kOk, 4), Read("c2", 30, 40, Outcome::kOk, 3)});
  Report report = Check(history, ThreeBlocks(), {});
  // The impossible height 4 is not taken as known committed, so the later read is fine.
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kReadBeyondChain));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("reference chain's head 3"));
}

TEST(ReadChecks, RefusedAndUnknownReadsAreNotChecked) {
  History history =
      HistoryOf({Submit("c1", 10, 20, Outcome::kOk, "03"), Read("c2", 30, 40, Outcome::kRefused),
                 Read("c2", 50, 60, Outcome::kUnknown)});
  Report report = Check(history, ThreeBlocks(), {});
  EXPECT_THAT(report.anomalies, IsEmpty());
  EXPECT_EQ(report.reads_checked, 0);
}

TEST(ReadChecks, GetTxNotFoundAfterAck) {
  History history = HistoryOf(
      {Submit("c1", 10, 20, Outcome::kOk, "02"), GetTx("c2", 21, 30, "02", std::nullopt)});
  Report report = Check(history, ThreeBlocks(), {});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kStaleGetTx));
  EXPECT_THAT(report.anomalies[0].message,
              HasSubstr("its submit at history.jsonl:1 (client c1) was acknowledged at end_us 20"));
}

TEST(ReadChecks, GetTxNotFoundBelowAKnownCommittedHeight) {
  // Nobody acknowledged 01, but a read showed height 2 committed before the look-up started.
  History history =
      HistoryOf({Read("c1", 10, 20, Outcome::kOk, 2), GetTx("c2", 21, 30, "01", std::nullopt)});
  EXPECT_THAT(KindsOf(Check(history, ThreeBlocks(), {}).anomalies), ElementsAre(kind::kStaleGetTx));
}

TEST(ReadChecks, GetTxNotFoundWhileTheSubmitIsInFlightPasses) {
  History history =
      HistoryOf({Submit("c1", 10, 40, Outcome::kOk, "03"), GetTx("c2", 20, 30, "03", std::nullopt),
                 GetTx("c2", 41, 50, "03", 3)});
  Report report = Check(history, ThreeBlocks(), {});
  EXPECT_THAT(report.anomalies, IsEmpty());
  EXPECT_EQ(report.reads_checked, 2);
}

TEST(ReadChecks, GetTxFoundAtWrongHeight) {
  History history = HistoryOf({GetTx("c1", 10, 20, "02", 3)});
  Report report = Check(history, ThreeBlocks(), {});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kGetTxWrongHeight));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("the reference chain has it at height 2"));
}

TEST(ReadChecks, GetTxFoundButNotInTheChain) {
  History history = HistoryOf({GetTx("c1", 10, 20, "0e", 2)});
  EXPECT_THAT(KindsOf(Check(history, ThreeBlocks(), {}).anomalies),
              ElementsAre(kind::kGetTxWrongHeight));
}

TEST(ReadChecks, FoundTxIsKnownCommittedForLaterReads) {
  History history = HistoryOf({GetTx("c1", 10, 20, "03", 3), Read("c2", 21, 30, Outcome::kOk, 2)});
  EXPECT_THAT(KindsOf(Check(history, ThreeBlocks(), {}).anomalies), ElementsAre(kind::kStaleRead));
}

TEST(ReadChecks, HistoryAnomaliesComeInLineOrder) {
  History history = HistoryOf(
      {Submit("c1", 10, 20, Outcome::kOk, "03"), Read("c2", 21, 30, Outcome::kOk, 1),
       Submit("c1", 30, 40, Outcome::kOk, "0e"), GetTx("c3", 41, 50, "03", std::nullopt)});
  Report report = Check(history, ThreeBlocks(), {});
  EXPECT_THAT(KindsOf(report.anomalies),
              ElementsAre(kind::kStaleRead, kind::kLostAcknowledged, kind::kStaleGetTx));
}

}  // namespace
}  // namespace tl::history
