// The precheck remembers exactly the signatures of a block that verify (its transactions' and its
// proposer's, for the key this node knows), and skips blocks already applied.
#include "trialledger/node/signature_precheck.h"

#include <gtest/gtest.h>

#include "test_ledger.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/crypto.h"

namespace tl::node {
namespace {

class SignaturePrecheckTest : public ::testing::Test {
 protected:
  // A block proposed and signed by node1 (proposer_keys_).
  v1::Block Block(const std::vector<v1::Transaction>& transactions) {
    v1::BlockHeader header;
    header.set_height(1);
    header.set_proposer("node1");
    v1::Block block;
    block.set_header(Encode(header));
    block.set_proposer_signature(
        SignInDomain(kBlockSigningDomain, proposer_keys_.secret_key, block.header()));
    for (const v1::Transaction& tx : transactions)
      *block.add_transactions() = tx;
    return block;
  }
  SignaturePrecheck::NodeKey KnownNodes() {
    return [this](const std::string& name) -> std::optional<std::string> {
      if (name == "node1") return proposer_keys_.public_key;
      return std::nullopt;
    };
  }
  KeyPair proposer_keys_ = GenerateKeyPair();
  std::string Key(const std::string& member) { return network_.key(member).public_key; }
  testing::TestNetwork network_;
};

TEST_F(SignaturePrecheckTest, RemembersTheSignaturesThatVerifyAndOnlyThose) {
  SignatureMemo memo;
  SignaturePrecheck precheck(memo, KnownNodes());
  v1::Transaction good = network_.Note("cro-edc", 1, "a");
  v1::Transaction other = network_.Note("cro-edc", 2, "b");
  v1::Transaction forged = network_.Note("cro-edc", 3, "c");
  forged.mutable_signature()->back() ^= 1;
  v1::Block block = Block({good, forged, other});
  precheck.Check(5, block.SerializeAsString());
  precheck.WaitUntilIdle();
  EXPECT_EQ(precheck.blocks_checked(), 1u);
  EXPECT_EQ(memo.size(), 3u);  // two transactions and the block
  EXPECT_TRUE(memo.VerifiesBlock(block, proposer_keys_.public_key));
  EXPECT_EQ(memo.recalled(), 1u);
  EXPECT_TRUE(memo.Verifies(good, Key("cro-edc")));
  EXPECT_TRUE(memo.Verifies(other, Key("cro-edc")));
  EXPECT_EQ(memo.recalled(), 3u);
  EXPECT_FALSE(memo.Verifies(forged, Key("cro-edc")));  // verified again, and refused
  EXPECT_EQ(memo.recalled(), 3u);
}

TEST_F(SignaturePrecheckTest, ABlockFromAnUnknownOrForgedProposerIsLeftToTheApply) {
  SignatureMemo memo;
  SignaturePrecheck precheck(memo, KnownNodes());
  v1::Block forged = Block({});
  forged.set_proposer_signature(
      SignInDomain(kBlockSigningDomain, GenerateKeyPair().secret_key, forged.header()));
  v1::BlockHeader header;
  header.set_proposer("node9");
  v1::Block unknown = Block({});
  unknown.set_header(Encode(header));
  precheck.Check(1, forged.SerializeAsString());
  precheck.Check(2, unknown.SerializeAsString());
  precheck.WaitUntilIdle();
  EXPECT_EQ(precheck.blocks_checked(), 2u);
  EXPECT_EQ(memo.size(), 0u);
}

TEST_F(SignaturePrecheckTest, SkipsBlocksAlreadyAppliedAndBytesThatAreNoBlock) {
  SignatureMemo memo;
  SignaturePrecheck precheck(memo, KnownNodes());
  precheck.MarkApplied(7);
  precheck.Check(7, Block({network_.Note("cro-edc", 1, "a")}).SerializeAsString());
  precheck.Check(8, "not a block \xff\xff");
  precheck.WaitUntilIdle();
  EXPECT_EQ(precheck.blocks_checked(), 0u);
  EXPECT_EQ(memo.size(), 0u);
}

}  // namespace
}  // namespace tl::node
