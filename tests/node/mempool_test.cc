#include "trialledger/node/mempool.h"

#include <gtest/gtest.h>

#include "test_ledger.h"
#include "trialledger/sdk/codec.h"

namespace tl::node {
namespace {

class MempoolTest : public ::testing::Test {
 protected:
  DecodedTx Tx(const std::string& member, uint64_t nonce) {
    return DecodeTransaction(Encode(network_.Note(member, nonce, "n"))).value();
  }
  Mempool::AddOutcome Add(const std::string& member, uint64_t nonce, uint64_t committed = 1) {
    uint64_t expected = 0;
    return pool_.Add(Tx(member, nonce), 100, committed, &expected);
  }
  testing::TestNetwork network_;
  Mempool pool_;
};

TEST_F(MempoolTest, KeepsEachSignersNoncesWithoutGaps) {
  EXPECT_EQ(Add("cro-edc", 1), Mempool::AddOutcome::kAdded);
  EXPECT_EQ(Add("cro-edc", 3), Mempool::AddOutcome::kBadNonce);
  EXPECT_EQ(Add("cro-edc", 2), Mempool::AddOutcome::kAdded);
  EXPECT_EQ(Add("cro-edc", 2), Mempool::AddOutcome::kDuplicate);
  EXPECT_EQ(Add("cro-finance", 1), Mempool::AddOutcome::kAdded);
  EXPECT_EQ(pool_.NextNonce(network_.key("cro-edc").public_key, 1), 3u);
  EXPECT_EQ(pool_.size(), 3u);
}

TEST_F(MempoolTest, TakenTransactionsCountForNoncesUntilRemoved) {
  ASSERT_EQ(Add("cro-edc", 1), Mempool::AddOutcome::kAdded);
  ASSERT_EQ(Add("cro-edc", 2), Mempool::AddOutcome::kAdded);
  std::vector<DecodedTx> taken = pool_.TakeForBlock(10, 1 << 20);
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].body.nonce(), 1u);
  EXPECT_EQ(pool_.waiting(), 0u);
  EXPECT_EQ(Add("cro-edc", 3), Mempool::AddOutcome::kAdded);
  pool_.Remove({taken[0].id, taken[1].id});
  EXPECT_EQ(pool_.size(), 1u);
  // After the commit the state says 3 is next; the pool still holds 3, so 4 follows.
  EXPECT_EQ(pool_.NextNonce(network_.key("cro-edc").public_key, 3), 4u);
}

TEST_F(MempoolTest, TakesInArrivalOrderWithinLimits) {
  for (uint64_t nonce = 1; nonce <= 5; ++nonce)
    ASSERT_EQ(Add("cro-edc", nonce), Mempool::AddOutcome::kAdded);
  EXPECT_EQ(pool_.TakeForBlock(2, 1 << 20).size(), 2u);
  EXPECT_EQ(pool_.TakeForBlock(10, 250).size(), 2u);  // 100 bytes each
  EXPECT_EQ(pool_.waiting(), 1u);
}

TEST_F(MempoolTest, AStaleCommittedNonceReadDoesNotRefuseTheNextTransaction) {
  ASSERT_EQ(Add("cro-edc", 1), Mempool::AddOutcome::kAdded);
  std::vector<DecodedTx> taken = pool_.TakeForBlock(10, 1 << 20);
  // A submitter read "next committed nonce = 1" before the block with nonce 1 committed ...
  pool_.Remove({taken[0].id});
  // ... and only now adds nonce 2: the pool knows 1 was released as committed.
  EXPECT_EQ(Add("cro-edc", 2, /*committed=*/1), Mempool::AddOutcome::kAdded);
  EXPECT_EQ(Add("cro-edc", 2, /*committed=*/1), Mempool::AddOutcome::kDuplicate);
  EXPECT_EQ(Add("cro-finance", 2, /*committed=*/1), Mempool::AddOutcome::kBadNonce);
}

}  // namespace
}  // namespace tl::node
