// Read permission (docs/permissions.md), table-driven: every RPC of LedgerService, found through
// the service descriptor, has an entry in the node's permission table and a sample request here;
// each sample is checked for every member of every organisation (sponsor, CRO, a third party,
// auditors granted and not), against who may read it as this test states it, independently of
// ledger::ReadAccess. A new RPC without an entry or a sample fails the first test.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "mobilisation_sow.h"
#include "test_ledger.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/ledger/read_access.h"
#include "trialledger/node/read_permissions.h"
#include "trialledger/v1/ledger_service.pb.h"

namespace tl::node {
namespace {

using testing::MemoryLedger;
using testing::TestNetwork;

constexpr char kContract[] = "mob";
constexpr char kSponsor[] = "acme-bio";
constexpr char kCro[] = "northwind-cro";
constexpr char kCroInvoice[] = "northwind-cro/INV-00000001";

// Every member of TestNetwork, with its organisation and role, as this test knows them.
struct Reader {
  std::string member, org, role;
};
const std::vector<Reader>& Readers() {
  static const std::vector<Reader> readers = {
      {"sponsor-admin", kSponsor, "admin"},
      {"sponsor-finance", kSponsor, "finance"},
      {"sponsor-clinops", kSponsor, "clinops"},
      {"sponsor-auditor", kSponsor, "auditor"},
      {"cro-admin", kCro, "admin"},
      {"cro-finance", kCro, "finance"},
      {"cro-clinops", kCro, "clinops"},
      {"cro-edc", kCro, "oracle:edc"},
      {"harbor-admin", "harbor-cro", "admin"},
      {"harbor-finance", "harbor-cro", "finance"},
      {"audit-auditor", "ledger-audit", "auditor"},
      {"audit-admin", "ledger-audit", "admin"},
      {"second-auditor", "second-audit", "auditor"},
  };
  return readers;
}

// Who may read what, stated here from docs/permissions.md. The grants the fixture makes: the CRO
// names ledger-audit for its book, the sponsor names ledger-audit for the contract; nobody names
// second-audit, and nobody grants the sponsor's book.
bool MayReadContract(const Reader& r) {
  return r.org == kSponsor || r.org == kCro || (r.org == "ledger-audit" && r.role == "auditor");
}
bool MayReadBook(const Reader& r, const std::string& book) {
  if (r.org == book) return r.role == "finance" || r.role == "admin" || r.role == "auditor";
  return book == kCro && r.org == "ledger-audit" && r.role == "auditor";
}
bool MayReadMirror(const Reader& r) {
  return MayReadBook(r, kSponsor) || MayReadBook(r, kCro);
}
bool MayReadRaw(const Reader& r) {
  // node1 is the sponsor's; ledger-audit and second-audit are auditor organisations.
  return (r.org == kSponsor && r.role == "admin") ||
         ((r.org == "ledger-audit" || r.org == "second-audit") && r.role == "auditor");
}
bool Anyone(const Reader&) {
  return true;
}

struct Sample {
  std::shared_ptr<google::protobuf::Message> request;
  std::function<bool(const Reader&)> allowed;
  std::string what;  // what a refusal names
};

template <typename Request>
Sample Make(std::function<void(Request&)> fill, std::function<bool(const Reader&)> allowed,
            std::string what = "") {
  auto request = std::make_shared<Request>();
  fill(*request);
  return Sample{request, std::move(allowed), std::move(what)};
}

std::vector<Sample> Samples() {
  using namespace v1;
  const std::string contract = StrCat("contract '", kContract, "'");
  const auto book = [](const std::string& org) {
    return [org](const Reader& r) { return MayReadBook(r, org); };
  };
  const auto book_named = [](const std::string& org) { return StrCat("book '", org, "'"); };
  const auto none = [](auto&) {};
  return {
      Make<GetStatusRequest>(none, Anyone),
      Make<SubmitTransactionRequest>(none, Anyone),
      Make<GetMemberRequest>(none, Anyone),
      Make<ListBlocksRequest>(none, Anyone),
      Make<GetBlockRequest>(none, Anyone),
      Make<ListContractsRequest>(none, Anyone),
      Make<GetTransactionRequest>(none, Anyone),  // decided per transaction: MayReadTransaction
      Make<StreamBlocksRequest>(none, MayReadRaw, "raw blocks and transactions"),
      Make<GetContractRequest>([](auto& r) { r.set_contract_id(kContract); }, MayReadContract,
                               contract),
      Make<GetMilestonesRequest>([](auto& r) { r.set_contract_id(kContract); }, MayReadContract,
                                 contract),
      Make<ListFactsRequest>([](auto& r) { r.set_contract_id(kContract); }, MayReadContract,
                             contract),
      Make<ListContractEventsRequest>([](auto& r) { r.set_contract_id(kContract); },
                                      MayReadContract, contract),
      Make<ListInvoicesRequest>([](auto& r) { r.set_contract_id(kContract); }, MayReadContract,
                                contract),
      Make<GetInvoiceRequest>([](auto& r) { r.set_invoice_id(kCroInvoice); }, MayReadContract,
                              StrCat("invoice '", kCroInvoice, "'")),
      Make<ListGrantsRequest>([](auto& r) { r.set_contract_id(kContract); }, MayReadContract,
                              contract),
      Make<ListGrantsRequest>([](auto& r) { r.set_book(kCro); }, book(kCro), book_named(kCro)),
      Make<GetMirrorRequest>([](auto& r) { r.set_contract_id(kContract); }, MayReadMirror,
                             StrCat("the mirror of ", contract)),
      Make<GetRollforwardRequest>([](auto& r) { r.set_contract_id(kContract); }, book(kCro),
                                  book_named(kCro)),
      Make<GetInvoiceMatchRequest>([](auto& r) { r.set_contract_id(kContract); }, book(kSponsor),
                                   book_named(kSponsor)),
  };
}

// The book-scoped requests, asked of both books.
std::vector<Sample> BookSamples(const std::string& org) {
  using namespace v1;
  const auto allowed = [org](const Reader& r) { return MayReadBook(r, org); };
  const std::string what = StrCat("book '", org, "'");
  return {
      Make<GetBookRequest>([&](auto& r) { r.set_book(org); }, allowed, what),
      Make<ListJournalRequest>([&](auto& r) { r.set_book(org); }, allowed, what),
      Make<StreamJournalRequest>([&](auto& r) { r.set_book(org); }, allowed, what),
      Make<GetJournalEntryRequest>([&](auto& r) { r.set_entry_id(org + "/00000001"); }, allowed,
                                   what),
      Make<GetTrialBalanceRequest>([&](auto& r) { r.set_book(org); }, allowed, what),
      Make<GetDisclosuresRequest>([&](auto& r) { r.set_book(org); }, allowed, what),
      Make<GetAccrualsRequest>([&](auto& r) { r.set_book(org); }, allowed, what),
  };
}

class ReadPermissionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const v1::ContractCode code = testing::SowCode(testing::kMobilisationSow, "mob.sow");
    Apply(signer_.Sign("cro-finance", [&](v1::TxBody& body) {
      v1::ProposeContract* proposal = body.mutable_propose_contract();
      proposal->set_contract_id(kContract);
      *proposal->mutable_code() = code;
      proposal->set_effective_date_ms(*ParseIsoDate("2023-03-02"));
    }));
    Apply(signer_.Accept("sponsor-finance", kContract, code.code_hash()));
    Apply(Grant("cro-finance", ""));
    Apply(Grant("sponsor-finance", kContract));
    ASSERT_TRUE(ReadInvoice(ledger_.state(), kCroInvoice).has_value());
  }

  v1::Transaction Grant(const std::string& member, const std::string& contract_id,
                        const std::string& auditor = "ledger-audit", bool revoke = false) {
    return signer_.Sign(member, [&](v1::TxBody& body) {
      body.mutable_grant_access()->set_auditor_org(auditor);
      body.mutable_grant_access()->set_contract_id(contract_id);
      body.mutable_grant_access()->set_revoke(revoke);
    });
  }
  v1::TxResult Apply(const v1::Transaction& tx, v1::TxResultCode expected = v1::TX_OK) {
    std::vector<v1::TxResult> results = ledger_.Apply({tx});
    EXPECT_EQ(results.at(0).code(), expected) << results.at(0).message();
    return results.at(0);
  }
  ledger::ReadAccess AccessOf(const Reader& reader) const {
    v1::Member member;
    member.set_name(reader.member);
    member.set_org(reader.org);
    member.add_roles(reader.role);
    return ledger::ReadAccess(ledger_.state(), member);
  }
  void ExpectDecisions(const std::vector<Sample>& samples) {
    for (const Sample& sample : samples) {
      for (const Reader& reader : Readers()) {
        absl::Status decided = CheckReadPermission(AccessOf(reader), *sample.request);
        const std::string where = StrCat(sample.request->GetDescriptor()->name(), " ",
                                         sample.request->ShortDebugString(), " by ", reader.member);
        if (sample.allowed(reader)) {
          EXPECT_TRUE(decided.ok()) << where << ": " << decided;
        } else {
          EXPECT_TRUE(absl::IsPermissionDenied(decided)) << where << ": " << decided;
          EXPECT_EQ(decided.message(), StrCat("member '", reader.member, "' of '", reader.org,
                                              "' may not read ", sample.what))
              << where;
        }
      }
    }
  }

  TestNetwork network_;
  MemoryLedger ledger_{network_};
  testing::TxSigner signer_{network_};
};

TEST_F(ReadPermissionsTest, EveryRpcHasAnEntryInTheTableAndASampleHere) {
  std::set<std::string> sampled;
  for (const std::vector<Sample>& samples : {Samples(), BookSamples(kCro)}) {
    for (const Sample& sample : samples)
      sampled.insert(sample.request->GetDescriptor()->name());
  }
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "trialledger.v1.LedgerService");
  ASSERT_NE(service, nullptr);
  ASSERT_GT(service->method_count(), 20);
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service->method(i);
    const std::string request = method->input_type()->name();
    EXPECT_NE(FindReadPermission(request), nullptr)
        << method->name() << ": add " << request << " to the permission table";
    EXPECT_TRUE(sampled.contains(request))
        << method->name() << ": add a sample " << request << " to this test";
  }
  for (const ReadPermission& entry : ReadPermissions()) {
    EXPECT_NE(
        service->FindMethodByName(std::string(entry.request.substr(0, entry.request.size() - 7))),
        nullptr)
        << entry.request << " is in the table but the service has no such RPC";
  }
}

TEST_F(ReadPermissionsTest, EachMemberReadsWhatItsOrganisationAndRoleAllow) {
  ExpectDecisions(Samples());
  ExpectDecisions(BookSamples(kCro));
  ExpectDecisions(BookSamples(kSponsor));
}

TEST_F(ReadPermissionsTest, ARevokedGrantStopsTheAuditorFromTheNextBlockOn) {
  const Reader auditor{"audit-auditor", "ledger-audit", "auditor"};
  v1::GetBookRequest book;
  book.set_book(kCro);
  EXPECT_TRUE(CheckReadPermission(AccessOf(auditor), book).ok());
  Apply(Grant("cro-finance", "", "ledger-audit", /*revoke=*/true));
  EXPECT_TRUE(absl::IsPermissionDenied(CheckReadPermission(AccessOf(auditor), book)));
  // Taking back what was never granted, or granting twice, is refused with nothing written.
  Apply(Grant("cro-finance", "", "ledger-audit", /*revoke=*/true), v1::TX_INVALID_PAYLOAD);
  Apply(Grant("sponsor-finance", kContract), v1::TX_INVALID_PAYLOAD);
}

TEST_F(ReadPermissionsTest, OnlyAPartysFinanceOrAdminGrantsAndOnlyToAnAuditor) {
  EXPECT_NE(
      Apply(Grant("cro-clinops", ""), v1::TX_PERMISSION_DENIED).message().find("finance or admin"),
      std::string::npos);
  EXPECT_NE(Apply(Grant("harbor-finance", kContract), v1::TX_PERMISSION_DENIED)
                .message()
                .find("not a party to contract 'mob'"),
            std::string::npos);
  EXPECT_NE(Apply(Grant("cro-finance", "", "harbor-cro"), v1::TX_INVALID_PAYLOAD)
                .message()
                .find("not an auditor"),
            std::string::npos);
  EXPECT_NE(Apply(Grant("cro-finance", "", "no-such-org"), v1::TX_INVALID_PAYLOAD)
                .message()
                .find("no organization 'no-such-org'"),
            std::string::npos);
  EXPECT_NE(Apply(Grant("cro-finance", "no-such-contract"), v1::TX_INVALID_PAYLOAD)
                .message()
                .find("no contract 'no-such-contract'"),
            std::string::npos);
}

TEST_F(ReadPermissionsTest, ATransactionIsReadByItsSignersOrganisationAndItsContractsReaders) {
  v1::TxBody proposal;  // a contract payload the CRO signed
  proposal.set_signer_public_key(network_.key("cro-finance").public_key);
  proposal.mutable_propose_contract()->set_contract_id(kContract);
  v1::TxBody grant;  // a book payload the CRO signed: the CRO's business only
  grant.set_signer_public_key(network_.key("cro-finance").public_key);
  grant.mutable_grant_access()->set_auditor_org("ledger-audit");
  for (const Reader& reader : Readers()) {
    EXPECT_EQ(AccessOf(reader).MayReadTransaction(proposal),
              MayReadRaw(reader) || reader.org == kCro || MayReadContract(reader))
        << reader.member;
    EXPECT_EQ(AccessOf(reader).MayReadTransaction(grant), MayReadRaw(reader) || reader.org == kCro)
        << reader.member;
  }
}

TEST_F(ReadPermissionsTest, WhatNamesNothingIsNotFoundForAnyone) {
  v1::GetContractRequest contract;
  contract.set_contract_id("no-such-contract");
  v1::GetBookRequest book;
  book.set_book("ledger-audit");  // an auditor keeps no book
  v1::GetJournalEntryRequest entry;
  entry.set_entry_id("no-slash");
  for (const Reader& reader : Readers()) {
    EXPECT_TRUE(absl::IsNotFound(CheckReadPermission(AccessOf(reader), contract)));
    EXPECT_TRUE(absl::IsNotFound(CheckReadPermission(AccessOf(reader), book)));
    EXPECT_TRUE(absl::IsInvalidArgument(CheckReadPermission(AccessOf(reader), entry)));
  }
}

}  // namespace
}  // namespace tl::node
