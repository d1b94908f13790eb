#include "trialledger/sdk/codec.h"

#include <gtest/gtest.h>

#include "test_ledger.h"
#include "trialledger/sdk/limits.h"

namespace tl {
namespace {

class CodecTest : public ::testing::Test {
 protected:
  testing::TestNetwork network_;
};

TEST_F(CodecTest, TransactionIdIsTheHashOfTheSignedBytes) {
  v1::Transaction tx = network_.Note("cro-edc", 1, "hello");
  absl::StatusOr<DecodedTx> decoded = DecodeTransaction(Encode(tx));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->id, Blake2b256(tx.body()));
  EXPECT_EQ(decoded->body.note().text(), "hello");
  EXPECT_TRUE(VerifyTxSignature(tx, network_.key("cro-edc").public_key));
  EXPECT_FALSE(VerifyTxSignature(tx, network_.key("cro-admin").public_key));
}

TEST_F(CodecTest, RejectsGarbageOversizeUnknownFieldsAndEmptyPayloads) {
  EXPECT_FALSE(DecodeTransaction(std::string("\xff\xff\xff garbage", 11)).ok());
  EXPECT_FALSE(DecodeTransaction(std::string(limits::kTxBytesMax + 1, 'a')).ok());

  v1::Transaction tx = network_.Note("cro-edc", 1, "hello");
  std::string with_unknown = Encode(tx) + std::string("\xa0\x06\x01", 3);  // field 100, varint
  absl::StatusOr<DecodedTx> unknown = DecodeTransaction(with_unknown);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(std::string(unknown.status().message()).find("does not know"), std::string::npos);

  v1::TxBody empty;
  empty.set_chain_id("test-chain");
  v1::Transaction no_payload = network_.Sign("cro-edc", empty);
  EXPECT_FALSE(DecodeTransaction(Encode(no_payload)).ok());
}

TEST_F(CodecTest, BlocksDecodeOnlyFromTheirCanonicalBytes) {
  testing::MemoryLedger ledger(network_);
  DecodedBlock block = network_.MakeBlock(ledger.head(), {network_.Note("cro-edc", 1, "a")});
  std::string bytes = Encode(block.block);
  absl::StatusOr<DecodedBlock> decoded = DecodeBlock(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->hash, block.hash);
  EXPECT_TRUE(VerifyBlockSignature(decoded->block, network_.node_key().public_key));

  // The same fields in another order still parse, but are not the stored form.
  v1::Block header_only;
  header_only.set_header(block.block.header());
  v1::Block rest = block.block;
  rest.clear_header();
  std::string reordered = Encode(rest) + Encode(header_only);
  EXPECT_FALSE(DecodeBlock(reordered).ok());
  EXPECT_FALSE(DecodeBlock(bytes + std::string("\xa0\x06\x01", 3)).ok());
  // A transaction signature cannot stand in for a block signature.
  EXPECT_FALSE(VerifyBlockSignature(block.block, network_.key("cro-edc").public_key));
}

}  // namespace
}  // namespace tl
