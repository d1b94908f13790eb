// The memo answers exactly as VerifyTxSignature does, and answers from memory only for the same
// key, body and signature it was told had verified, once.
#include "trialledger/node/signature_memo.h"

#include <gtest/gtest.h>

#include "test_ledger.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/crypto.h"

namespace tl::node {
namespace {

class SignatureMemoTest : public ::testing::Test {
 protected:
  v1::Transaction Note(const std::string& member, uint64_t nonce) {
    return network_.Note(member, nonce, "n");
  }
  std::string Key(const std::string& member) { return network_.key(member).public_key; }
  testing::TestNetwork network_;
};

TEST_F(SignatureMemoTest, ARememberedSignatureIsRecalledOnceThenVerifiedAgain) {
  SignatureMemo memo;
  v1::Transaction tx = Note("cro-edc", 1);
  memo.Remember(tx, Key("cro-edc"));
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_TRUE(memo.Verifies(tx, Key("cro-edc")));
  EXPECT_EQ(memo.recalled(), 1u);
  EXPECT_EQ(memo.size(), 0u);
  // Forgotten after use: the next answer is a verification, still true for a good signature.
  EXPECT_TRUE(memo.Verifies(tx, Key("cro-edc")));
  EXPECT_EQ(memo.recalled(), 1u);
}

TEST_F(SignatureMemoTest, AnotherSignatureKeyOrBodyIsNotRecalled) {
  SignatureMemo memo;
  v1::Transaction tx = Note("cro-edc", 1);
  memo.Remember(tx, Key("cro-edc"));

  v1::Transaction forged = tx;
  std::string signature = forged.signature();
  signature[0] = static_cast<char>(signature[0] ^ 1);
  forged.set_signature(signature);
  EXPECT_FALSE(memo.Verifies(forged, Key("cro-edc")));

  EXPECT_FALSE(memo.Verifies(tx, Key("cro-finance")));

  v1::Transaction other_body = tx;
  other_body.set_body(Note("cro-edc", 2).body());
  EXPECT_FALSE(memo.Verifies(other_body, Key("cro-edc")));

  EXPECT_EQ(memo.recalled(), 0u);
  EXPECT_TRUE(memo.Verifies(tx, Key("cro-edc")));
  EXPECT_EQ(memo.recalled(), 1u);
}

TEST_F(SignatureMemoTest, AnUnknownTransactionIsVerified) {
  SignatureMemo memo;
  v1::Transaction good = Note("cro-edc", 1);
  EXPECT_TRUE(memo.Verifies(good, Key("cro-edc")));
  v1::Transaction bad = good;
  bad.set_signature(std::string(bad.signature().size(), '\0'));
  EXPECT_FALSE(memo.Verifies(bad, Key("cro-edc")));
  EXPECT_EQ(memo.recalled(), 0u);
}

// A block signed by `keys` as proposer `name`.
v1::Block SignedBlock(const KeyPair& keys, const std::string& name, uint64_t height) {
  v1::BlockHeader header;
  header.set_height(height);
  header.set_proposer(name);
  v1::Block block;
  block.set_header(Encode(header));
  block.set_proposer_signature(SignInDomain(kBlockSigningDomain, keys.secret_key, block.header()));
  return block;
}

TEST_F(SignatureMemoTest, ABlockSignatureIsRecalledOnlyForItsKeyHeaderAndSignature) {
  SignatureMemo memo;
  KeyPair proposer = GenerateKeyPair(), other = GenerateKeyPair();
  v1::Block block = SignedBlock(proposer, "node1", 5);
  memo.RememberBlock(block, proposer.public_key);
  EXPECT_FALSE(memo.VerifiesBlock(block, other.public_key));  // another key: verified, refused
  v1::Block forged = block;
  forged.set_header(SignedBlock(proposer, "node1", 6).header());  // the signature of height 5
  EXPECT_FALSE(memo.VerifiesBlock(forged, proposer.public_key));
  EXPECT_EQ(memo.recalled(), 0u);
  EXPECT_TRUE(memo.VerifiesBlock(block, proposer.public_key));
  EXPECT_EQ(memo.recalled(), 1u);
  EXPECT_TRUE(memo.VerifiesBlock(block, proposer.public_key));  // forgotten: verified again
  EXPECT_EQ(memo.recalled(), 1u);
  // A transaction's memo and a block's never answer for each other.
  v1::Transaction tx;
  tx.set_body(block.header());
  tx.set_signature(block.proposer_signature());
  memo.RememberBlock(block, proposer.public_key);
  EXPECT_FALSE(memo.Verifies(tx, proposer.public_key));
  EXPECT_EQ(memo.recalled(), 1u);
}

TEST_F(SignatureMemoTest, PastItsCapacityTheOldestAreForgotten) {
  SignatureMemo memo(/*capacity=*/2);
  v1::Transaction first = Note("cro-edc", 1), second = Note("cro-edc", 2),
                  third = Note("cro-edc", 3);
  memo.Remember(first, Key("cro-edc"));
  memo.Remember(second, Key("cro-edc"));
  memo.Remember(third, Key("cro-edc"));
  EXPECT_EQ(memo.size(), 2u);
  EXPECT_TRUE(memo.Verifies(first, Key("cro-edc")));  // verified again, not recalled
  EXPECT_EQ(memo.recalled(), 0u);
  EXPECT_TRUE(memo.Verifies(second, Key("cro-edc")));
  EXPECT_TRUE(memo.Verifies(third, Key("cro-edc")));
  EXPECT_EQ(memo.recalled(), 2u);
}

}  // namespace
}  // namespace tl::node
