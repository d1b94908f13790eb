// The lifecycle's one role table and the contract record's transitions, as pure functions: what
// admission and apply both call (node/ledger/contract_payloads.cc).
#include <gtest/gtest.h>

#include "contract_harness.h"
#include "trialledger/contracts/lifecycle.h"

namespace tl::contracts {
namespace {

using trialledger::v1::ContractRecord;
using trialledger::v1::ContractSignature;

Signer Member(const std::string& organisation, std::vector<std::string> roles) {
  return Signer{"key", organisation, std::move(roles)};
}

ContractSignature SignedBy(const std::string& organisation, const std::string& meaning) {
  ContractSignature signature;
  signature.set_organisation(organisation);
  signature.set_meaning(meaning);
  return signature;
}

TEST(RoleTableTest, EveryActionHasOneRow) {
  for (ContractAction action : {ContractAction::kPropose, ContractAction::kApprove,
                                ContractAction::kClose, ContractAction::kSubmitFacts}) {
    int rows = 0;
    for (const ContractActionRule& rule : ContractActionRules())
      rows += rule.action == action;
    EXPECT_EQ(rows, 1);
  }
}

TEST(RoleTableTest, RolesEachActionNeeds) {
  struct Case {
    ContractAction action;
    std::string role;
    bool allowed;
  };
  const Case cases[] = {
      {ContractAction::kPropose, "finance", true},
      {ContractAction::kPropose, "clinops", true},
      {ContractAction::kPropose, "oracle:edc", false},
      {ContractAction::kPropose, "admin", false},
      {ContractAction::kApprove, "finance", true},
      {ContractAction::kApprove, "clinops", false},
      {ContractAction::kClose, "finance", true},
      {ContractAction::kClose, "auditor", false},
      {ContractAction::kSubmitFacts, "oracle:edc", true},
      {ContractAction::kSubmitFacts, "oracle:ctms", true},
      {ContractAction::kSubmitFacts, "oracle:cost", true},
      {ContractAction::kSubmitFacts, "finance", false},
      {ContractAction::kSubmitFacts, "oracle:lab", false},  // not a role of the network
  };
  for (const Case& c : cases) {
    absl::Status may = MayAct(c.action, Member("northwind-cro", {c.role}));
    EXPECT_EQ(may.ok(), c.allowed) << RuleOf(c.action).what << " as " << c.role << ": " << may;
    if (!c.allowed) {
      EXPECT_TRUE(absl::IsPermissionDenied(may));
      EXPECT_NE(std::string(may.message()).find(RuleOf(c.action).what), std::string::npos);
    }
  }
  EXPECT_FALSE(MayAct(ContractAction::kApprove, Member("northwind-cro", {})).ok());
}

TEST(RoleTableTest, PartiesProposeAndTheOtherPartyApproves) {
  CompiledContract compiled = testing::CompileTemplate("fixed_fee.sow");
  EXPECT_TRUE(MayPropose(compiled.metadata, Member("northwind-cro", {"clinops"})).ok());
  EXPECT_TRUE(MayPropose(compiled.metadata, Member("acme-bio", {"finance"})).ok());
  absl::Status outsider = MayPropose(compiled.metadata, Member("other-cro", {"finance"}));
  EXPECT_TRUE(absl::IsPermissionDenied(outsider));
  EXPECT_NE(std::string(outsider.message()).find("not a party"), std::string::npos);

  ContractRecord record =
      NewContractRecord("acme-302", compiled, {}, SignedBy("northwind-cro", "authored"), 0);
  const std::string& code_hash = compiled.code_hash;
  absl::StatusOr<trialledger::v1::ContractVersion*> own =
      Approvable(record, code_hash, 0, Member("northwind-cro", {"finance"}));
  ASSERT_FALSE(own.ok());
  EXPECT_NE(std::string(own.status().message()).find("the other party"), std::string::npos);
  EXPECT_FALSE(Approvable(record, code_hash, 0, Member("acme-bio", {"clinops"})).ok());
  EXPECT_FALSE(Approvable(record, "another hash", 0, Member("acme-bio", {"finance"})).ok());
  EXPECT_TRUE(Approvable(record, code_hash, 0, Member("acme-bio", {"finance"})).ok());
}

TEST(ContractRecordTest, ProposedActiveAmendedClosed) {
  CompiledContract v1 = testing::CompileTemplate("fixed_fee.sow");
  ContractRecord record =
      NewContractRecord("acme-302", v1, {}, SignedBy("northwind-cro", "authored"), 0);
  EXPECT_EQ(record.status(), trialledger::v1::CONTRACT_STATUS_PROPOSED);
  EXPECT_TRUE(RequireStatus(record, trialledger::v1::CONTRACT_STATUS_PROPOSED).ok());
  absl::Status not_active = RequireStatus(record, trialledger::v1::CONTRACT_STATUS_ACTIVE);
  EXPECT_EQ(not_active.message(), "contract acme-302 is proposed; this needs it active");
  ASSERT_NE(PendingVersion(record), nullptr);
  EXPECT_EQ(ActiveVersion(record), nullptr);

  absl::StatusOr<trialledger::v1::ContractVersion*> pending =
      Approvable(record, v1.code_hash, 0, Member("acme-bio", {"finance"}));
  ASSERT_TRUE(pending.ok()) << pending.status();
  ApproveVersion(record, **pending, SignedBy("acme-bio", "approved"), 86'400'000);
  EXPECT_EQ(record.status(), trialledger::v1::CONTRACT_STATUS_ACTIVE);
  ASSERT_NE(ActiveVersion(record), nullptr);
  EXPECT_EQ(ActiveVersion(record)->accepted().meaning(), "approved");
  EXPECT_EQ(ActiveVersion(record)->effective_date_ms(), 86'400'000);  // the day it was accepted
  EXPECT_EQ(PendingVersion(record), nullptr);

  // An amendment: version 2 proposed, then replaced by another proposal, which is approved.
  CompiledContract v2 = v1;
  v2.metadata.set_version(2);
  v2.code_hash = "hash of version 2";
  ProposeVersion(record, v2, SignedBy("acme-bio", "authored"), "change order 1", 0);
  CompiledContract v3 = v2;
  v3.metadata.set_version(3);
  v3.code_hash = "hash of version 3";
  ProposeVersion(record, v3, SignedBy("acme-bio", "authored"), "change order 1, revised", 0);
  ASSERT_EQ(record.versions_size(), 3);
  EXPECT_EQ(record.versions(1).status(), trialledger::v1::VERSION_STATUS_REPLACED);
  EXPECT_EQ(record.versions(2).predecessor(), 1);
  EXPECT_EQ(record.versions(2).reason(), "change order 1, revised");
  EXPECT_FALSE(Approvable(record, v3.code_hash, 2, Member("northwind-cro", {"finance"})).ok());
  pending = Approvable(record, v3.code_hash, 3, Member("northwind-cro", {"finance"}));
  ASSERT_TRUE(pending.ok()) << pending.status();
  ApproveVersion(record, **pending, SignedBy("northwind-cro", "approved"), 86'400'000);
  EXPECT_EQ(record.versions(0).status(), trialledger::v1::VERSION_STATUS_SUPERSEDED);
  EXPECT_EQ(ActiveVersion(record)->version(), 3);

  // Closing withdraws a pending proposal and keeps the reason.
  ProposeVersion(record, v2, SignedBy("acme-bio", "authored"), "never approved", 0);
  EXPECT_TRUE(MayClose(record, Member("acme-bio", {"finance"})).ok());
  EXPECT_FALSE(MayClose(record, Member("acme-bio", {"clinops"})).ok());
  CloseRecord(record, SignedBy("acme-bio", "closed"), "study terminated");
  EXPECT_EQ(record.status(), trialledger::v1::CONTRACT_STATUS_CLOSED);
  EXPECT_EQ(record.close_reason(), "study terminated");
  EXPECT_EQ(record.versions(3).status(), trialledger::v1::VERSION_STATUS_WITHDRAWN);
  EXPECT_TRUE(absl::IsFailedPrecondition(MayClose(record, Member("acme-bio", {"finance"}))));
}

}  // namespace
}  // namespace tl::contracts
