// Contract transactions in the deterministic apply pipeline, on an in-memory ledger: what runs
// is what the SOW text compiles to, approvals bind to the code hash, refusals change nothing,
// and two ledgers applying the same blocks agree byte for byte.
#include <gtest/gtest.h>

#include "test_ledger.h"
#include "trialledger/sdk/crypto.h"

namespace tl::ledger {
namespace {

using testing::MemoryLedger;
using testing::TestNetwork;

class ContractApplyTest : public ::testing::Test {
 protected:
  v1::Transaction Tx(const std::string& member, const std::function<void(v1::TxBody&)>& fill) {
    return signer_.Sign(member, fill);
  }
  v1::Transaction Propose(const std::string& member, const std::string& id,
                          const v1::ContractCode& code) {
    return signer_.Propose(member, id, code);
  }
  v1::Transaction Accept(const std::string& member, const std::string& id,
                         const std::string& code_hash) {
    return signer_.Accept(member, id, code_hash);
  }
  v1::Transaction SiteActivated(const std::string& member, const std::string& id,
                                const std::string& site) {
    return Tx(member, [&](v1::TxBody& body) {
      v1::FactBatch* batch = body.mutable_submit_facts();
      batch->set_contract_id(id);
      v1::Fact* fact = batch->add_facts();
      fact->set_source_system("ctms");
      fact->set_source_record_id("ACT-" + site);
      fact->set_source_timestamp_ms(1'788'000'000'000);
      fact->mutable_site_activated()->set_site(site);
      fact->mutable_site_activated()->set_date_ms(1'788'000'000'000 / 86'400'000 * 86'400'000);
    });
  }
  v1::TxResult ApplyOne(const v1::Transaction& tx) {
    std::vector<v1::TxResult> results = ledger_.Apply({tx});
    return results.empty() ? v1::TxResult() : results[0];
  }
  // Rejected with `code`, the nonce consumed, and no other write at all.
  void ExpectRefused(const v1::Transaction& tx, v1::TxResultCode code, const std::string& needle) {
    v1::TxResult result = ApplyOne(tx);
    EXPECT_EQ(result.code(), code) << result.message();
    EXPECT_NE(result.message().find(needle), std::string::npos) << result.message();
    ASSERT_EQ(ledger_.last_writes().size(), 1u);
    EXPECT_TRUE(ledger_.last_writes().begin()->first.starts_with("nonce/"));
  }

  TestNetwork network_;
  MemoryLedger ledger_{network_};
  testing::TxSigner signer_{network_};
  const v1::ContractCode code_ = testing::TemplateCode("fixed_fee.sow");
};

TEST_F(ContractApplyTest, AModuleThatIsNotWhatTheSourceCompilesToIsRefused) {
  v1::ContractCode tampered = code_;
  std::string module = tampered.module();
  module[module.size() / 2] ^= 1;
  tampered.set_module(module);
  tampered.set_code_hash(Blake2b256(module));
  ExpectRefused(Propose("cro-finance", "c1", tampered), v1::TX_INVALID_PAYLOAD,
                "is not the hash of the SOW source's code");

  v1::ContractCode wrong_source = code_;
  wrong_source.set_source(code_.source() + "\n// a comment changes nothing in the code\n");
  EXPECT_EQ(ApplyOne(Propose("cro-finance", "c2", wrong_source)).code(), v1::TX_OK);

  v1::ContractCode broken = code_;
  broken.set_source("contract x \"X\" version 1\n");
  ExpectRefused(Propose("cro-finance", "c3", broken), v1::TX_INVALID_PAYLOAD, "does not compile");
}

TEST_F(ContractApplyTest, ApprovalBindsToTheProposedCodeHashAndTheOtherParty) {
  ASSERT_EQ(ApplyOne(Propose("cro-finance", "c1", code_)).code(), v1::TX_OK);
  ExpectRefused(Accept("sponsor-finance", "c1", Blake2b256("something else")),
                v1::TX_INVALID_PAYLOAD, "code hash");
  ExpectRefused(Accept("cro-finance", "c1", code_.code_hash()), v1::TX_PERMISSION_DENIED,
                "the other party");
  ExpectRefused(SiteActivated("cro-edc", "c1", "201"), v1::TX_INVALID_PAYLOAD, "is proposed");
  v1::TxResult accepted = ApplyOne(Accept("sponsor-finance", "c1", code_.code_hash()));
  ASSERT_EQ(accepted.code(), v1::TX_OK) << accepted.message();
  EXPECT_EQ(accepted.contract().event_count(), 1u);
  EXPECT_EQ(accepted.contract().first_event_seq(), 1u);
  ExpectRefused(Accept("sponsor-finance", "c1", code_.code_hash()), v1::TX_INVALID_PAYLOAD,
                "is active");
}

TEST_F(ContractApplyTest, FactsFromAnUnboundRoleAreRefusedWhole) {
  ASSERT_EQ(ApplyOne(Propose("sponsor-finance", "c1", code_)).code(), v1::TX_OK);
  ASSERT_EQ(ApplyOne(Accept("cro-finance", "c1", code_.code_hash())).code(), v1::TX_OK);
  // fixed_fee binds site facts to the CRO's oracle:ctms; cro-edc holds only oracle:edc.
  ExpectRefused(SiteActivated("cro-edc", "c1", "201"), v1::TX_PERMISSION_DENIED,
                "must be signed by a 'oracle:ctms' key of northwind-cro");
}

TEST_F(ContractApplyTest, TwoLedgersApplyingTheSameBlocksAgreeByteForByte) {
  MemoryLedger other(network_);
  std::vector<std::vector<v1::Transaction>> blocks = {
      {Propose("cro-finance", "c1", code_)},
      {Accept("sponsor-finance", "c1", code_.code_hash())},
      {Tx("cro-finance", [](v1::TxBody& body) {
        body.mutable_close_contract()->set_contract_id("c1");
        body.mutable_close_contract()->set_reason("done");
      })}};
  for (const auto& txs : blocks) {
    std::vector<v1::TxResult> a = ledger_.Apply(txs);
    std::vector<v1::TxResult> b = other.Apply(txs);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].code(), v1::TX_OK) << a[i].message();
      EXPECT_EQ(a[i].SerializeAsString(), b[i].SerializeAsString());
    }
    EXPECT_EQ(ledger_.head().state_hash, other.head().state_hash);
  }
  EXPECT_EQ(ledger_.state().entries(), other.state().entries());
}

}  // namespace
}  // namespace tl::ledger
