// The precheck remembers exactly the signatures of a block that verify, and skips blocks already
// applied.
#include "trialledger/node/signature_precheck.h"

#include <gtest/gtest.h>

#include "test_ledger.h"
#include "trialledger/sdk/codec.h"

namespace tl::node {
namespace {

class SignaturePrecheckTest : public ::testing::Test {
 protected:
  std::string Block(const std::vector<v1::Transaction>& transactions) {
    v1::Block block;
    for (const v1::Transaction& tx : transactions)
      *block.add_transactions() = tx;
    return block.SerializeAsString();
  }
  std::string Key(const std::string& member) { return network_.key(member).public_key; }
  testing::TestNetwork network_;
};

TEST_F(SignaturePrecheckTest, RemembersTheSignaturesThatVerifyAndOnlyThose) {
  SignatureMemo memo;
  SignaturePrecheck precheck(memo);
  v1::Transaction good = network_.Note("cro-edc", 1, "a");
  v1::Transaction other = network_.Note("cro-edc", 2, "b");
  v1::Transaction forged = network_.Note("cro-edc", 3, "c");
  forged.mutable_signature()->back() ^= 1;
  precheck.Check(5, Block({good, forged, other}));
  precheck.WaitUntilIdle();
  EXPECT_EQ(precheck.blocks_checked(), 1u);
  EXPECT_EQ(memo.size(), 2u);
  EXPECT_TRUE(memo.Verifies(good, Key("cro-edc")));
  EXPECT_TRUE(memo.Verifies(other, Key("cro-edc")));
  EXPECT_EQ(memo.recalled(), 2u);
  EXPECT_FALSE(memo.Verifies(forged, Key("cro-edc")));  // verified again, and refused
  EXPECT_EQ(memo.recalled(), 2u);
}

TEST_F(SignaturePrecheckTest, SkipsBlocksAlreadyAppliedAndBytesThatAreNoBlock) {
  SignatureMemo memo;
  SignaturePrecheck precheck(memo);
  precheck.MarkApplied(7);
  precheck.Check(7, Block({network_.Note("cro-edc", 1, "a")}));
  precheck.Check(8, "not a block \xff\xff");
  precheck.WaitUntilIdle();
  EXPECT_EQ(precheck.blocks_checked(), 0u);
  EXPECT_EQ(memo.size(), 0u);
}

}  // namespace
}  // namespace tl::node
