// The memo answers exactly as VerifyTxSignature does, and answers from memory only for the same
// key, body and signature it was told had verified, once.
#include "trialledger/node/signature_memo.h"

#include <gtest/gtest.h>

#include "test_ledger.h"
#include "trialledger/sdk/codec.h"

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
