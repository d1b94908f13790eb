// Submits against the reference chain: acknowledged exactly once at the reported height, refused
// never, unknown at most once (and counted).
#include "submit_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "checker.h"
#include "history_testing.h"

namespace tl::history {
namespace {

using testing::Chain;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HistoryOf;
using ::testing::IsEmpty;
using testing::KindsOf;
using testing::Submit;

TEST(SubmitChecks, AcknowledgedAtReportedHeightPasses) {
  History history = HistoryOf(
      {Submit("c1", 10, 20, Outcome::kOk, "01", 1), Submit("c2", 11, 25, Outcome::kOk, "02")});
  Report report = Check(history, {Chain("a", {{"01"}, {"02"}})}, {});
  EXPECT_THAT(report.anomalies, IsEmpty());
  EXPECT_EQ(report.submits.acknowledged, 2);
}

TEST(SubmitChecks, LostAcknowledgedTx) {
  History history = HistoryOf(
      {Submit("c1", 10, 20, Outcome::kOk, "01"), Submit("c1", 30, 40, Outcome::kOk, "0f")});
  Report report = Check(history, {Chain("a", {{"01"}}), Chain("b", {{"01"}})}, {});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kLostAcknowledged));
  EXPECT_THAT(report.anomalies[0].message,
              HasSubstr("tx '0f' submitted at history.jsonl:2 (client c1)"));
}

TEST(SubmitChecks, WrongReportedHeight) {
  History history = HistoryOf({Submit("c1", 10, 20, Outcome::kOk, "02", 1)});
  Report report = Check(history, {Chain("a", {{"01"}, {"02"}})}, {});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kWrongCommitHeight));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("acknowledged at height 1"));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("height 2 (node a (a.jsonl:2))"));
}

TEST(SubmitChecks, RefusedButCommitted) {
  History history = HistoryOf({Submit("c1", 10, 20, Outcome::kRefused, "02")});
  Report report = Check(history, {Chain("a", {{"01"}, {"02"}})}, {});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kRefusedCommitted));
  EXPECT_EQ(report.submits.refused, 1);
}

TEST(SubmitChecks, RefusedAndNotCommittedPasses) {
  History history = HistoryOf({Submit("c1", 10, 20, Outcome::kRefused, "02")});
  EXPECT_THAT(Check(history, {Chain("a", {{"01"}})}, {}).anomalies, IsEmpty());
}

// A retry under the same tx_id explains the commit: a refusal as a duplicate after the ack, or a
// refusal beside a time-out that did take effect.
TEST(SubmitChecks, RefusalBesideAnotherAttemptIsNoAnomaly) {
  History history = HistoryOf({Submit("c1", 10, 20, Outcome::kOk, "01"),
                               Submit("c1", 30, 40, Outcome::kRefused, "01"),
                               Submit("c2", 10, 90, Outcome::kUnknown, "02"),
                               Submit("c2", 95, 99, Outcome::kRefused, "02")});
  Report report = Check(history, {Chain("a", {{"01"}, {"02"}})}, {});
  EXPECT_THAT(report.anomalies, IsEmpty());
  // Counted per tx_id by its strongest outcome.
  EXPECT_EQ(report.submits.acknowledged, 1);
  EXPECT_EQ(report.submits.unknown, 1);
  EXPECT_EQ(report.submits.refused, 0);
  EXPECT_EQ(report.submits.unknown_committed, 1);
}

TEST(SubmitChecks, UnknownCommittedOncePassesAndIsCounted) {
  History history = HistoryOf({Submit("c1", 10, 90, Outcome::kUnknown, "02")});
  Report report = Check(history, {Chain("a", {{"01"}, {"02"}})}, {});
  EXPECT_THAT(report.anomalies, IsEmpty());
  EXPECT_EQ(report.submits.unknown, 1);
  EXPECT_EQ(report.submits.unknown_committed, 1);
}

TEST(SubmitChecks, UnknownNotCommittedPasses) {
  History history = HistoryOf({Submit("c1", 10, 90, Outcome::kUnknown, "0e")});
  Report report = Check(history, {Chain("a", {{"01"}})}, {});
  EXPECT_THAT(report.anomalies, IsEmpty());
  EXPECT_EQ(report.submits.unknown, 1);
  EXPECT_EQ(report.submits.unknown_committed, 0);
}

// At most once holds for every tx id alike, so an unknown committed twice is a duplicate_commit.
TEST(SubmitChecks, UnknownCommittedTwiceIsADuplicateCommit) {
  History history = HistoryOf({Submit("c1", 10, 90, Outcome::kUnknown, "02")});
  Report report = Check(history, {Chain("a", {{"01"}, {"02"}, {"02"}})}, {});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kDuplicateCommit));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("tx '02' is committed 2 times"));
  EXPECT_EQ(report.submits.unknown_committed, 1);
}

TEST(SubmitChecks, AcknowledgedCommittedTwiceIsOneDuplicateCommit) {
  History history = HistoryOf({Submit("c1", 10, 20, Outcome::kOk, "01", 1)});
  Report report = Check(history, {Chain("a", {{"01"}, {"01"}})}, {});
  EXPECT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kDuplicateCommit));
}

TEST(SubmitChecks, TxOnlyOnAShorterNodeIsStillCommitted) {
  // The reference is the longest node; heights it lacks come from the others.
  NodeLedger late = Chain("late", {{"02"}, {"03"}}, /*first_height=*/2);
  NodeLedger early = Chain("early", {{"01"}});
  History history = HistoryOf({Submit("c1", 10, 20, Outcome::kOk, "01", 1)});
  EXPECT_THAT(Check(history, {late, early}, {}).anomalies, IsEmpty());
}

}  // namespace
}  // namespace tl::history
