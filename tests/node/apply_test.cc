// The deterministic apply rules, one transaction class at a time, on an in-memory ledger.
#include "trialledger/ledger/apply.h"

#include <gtest/gtest.h>

#include "test_ledger.h"
#include "trialledger/base/hex.h"
#include "trialledger/ledger/tx_rules.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/tx_builder.h"

namespace tl::ledger {
namespace {

using testing::MemoryLedger;
using testing::TestNetwork;

class ApplyTest : public ::testing::Test {
 protected:
  v1::TxResult ApplyOne(const v1::Transaction& tx) {
    std::vector<v1::TxResult> results = ledger_.Apply({tx});
    return results.empty() ? v1::TxResult() : results[0];
  }
  v1::TxBody Body(uint64_t nonce) const {
    v1::TxBody body;
    body.set_chain_id(network_.chain_id());
    body.set_nonce(nonce);
    body.set_expiry_height(1000);
    return body;
  }
  // Asserts that `tx` is rejected with `code` and changes nothing at all.
  void ExpectRejectedWithoutChange(const v1::Transaction& tx, v1::TxResultCode code) {
    auto before = ledger_.state().entries();
    v1::TxResult result = ApplyOne(tx);
    EXPECT_EQ(result.code(), code) << result.message();
    EXPECT_FALSE(result.message().empty());
    EXPECT_FALSE(result.nonce_consumed());
    EXPECT_TRUE(ledger_.last_writes().empty());
    EXPECT_EQ(ledger_.state().entries(), before);
  }

  TestNetwork network_;
  MemoryLedger ledger_{network_};
};

TEST_F(ApplyTest, NotesFromAnyMemberAreAcceptedInNonceOrder) {
  std::vector<v1::TxResult> results =
      ledger_.Apply({network_.Note("cro-edc", 1, "a"), network_.Note("sponsor-finance", 1, "b"),
                     network_.Note("cro-edc", 2, "c")});
  ASSERT_EQ(results.size(), 3u);
  for (const v1::TxResult& result : results)
    EXPECT_EQ(result.code(), v1::TX_OK);
  EXPECT_EQ(ledger_.head().height, 1u);
}

TEST_F(ApplyTest, BadSignatureIsRejected) {
  v1::Transaction tx = network_.Note("cro-edc", 1, "a");
  std::string signature = tx.signature();
  signature[3] ^= 0x40;
  tx.set_signature(signature);
  ExpectRejectedWithoutChange(tx, v1::TX_BAD_SIGNATURE);
}

TEST_F(ApplyTest, WrongChainIsRejected) {
  v1::TxBody body = Body(1);
  body.set_chain_id("another-network");
  body.mutable_note()->set_text("a");
  ExpectRejectedWithoutChange(network_.Sign("cro-edc", body), v1::TX_WRONG_CHAIN);
}

TEST_F(ApplyTest, ReplayedAndSkippedNoncesAreRejected) {
  v1::Transaction first = network_.Note("cro-edc", 1, "a");
  ASSERT_EQ(ApplyOne(first).code(), v1::TX_OK);
  ExpectRejectedWithoutChange(first, v1::TX_BAD_NONCE);
  ExpectRejectedWithoutChange(network_.Note("cro-edc", 3, "skips 2"), v1::TX_BAD_NONCE);
  EXPECT_EQ(ApplyOne(network_.Note("cro-edc", 2, "b")).code(), v1::TX_OK);
}

TEST_F(ApplyTest, ExpiredAndFarFutureExpiryAreRejected) {
  ASSERT_EQ(ApplyOne(network_.Note("cro-edc", 1, "a")).code(), v1::TX_OK);  // height 1
  ExpectRejectedWithoutChange(network_.Note("cro-edc", 2, "late", /*expiry_height=*/1),
                              v1::TX_EXPIRED);
  ExpectRejectedWithoutChange(
      network_.Note("cro-edc", 2, "far", limits::kExpiryHeightsAheadMax + 100), v1::TX_EXPIRED);
}

TEST_F(ApplyTest, UnknownSignerIsRejected) {
  v1::TxBody body = Body(1);
  body.mutable_note()->set_text("who am I");
  ExpectRejectedWithoutChange(SignTxBody(body, GenerateKeyPair()), v1::TX_UNKNOWN_SIGNER);
}

TEST_F(ApplyTest, OversizeAndMalformedTransactionsAreRejected) {
  ExpectRejectedWithoutChange(network_.Note("cro-edc", 1, std::string(limits::kTxBytesMax, 'x')),
                              v1::TX_TOO_LARGE);
  v1::Transaction garbage;
  garbage.set_body("\xff\xff not a body");
  garbage.set_signature("sig");
  ExpectRejectedWithoutChange(garbage, v1::TX_MALFORMED);
}

TEST_F(ApplyTest, RevokedKeyIsRefusedFromTheNextBlockOn) {
  v1::TxBody revoke = Body(1);
  revoke.mutable_revoke_key()->set_public_key(network_.key("cro-edc").public_key);
  revoke.mutable_revoke_key()->set_reason("device lost");
  // Same block: the revocation and a later note by the revoked key; the note still counts.
  std::vector<v1::TxResult> results =
      ledger_.Apply({network_.Sign("cro-admin", revoke), network_.Note("cro-edc", 1, "same")});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].code(), v1::TX_OK) << results[0].message();
  EXPECT_EQ(results[1].code(), v1::TX_OK) << results[1].message();
  ExpectRejectedWithoutChange(network_.Note("cro-edc", 2, "next block"), v1::TX_KEY_REVOKED);
}

TEST_F(ApplyTest, OnlyAnAdminOfTheSameOrganisationManagesItsMembers) {
  v1::TxBody register_body = Body(1);
  v1::Member* member = register_body.mutable_register_member()->mutable_member();
  member->set_name("new-monitor");
  member->set_org("northwind-cro");
  member->set_public_key(GenerateKeyPair().public_key);
  member->add_roles("clinops");
  // Not an admin: rejected, and only the nonce moves (so the signed intent cannot be replayed).
  v1::TxResult by_finance = ApplyOne(network_.Sign("cro-finance", register_body));
  EXPECT_EQ(by_finance.code(), v1::TX_PERMISSION_DENIED);
  EXPECT_TRUE(by_finance.nonce_consumed());
  ASSERT_EQ(ledger_.last_writes().size(), 1u);
  EXPECT_EQ(ledger_.last_writes().begin()->first,
            state_keys::Nonce(network_.key("cro-finance").public_key));
  // The sponsor's admin cannot register a CRO member.
  EXPECT_EQ(ApplyOne(network_.Sign("sponsor-admin", register_body)).code(),
            v1::TX_PERMISSION_DENIED);
  // The CRO's admin can, once; the same name or key again is refused.
  EXPECT_EQ(ApplyOne(network_.Sign("cro-admin", register_body)).code(), v1::TX_OK);
  register_body.set_nonce(2);
  EXPECT_EQ(ApplyOne(network_.Sign("cro-admin", register_body)).code(), v1::TX_INVALID_PAYLOAD);
  // The sponsor cannot revoke a CRO key either.
  v1::TxBody revoke = Body(2);
  revoke.mutable_revoke_key()->set_public_key(network_.key("cro-edc").public_key);
  EXPECT_EQ(ApplyOne(network_.Sign("sponsor-admin", revoke)).code(), v1::TX_PERMISSION_DENIED);
}

TEST_F(ApplyTest, TheLastAdminKeyCannotBeRevoked) {
  v1::TxBody revoke = Body(1);
  revoke.mutable_revoke_key()->set_public_key(network_.key("sponsor-admin").public_key);
  v1::TxResult result = ApplyOne(network_.Sign("sponsor-admin", revoke));
  EXPECT_EQ(result.code(), v1::TX_INVALID_PAYLOAD);
  EXPECT_NE(result.message().find("last active admin"), std::string::npos);
  // With two admins one may go.
  v1::TxBody revoke_second = Body(1);
  revoke_second.mutable_revoke_key()->set_public_key(network_.key("cro-admin2").public_key);
  EXPECT_EQ(ApplyOne(network_.Sign("cro-admin", revoke_second)).code(), v1::TX_OK);
}

TEST_F(ApplyTest, RotatedKeyHandsOverTheMember) {
  KeyPair replacement = GenerateKeyPair();
  v1::TxBody rotate = Body(1);
  rotate.mutable_rotate_key()->set_old_public_key(network_.key("cro-edc").public_key);
  rotate.mutable_rotate_key()->set_new_public_key(replacement.public_key);
  ASSERT_EQ(ApplyOne(network_.Sign("cro-admin", rotate)).code(), v1::TX_OK);
  EXPECT_EQ(ApplyOne(network_.Note("cro-edc", 1, "old key")).code(), v1::TX_KEY_REVOKED);
  v1::TxBody note = Body(1);
  note.mutable_note()->set_text("new key");
  EXPECT_EQ(ApplyOne(SignTxBody(note, replacement)).code(), v1::TX_OK);
  std::optional<std::string> record =
      ledger_.state().Get(state_keys::Member(replacement.public_key));
  v1::MemberRecord parsed;
  ASSERT_TRUE(record.has_value() && parsed.ParseFromString(*record));
  EXPECT_EQ(parsed.member().name(), "cro-edc");
  EXPECT_EQ(parsed.member().roles(0), "oracle:edc");
}

TEST_F(ApplyTest, HeaderFaultsAreErrorsNotResults) {
  DecodedBlock block = network_.MakeBlock(ledger_.head(), {network_.Note("cro-edc", 1, "a")});
  ChainHead head = ledger_.head();
  auto apply = [&](const DecodedBlock& candidate) {
    return ApplyBlock(head, network_.chain_id(), candidate, ledger_.state()).status();
  };
  ASSERT_TRUE(apply(block).ok());

  DecodedBlock extra_tx = block;
  *extra_tx.block.add_transactions() = network_.Note("cro-edc", 2, "b");
  EXPECT_FALSE(apply(extra_tx).ok());

  DecodedBlock bad_signature = block;
  std::string signature = bad_signature.block.proposer_signature();
  signature[0] ^= 1;
  bad_signature.block.set_proposer_signature(signature);
  EXPECT_NE(std::string(apply(bad_signature).message()).find("signature"), std::string::npos);
  EXPECT_TRUE(IsRefusedBlock(apply(bad_signature)));

  DecodedBlock stale_time = block;
  stale_time.header.set_time_ms(head.time_ms);
  EXPECT_FALSE(apply(stale_time).ok());
  EXPECT_TRUE(IsRefusedBlock(apply(stale_time)));
}

// A block that extends the head and is properly signed, but whose proposer computed another state
// from the same history, is divergence: not a block to skip (IsRefusedBlock) but a reason to stop.
TEST_F(ApplyTest, ASignedBlockOnTheHeadWithAnotherStateHashIsDivergenceNotARefusal) {
  ChainHead head = ledger_.head();
  ChainHead diverged_view = head;
  diverged_view.state_hash = std::string(32, 'x');
  DecodedBlock block = network_.MakeBlock(diverged_view, {network_.Note("cro-edc", 1, "a")});
  absl::Status applied = ApplyBlock(head, network_.chain_id(), block, ledger_.state()).status();
  EXPECT_TRUE(absl::IsDataLoss(applied)) << applied;
  EXPECT_FALSE(IsRefusedBlock(applied));
  EXPECT_NE(std::string(applied.message()).find("state diverged"), std::string::npos) << applied;
  EXPECT_NE(std::string(applied.message()).find(ToHex(head.state_hash)), std::string::npos);

  // The same wrong hash on a block that is not properly signed is refused, not divergence.
  block.block.set_proposer_signature(std::string(64, '\0'));
  EXPECT_TRUE(
      IsRefusedBlock(ApplyBlock(head, network_.chain_id(), block, ledger_.state()).status()));
}

TEST_F(ApplyTest, SameBlockGivesTheSameStateHashEverywhere) {
  TestNetwork other_network;
  MemoryLedger other(other_network);
  std::vector<v1::Transaction> txs = {network_.Note("cro-edc", 1, "a"),
                                      network_.Note("cro-edc", 5, "rejected")};
  ledger_.Apply(txs);
  other.Apply(txs);
  EXPECT_EQ(ledger_.head().state_hash, other.head().state_hash);
  EXPECT_EQ(ledger_.head().block_hash, other.head().block_hash);
}

// A store that fails its reads from the `fail_from`-th on, as a disk with a bad sector would.
class FailingState : public StateReader {
 public:
  FailingState(const StateReader& base, int fail_from) : base_(base), fail_from_(fail_from) {}
  std::optional<std::string> Get(std::string_view key) const override {
    if (++reads_ < fail_from_) return base_.Get(key);
    if (fault_.ok()) fault_ = absl::UnavailableError("injected read failure");
    return std::nullopt;
  }
  absl::Status status() const override { return fault_; }
  int reads() const { return reads_; }

 private:
  const StateReader& base_;
  const int fail_from_;
  mutable int reads_ = 0;
  mutable absl::Status fault_;
};

// A read that fails anywhere in a block (the header's proposer, a signer, a nonce, a member
// record) ends in the fault, never in a result computed from the missing value, and never in the
// refusal every node would agree on.
TEST_F(ApplyTest, AFailedReadIsAStorageFaultNotARejection) {
  std::vector<v1::Transaction> txs = {network_.Note("cro-edc", 1, "a"),
                                      network_.Note("sponsor-finance", 1, "b")};
  DecodedBlock block = network_.MakeBlock(ledger_.head(), txs);
  // How many reads the block takes when none fails.
  FailingState never(ledger_.state(), INT32_MAX);
  ASSERT_TRUE(ApplyBlock(ledger_.head(), network_.chain_id(), block, never).ok());
  const int reads = never.reads();
  ASSERT_GT(reads, 3);
  for (int fail_from = 1; fail_from <= reads; ++fail_from) {
    FailingState failing(ledger_.state(), fail_from);
    absl::StatusOr<AppliedBlock> applied =
        ApplyBlock(ledger_.head(), network_.chain_id(), block, failing);
    ASSERT_FALSE(applied.ok()) << "read " << fail_from << " of " << reads;
    EXPECT_TRUE(absl::IsUnavailable(applied.status())) << applied.status();
    EXPECT_FALSE(IsRefusedBlock(applied.status()));
  }
}

}  // namespace
}  // namespace tl::ledger
