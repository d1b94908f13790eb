// The books in the apply pipeline, on an in-memory ledger (its blocks are dated November 2023, so
// the facts are dated before): a fee due at signature is billed on the
// contract's effective date, a fact in another currency is refused with nothing written, entries
// land in the block's write set numbered in turn, the books' transactions check their signer, and
// two ledgers applying the same blocks hold the same journal byte for byte. Figures by hand.
#include <gtest/gtest.h>

#include "test_ledger.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/ledger/book_records.h"

namespace tl::ledger {
namespace {

using testing::MemoryLedger;
using testing::TestNetwork;

// One cost-to-cost obligation, a mobilisation fee due at signature and a fee at first patient in.
constexpr char kSow[] = R"(contract mobilised "Mobilised study" version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "S-9"
feed "oracle:cost" of cro reports cost_incurred, estimate_at_completion
feed "oracle:edc" of cro reports first_patient_in
obligation services "Study services" {
  standalone price USD 300,000.00
  recognised over time by cost_to_cost
}
milestone mobilisation "Mobilisation fee, at signature" {
  when contract_signed
  pays USD 50,000.00
  for services
}
milestone fpi "First patient in" {
  when first_patient_in
  pays USD 250,000.00
  for services
}
)";

class BooksApplyTest : public ::testing::Test {
 protected:
  v1::TxResult ApplyOne(const v1::Transaction& tx) {
    std::vector<v1::TxResult> results = ledger_.Apply({tx});
    return results.empty() ? v1::TxResult() : results[0];
  }
  void Activate(int64_t effective_date_ms) {
    ASSERT_EQ(ApplyOne(signer_.Sign("cro-finance",
                                    [&](v1::TxBody& body) {
                                      v1::ProposeContract* p = body.mutable_propose_contract();
                                      p->set_contract_id("mob");
                                      *p->mutable_code() = code_;
                                      p->set_effective_date_ms(effective_date_ms);
                                    }))
                  .code(),
              v1::TX_OK);
    v1::TxResult accepted = ApplyOne(signer_.Accept("sponsor-finance", "mob", code_.code_hash()));
    ASSERT_EQ(accepted.code(), v1::TX_OK) << accepted.message();
  }
  v1::Transaction Cost(const std::string& record, const std::string& currency, int64_t minor,
                       const std::string& date, bool estimate = false) {
    return signer_.Sign("cro-cost", [&](v1::TxBody& body) {
      v1::FactBatch* batch = body.mutable_submit_facts();
      batch->set_contract_id("mob");
      v1::Fact* fact = batch->add_facts();
      fact->set_source_system("erp");
      fact->set_source_record_id(record);
      fact->set_source_timestamp_ms(*ParseIsoDate(date));
      v1::Money* amount;
      if (estimate) {
        fact->mutable_estimate_at_completion()->set_date_ms(*ParseIsoDate(date));
        amount = fact->mutable_estimate_at_completion()->mutable_amount();
      } else {
        fact->mutable_cost_incurred()->set_category("labour");
        fact->mutable_cost_incurred()->set_date_ms(*ParseIsoDate(date));
        amount = fact->mutable_cost_incurred()->mutable_amount();
      }
      amount->set_currency(currency);
      amount->set_amount_minor(minor);
    });
  }
  std::vector<v1::JournalEntry> Journal(const MemoryLedger& ledger,
                                        const std::string& org = "northwind-cro") const {
    std::vector<v1::JournalEntry> entries;
    std::optional<v1::BookRecord> book = ReadBook(ledger.state(), org);
    for (uint64_t seq = 1; book.has_value() && seq <= book->entry_count(); ++seq) {
      entries.push_back(*ReadJournalEntry(ledger.state(), org, seq));
    }
    return entries;
  }

  TestNetwork network_;
  MemoryLedger ledger_{network_};
  testing::TxSigner signer_{network_};
  const v1::ContractCode code_ = testing::SowCode(kSow, "mobilised.sow");
};

TEST_F(BooksApplyTest, AFeeAtSignatureIsBilledOnTheEffectiveDate) {
  Activate(*ParseIsoDate("2023-03-02"));
  std::vector<v1::JournalEntry> journal = Journal(ledger_);
  ASSERT_EQ(journal.size(), 1u);
  const v1::JournalEntry& invoice = journal[0];
  EXPECT_EQ(invoice.kind(), v1::ENTRY_KIND_BILLING);
  EXPECT_EQ(invoice.period(), "2023-03");
  EXPECT_EQ(invoice.effective_date_ms(), *ParseIsoDate("2023-03-02"));
  ASSERT_EQ(invoice.lines_size(), 2);
  EXPECT_EQ(invoice.lines(0).account(), "accounts_receivable");
  EXPECT_EQ(invoice.lines(0).debit_minor(), 5'000'000);
  EXPECT_EQ(invoice.lines(1).account(), "contract_balance");
  EXPECT_EQ(invoice.lines(1).credit_minor(), 5'000'000);
  // Price 300,000.00, all of it for `services`; the estimate 200,000.00; 50,000.00 of cost is
  // 25 %: revenue to date 75,000.00.
  v1::TxResult r1 = ApplyOne(Cost("EAC-1", "USD", 20'000'000, "2023-03-31", true));
  ASSERT_EQ(r1.code(), v1::TX_OK) << r1.message();
  v1::TxResult r2 = ApplyOne(Cost("C-1", "USD", 5'000'000, "2023-04-30"));
  ASSERT_EQ(r2.code(), v1::TX_OK) << r2.message();
  journal = Journal(ledger_);
  ASSERT_EQ(journal.size(), 2u);
  EXPECT_EQ(journal[1].kind(), v1::ENTRY_KIND_REVENUE);
  EXPECT_EQ(journal[1].period(), "2023-04");
  EXPECT_EQ(journal[1].lines(0).debit_minor(), 7'500'000);
  EXPECT_EQ(journal[1].transaction_price_minor(), 30'000'000);
  EXPECT_EQ(journal[1].revenue_to_date_minor(), 7'500'000);
  EXPECT_EQ(journal[1].billed_to_date_minor(), 5'000'000);
  EXPECT_EQ(journal[1].seq(), 2u);
  EXPECT_EQ(journal[1].entry_id(), "northwind-cro/00000002");
}

TEST_F(BooksApplyTest, AFactInAnotherCurrencyPostsNothing) {
  Activate(0);
  v1::TxResult result = ApplyOne(Cost("C-EUR", "EUR", 100'000, "2023-04-30"));
  ASSERT_EQ(result.code(), v1::TX_OK) << result.message();
  ASSERT_EQ(result.contract().facts_size(), 1);
  EXPECT_EQ(result.contract().facts(0).code(), v1::FACT_REJECTED);
  EXPECT_NE(result.contract().facts(0).message().find("must be in USD"), std::string::npos)
      << result.contract().facts(0).message();
  EXPECT_EQ(Journal(ledger_).size(), 1u);  // the mobilisation invoice only
}

TEST_F(BooksApplyTest, TheBooksTransactionsCheckTheirSigner) {
  auto close = [&](const std::string& member, const std::string& period) {
    return ApplyOne(signer_.Sign(
        member, [&](v1::TxBody& body) { body.mutable_close_period()->set_period(period); }));
  };
  EXPECT_EQ(close("cro-edc", "2023-01").code(), v1::TX_PERMISSION_DENIED);
  v1::TxResult closed = close("cro-finance", "2023-01");
  EXPECT_EQ(closed.code(), v1::TX_OK) << closed.message();
  EXPECT_EQ(ReadBook(ledger_.state(), "northwind-cro")->closed_through(), "2023-01");
  EXPECT_EQ(ReadBook(ledger_.state(), "acme-bio")->closed_through(), "");  // its own book only
  v1::TxResult twice = close("cro-finance", "2023-01");
  EXPECT_EQ(twice.code(), v1::TX_INVALID_PAYLOAD);
  auto reopen = [&](const std::string& member, const std::string& reason) {
    return ApplyOne(signer_.Sign(member, [&](v1::TxBody& body) {
      body.mutable_reopen_period()->set_period("2023-01");
      body.mutable_reopen_period()->set_reason(reason);
    }));
  };
  EXPECT_EQ(reopen("cro-finance", "restatement").code(), v1::TX_PERMISSION_DENIED);
  EXPECT_EQ(reopen("cro-admin", "").code(), v1::TX_INVALID_PAYLOAD);
  EXPECT_EQ(reopen("cro-admin", "restatement").code(), v1::TX_OK);
  EXPECT_EQ(ReadBook(ledger_.state(), "northwind-cro")->closed_through(), "");
  v1::TxResult unknown = ApplyOne(signer_.Sign("cro-finance", [&](v1::TxBody& body) {
    v1::AccountCode* code = body.mutable_set_account_map()->add_account_map();
    code->set_account("rd_expense");  // the sponsor's chart, not the CRO's
    code->set_erp_code("6100");
  }));
  EXPECT_EQ(unknown.code(), v1::TX_INVALID_PAYLOAD);
  EXPECT_NE(unknown.message().find("rd_expense"), std::string::npos) << unknown.message();
}

TEST_F(BooksApplyTest, TwoLedgersHoldTheSameJournalByteForByte) {
  MemoryLedger other(network_);
  std::vector<v1::Transaction> blocks;
  blocks.push_back(signer_.Sign("cro-finance", [&](v1::TxBody& body) {
    body.mutable_propose_contract()->set_contract_id("mob");
    *body.mutable_propose_contract()->mutable_code() = code_;
  }));
  blocks.push_back(signer_.Accept("sponsor-finance", "mob", code_.code_hash()));
  blocks.push_back(Cost("EAC-1", "USD", 20'000'000, "2023-03-31", true));
  blocks.push_back(Cost("C-1", "USD", 3'333'333, "2023-04-30"));
  for (const v1::Transaction& tx : blocks) {
    ASSERT_EQ(ledger_.Apply({tx})[0].code(), v1::TX_OK);
    ASSERT_EQ(other.Apply({tx})[0].code(), v1::TX_OK);
  }
  EXPECT_EQ(ledger_.state().entries(), other.state().entries());
  std::vector<v1::JournalEntry> journal = Journal(ledger_);
  ASSERT_EQ(journal.size(), 2u);
  // 300,000.00 x 33,333.33 / 200,000.00 = 49,999.995, rounded half up once: 50,000.00.
  EXPECT_EQ(journal[1].lines(0).debit_minor(), 5'000'000);
}

// Enrolments that wait for their site's activation (`else hold`) are on no book until the
// activation applies them; then the CRO earns the fee and the sponsor's grid accrues the
// enrolment, both on the activation's date.
constexpr char kHeldSow[] = R"(contract held "Held enrolments" version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "S-9"
sites "101"
feed "oracle:edc" of cro reports subject_enrolled, site_activated
obligation services "Study services" {
  standalone price USD 100,000.00
  recognised over time by units
}
unit_fee per_subject "Per subject enrolled" {
  per enrolled
  rate USD 5,000.00
  for services
}
rule enrol_at_active_sites "Subjects are enrolled only at activated sites" {
  on subject_enrolled
  require site_active(fact.site) else hold
}
)";

TEST_F(BooksApplyTest, AHeldEnrolmentIsBookedOnBothSidesWhenItsSiteIsActivated) {
  const v1::ContractCode code = testing::SowCode(kHeldSow, "held.sow");
  ASSERT_EQ(ApplyOne(signer_.Sign("cro-finance",
                                  [&](v1::TxBody& body) {
                                    body.mutable_propose_contract()->set_contract_id("held");
                                    *body.mutable_propose_contract()->mutable_code() = code;
                                  }))
                .code(),
            v1::TX_OK);
  ASSERT_EQ(ApplyOne(signer_.Accept("sponsor-finance", "held", code.code_hash())).code(),
            v1::TX_OK);
  v1::TxResult grid = ApplyOne(signer_.Sign("sponsor-finance", [&](v1::TxBody& body) {
    v1::SetAccrualGrid* set = body.mutable_set_accrual_grid();
    set->set_contract_id("held");
    set->set_currency("USD");
    v1::GridRate* rate = set->add_rates();
    rate->set_kind("subject_enrolled");
    rate->set_rate_minor(400'000);
    rate->set_payee("site-101");
  }));
  ASSERT_EQ(grid.code(), v1::TX_OK) << grid.message();
  auto fact = [&](const std::string& record, const std::string& date, bool activation) {
    return signer_.Sign("cro-edc", [&](v1::TxBody& body) {
      v1::FactBatch* batch = body.mutable_submit_facts();
      batch->set_contract_id("held");
      v1::Fact* f = batch->add_facts();
      f->set_source_system("rave");
      f->set_source_record_id(record);
      f->set_source_timestamp_ms(*ParseIsoDate(date));
      if (activation) {
        f->mutable_site_activated()->set_site("101");
        f->mutable_site_activated()->set_date_ms(*ParseIsoDate(date));
      } else {
        f->mutable_subject_enrolled()->set_site("101");
        f->mutable_subject_enrolled()->set_subject("101-001");
        f->mutable_subject_enrolled()->set_date_ms(*ParseIsoDate(date));
      }
    });
  };
  auto entries = [&](const std::string& book) { return Journal(ledger_, book); };
  v1::TxResult held = ApplyOne(fact("ENR-1", "2023-10-02", false));
  ASSERT_EQ(held.code(), v1::TX_OK) << held.message();
  ASSERT_EQ(held.contract().facts_size(), 1);
  EXPECT_EQ(held.contract().facts(0).code(), v1::FACT_HELD);
  EXPECT_TRUE(entries("northwind-cro").empty());
  EXPECT_TRUE(entries("acme-bio").empty());

  ASSERT_EQ(ApplyOne(fact("SA-101", "2023-10-05", true)).code(), v1::TX_OK);
  const int64_t activated_ms = *ParseIsoDate("2023-10-05");
  // The CRO: one unit of USD 5,000.00 earned and billed, on the activation's date.
  int64_t cro_billed = 0;
  for (const v1::JournalEntry& entry : entries("northwind-cro")) {
    EXPECT_EQ(entry.effective_date_ms(), activated_ms) << entry.entry_id();
    for (const v1::JournalLine& line : entry.lines()) {
      if (line.account() == "accounts_receivable") {
        cro_billed += line.debit_minor() - line.credit_minor();
      }
    }
  }
  EXPECT_EQ(cro_billed, 500'000);
  // The sponsor's grid: the released enrolment at its rate, USD 4,000.00, named by its own id.
  int64_t rd_expense = 0;
  bool enrolment_booked = false;
  for (const v1::JournalEntry& entry : entries("acme-bio")) {
    for (const v1::JournalLine& line : entry.lines()) {
      if (line.account() == "rd_expense") rd_expense += line.debit_minor() - line.credit_minor();
    }
    if (entry.fact_id() == "rave/ENR-1") {
      enrolment_booked = true;
      EXPECT_EQ(entry.effective_date_ms(), activated_ms);
    }
  }
  EXPECT_TRUE(enrolment_booked);
  EXPECT_EQ(rd_expense, 400'000);
}

// A milestone achieved by an enrolment the EDC then deletes: the contract reverses it, and
// both books take back what it booked, in the block of the retraction.
constexpr char kReversalSow[] = R"(contract rev "Reversed milestone" version 1
sponsor "acme-bio"
cro "northwind-cro"
currency USD
study "S-9"
sites "101"
feed "oracle:edc" of cro reports subject_enrolled
obligation services "Study services" {
  standalone price USD 100,000.00
  recognised over time by milestones
}
milestone first_enrolled "First subject enrolled" {
  when enrolled >= 1
  pays USD 40,000.00
  for services
}
milestone lplv "Last patient last visit" {
  when last_patient_last_visit
  pays USD 60,000.00
  for services
}
)";

TEST_F(BooksApplyTest, ARetractionThatUndoesAMilestoneTakesItOffBothBooks) {
  const v1::ContractCode code = testing::SowCode(kReversalSow, "rev.sow");
  ASSERT_EQ(ApplyOne(signer_.Sign("cro-finance",
                                  [&](v1::TxBody& body) {
                                    body.mutable_propose_contract()->set_contract_id("rev");
                                    *body.mutable_propose_contract()->mutable_code() = code;
                                  }))
                .code(),
            v1::TX_OK);
  ASSERT_EQ(ApplyOne(signer_.Accept("sponsor-finance", "rev", code.code_hash())).code(), v1::TX_OK);
  auto submit = [&](bool retraction) {
    return ApplyOne(signer_.Sign("cro-edc", [&](v1::TxBody& body) {
      v1::FactBatch* batch = body.mutable_submit_facts();
      batch->set_contract_id("rev");
      v1::Fact* f = batch->add_facts();
      f->set_source_system("rave");
      f->set_source_record_id("ENR-1");
      f->set_source_timestamp_ms(*ParseIsoDate("2023-10-02"));
      if (retraction) {
        f->set_correction(true);
        f->mutable_retracted()->set_date_ms(*ParseIsoDate("2023-10-09"));
      } else {
        f->mutable_subject_enrolled()->set_site("101");
        f->mutable_subject_enrolled()->set_subject("101-001");
        f->mutable_subject_enrolled()->set_date_ms(*ParseIsoDate("2023-10-02"));
      }
    }));
  };
  auto net = [&](const std::string& book, const std::string& account) {
    int64_t total = 0;
    for (const v1::JournalEntry& entry : Journal(ledger_, book)) {
      for (const v1::JournalLine& line : entry.lines()) {
        if (line.account() == account) total += line.debit_minor() - line.credit_minor();
      }
    }
    return total;
  };
  ASSERT_EQ(submit(false).code(), v1::TX_OK);
  // 100,000.00 x 40,000.00 / 100,000.00 recognised and 40,000.00 billed; mirrored as expense.
  EXPECT_EQ(net("northwind-cro", "revenue_services"), -4'000'000);
  EXPECT_EQ(net("northwind-cro", "accounts_receivable"), 4'000'000);
  EXPECT_EQ(net("acme-bio", "rd_expense"), 4'000'000);
  v1::TxResult retracted = submit(true);
  ASSERT_EQ(retracted.code(), v1::TX_OK) << retracted.message();
  EXPECT_EQ(retracted.contract().facts(0).code(), v1::FACT_CORRECTED);
  EXPECT_EQ(net("northwind-cro", "revenue_services"), 0);
  EXPECT_EQ(net("northwind-cro", "accounts_receivable"), 0);
  EXPECT_EQ(net("acme-bio", "rd_expense"), 0);
}

}  // namespace
}  // namespace tl::ledger
