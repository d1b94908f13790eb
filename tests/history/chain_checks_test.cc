// The ledgers alone: each node's chain links, nodes agree where they overlap, and the reference
// chain commits no tx twice. Histories here are empty: no client claims anything.
#include "chain_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "checker.h"
#include "history_testing.h"

namespace tl::history {
namespace {

using testing::Chain;
using ::testing::ElementsAre;
using testing::ForkFrom;
using testing::HashAt;
using ::testing::HasSubstr;
using testing::HistoryOf;
using ::testing::IsEmpty;
using testing::KindsOf;

Report CheckLedgers(const std::vector<NodeLedger>& nodes, CheckOptions options = {}) {
  return Check(HistoryOf({}), nodes, options);
}

TEST(ChainChecks, AgreeingNodesAndAShorterPrefixPass) {
  NodeLedger a = Chain("a", {{"01"}, {"02"}, {"03"}});
  NodeLedger b = Chain("b", {{"01"}, {"02"}, {"03"}});
  NodeLedger c = Chain("c", {{"01"}});  // behind, but a prefix
  Report report = CheckLedgers({a, b, c});
  EXPECT_THAT(report.anomalies, IsEmpty());
  EXPECT_EQ(report.nodes, 3);
  EXPECT_EQ(report.reference_height, 3);
}

TEST(ChainChecks, BrokenLinkNamesNodeAndLine) {
  NodeLedger a = Chain("a", {{"01"}, {"02"}, {"03"}});
  a.blocks[2].prev_hash = "ff";
  Report report = CheckLedgers({a});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kBrokenLink));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("node a (a.jsonl:3)"));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("'ff'"));
}

TEST(ChainChecks, HeightGapIsNonConsecutive) {
  NodeLedger a = Chain("a", {{"01"}, {"02"}, {"03"}});
  a.blocks.erase(a.blocks.begin() + 1);
  Report report = CheckLedgers({a});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kNonConsecutiveHeight));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("height 3 follows height 1"));
}

TEST(ChainChecks, DivergedBlockAtSameHeightIsReportedOncePerNode) {
  NodeLedger a = Chain("a", {{"01"}, {"02"}, {"03"}, {"04"}});
  NodeLedger b = Chain("b", {{"01"}, {"02"}, {"99"}, {"98"}});
  ForkFrom(b, 3, "b");
  Report report = CheckLedgers({a, b});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kDivergedBlock));
  const std::string& message = report.anomalies[0].message;
  EXPECT_THAT(message, HasSubstr("node b (b.jsonl:3) diverges from node a (a.jsonl:3)"));
  EXPECT_THAT(message, HasSubstr("at height 3"));
  EXPECT_THAT(message, HasSubstr("1 later height differs too"));
}

TEST(ChainChecks, ShorterNodeOffThePrefixDiverges) {
  NodeLedger a = Chain("a", {{"01"}, {"02"}, {"03"}});
  NodeLedger b = Chain("b", {{"01"}, {"77"}});
  ForkFrom(b, 2, "c");
  EXPECT_THAT(KindsOf(CheckLedgers({a, b}).anomalies), ElementsAre(kind::kDivergedBlock));
}

TEST(ChainChecks, SameHashDifferentStateIsDivergedState) {
  NodeLedger a = Chain("a", {{"01"}, {"02"}});
  NodeLedger b = Chain("b", {{"01"}, {"02"}});
  a.blocks[1].state_hash = "5a";
  b.blocks[1].state_hash = "5b";
  NodeLedger c = Chain("c", {{"01"}, {"02"}});  // gives no state_hash: nothing to compare
  Report report = CheckLedgers({a, b, c});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kDivergedState));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("node b (b.jsonl:2)"));
}

TEST(ChainChecks, DuplicateTxInReferenceChain) {
  NodeLedger a = Chain("a", {{"01"}, {"02", "03"}, {"01"}});
  Report report = CheckLedgers({a});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kDuplicateCommit));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("tx '01' is committed 2 times"));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("heights 1, 3"));
}

TEST(ChainChecks, DuplicateTxWithinOneBlock) {
  NodeLedger a = Chain("a", {{"01", "01"}});
  EXPECT_THAT(KindsOf(CheckLedgers({a}).anomalies), ElementsAre(kind::kDuplicateCommit));
}

TEST(ChainChecks, RequireSameHeadFlagsOnlyTheShorterNode) {
  NodeLedger a = Chain("a", {{"01"}, {"02"}});
  NodeLedger b = Chain("b", {{"01"}});
  NodeLedger c = Chain("c", {{"01"}, {"02"}});
  EXPECT_THAT(CheckLedgers({a, b, c}).anomalies, IsEmpty());
  Report report = CheckLedgers({a, b, c}, CheckOptions{.require_same_head = true});
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kHeadMismatch));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("node b (b.jsonl) ends at height 1"));
}

TEST(ChainChecks, ReferenceIsTheLongestAndTheFirstGivenOnATie) {
  NodeLedger a = Chain("a", {{"01"}});
  NodeLedger b = Chain("b", {{"01"}, {"02"}});
  NodeLedger c = Chain("c", {{"01"}, {"02"}});
  ForkFrom(c, 2, "c");
  Report report = CheckLedgers({a, b, c});
  EXPECT_EQ(report.reference_height, 2);
  // b is the reference, so it is c that diverges.
  ASSERT_THAT(KindsOf(report.anomalies), ElementsAre(kind::kDivergedBlock));
  EXPECT_THAT(report.anomalies[0].message, HasSubstr("node c (c.jsonl:2) diverges from node b"));
}

// A long node restored from a snapshot starts late; earlier heights come from the others, so
// their transactions still count as committed and their links are checked at the seam.
TEST(ChainChecks, ReferenceTakesEarlierHeightsFromOtherNodes) {
  std::vector<NodeLedger> nodes = {Chain("late", {{"03"}, {"04"}}, /*first_height=*/3),
                                   Chain("early", {{"01"}, {"02"}})};
  ReferenceChain chain(nodes);
  EXPECT_EQ(chain.reference_node(), 0u);
  EXPECT_EQ(chain.head_height(), 4);
  EXPECT_EQ(chain.CommitHeight("01"), 1);
  EXPECT_EQ(chain.At(2)->node_index, 1u);
  EXPECT_THAT(CheckReferenceSeams(nodes, chain), IsEmpty());

  nodes[0].blocks[0].prev_hash = HashAt("f", 2);
  ReferenceChain broken(nodes);
  std::vector<Anomaly> anomalies = CheckReferenceSeams(nodes, broken);
  ASSERT_THAT(KindsOf(anomalies), ElementsAre(kind::kBrokenLink));
  EXPECT_THAT(anomalies[0].message, HasSubstr("reference chain at height 3: node late"));
}

TEST(ChainChecks, AnomaliesComeInInputOrder) {
  NodeLedger a = Chain("a", {{"01"}, {"02"}, {"03"}, {"01"}});
  a.blocks[2].prev_hash = "ff";
  NodeLedger b = Chain("b", {{"01"}, {"02"}});
  b.blocks[1].prev_hash = "ee";
  Report report = CheckLedgers({a, b});
  // a's broken link (line 3), a's duplicate (line 4), then b's broken link (line 2); b's block 2
  // still has a's hash, so it does not diverge.
  EXPECT_THAT(KindsOf(report.anomalies),
              ElementsAre(kind::kBrokenLink, kind::kDuplicateCommit, kind::kBrokenLink));
  EXPECT_THAT(report.anomalies[2].message, HasSubstr("node b"));
}

}  // namespace
}  // namespace tl::history
