// The invoice cycle in the library: a CRO invoice as a run's billing makes it, the sponsor's
// entry approving an invoice from outside the ledger against what was accrued for the same work,
// payments on both sides, and the three-way match's verdicts. Figures by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "books_testing.h"

namespace tl::books {
namespace {

using testing::Contract;
using testing::Day;
using testing::Net;
using testing::Usd;

ContractTerms Terms() {
  ContractTerms terms = testing::Terms({{"services", Usd(1'000'000), Measure::kCostToCost}});
  terms.fees = {{"startup", v1::MILESTONE_KIND_FIXED_FEE, Usd(1'000'000), "services", false}};
  terms.pass_throughs = {{"grants", Usd(50'000), false, ""}};
  return terms;
}

InvoiceContext Invoicing(uint64_t number) {
  InvoiceContext context;
  context.issuer = "northwind-cro";
  context.payer = "acme-bio";
  context.contract_id = "acme-304";
  context.currency = "USD";
  context.tx_id = std::string(32, '\x07');
  context.height = 9;
  context.number = number;
  return context;
}

// A milestone invoiced net of a 10 % holdback and a grant re-billed as agent, in one run: one
// invoice, two lines, 90,000 + 4,000.
TEST(InvoiceOfRun, ALinePerBillingWithItsItemHoldbackAndEvidence) {
  Contract contract(Terms(), Day("2026-01-01"), "acme-304");
  std::vector<CroEvent> events = {
      testing::Achieved(Day("2026-02-03"), "startup", Usd(100'000)),
      testing::Withheld(Day("2026-02-03"), "startup", Usd(10'000)),
      testing::Invoice(Day("2026-02-03"), "startup", Usd(100'000), Usd(10'000)),
      testing::Cost(Day("2026-02-04"), Usd(4'000), "grants", "erp/G-7")};
  for (size_t i = 0; i < events.size(); ++i)
    events[i].event_seq = i + 1;
  // The ledger gives an invoice the cause of the event before it (contract_books.cc).
  events[2].cause.fact_id = "edc/startup";
  const std::vector<v1::JournalEntry> entries = contract.Post(events);
  // Contract::Post numbers events itself from 1, as above.
  std::optional<v1::Invoice> invoice = InvoiceOfRun(entries, events, Invoicing(3));
  ASSERT_TRUE(invoice.has_value());
  EXPECT_EQ(invoice->invoice_id(), "northwind-cro/INV-00000003");
  EXPECT_EQ(invoice->number(), "INV-00000003");
  EXPECT_EQ(invoice->issuer(), "northwind-cro");
  EXPECT_EQ(invoice->payer(), "acme-bio");
  EXPECT_TRUE(invoice->on_ledger());
  EXPECT_EQ(invoice->status(), v1::INVOICE_STATUS_AWAITING_APPROVAL);
  EXPECT_EQ(invoice->date_ms(), Day("2026-02-03"));
  ASSERT_EQ(invoice->lines_size(), 2);
  EXPECT_EQ(invoice->lines(0).line(), 1u);
  EXPECT_EQ(invoice->lines(0).item(), "startup");
  EXPECT_EQ(invoice->lines(0).amount_minor(), Usd(90'000));
  EXPECT_EQ(invoice->lines(0).holdback_minor(), Usd(10'000));
  EXPECT_THAT(invoice->lines(0).evidence_fact_ids(), ::testing::ElementsAre("edc/startup"));
  EXPECT_EQ(invoice->lines(1).item(), "grants");
  EXPECT_EQ(invoice->lines(1).amount_minor(), Usd(4'000));
  EXPECT_THAT(invoice->lines(1).evidence_fact_ids(), ::testing::ElementsAre("erp/G-7"));
  EXPECT_EQ(invoice->total_minor(), Usd(94'000));
  // A run that bills nothing makes no invoice.
  std::vector<CroEvent> cost = {testing::Cost(Day("2026-02-05"), Usd(1'000), "", "erp/C-1")};
  cost[0].event_seq = 5;
  EXPECT_FALSE(InvoiceOfRun(contract.Post(cost), cost, Invoicing(4)).has_value());
}

v1::Invoice Outside(int64_t total_minor) {
  v1::Invoice invoice;
  invoice.set_invoice_id("acme-bio/REC-00000001");
  invoice.set_number("SITE-301-0042");
  invoice.set_contract_id("acme-304");
  invoice.set_issuer("site-301");
  invoice.set_payer("acme-bio");
  invoice.set_currency("USD");
  invoice.set_total_minor(total_minor);
  v1::InvoiceLine* line = invoice.add_lines();
  line->set_line(1);
  line->set_item("screening visits");
  line->set_amount_minor(total_minor);
  return invoice;
}

EntryContext Sponsor(std::string closed_through = "") {
  EntryContext context;
  context.book = "acme-bio";
  context.contract_id = "acme-304";
  context.closed_through = std::move(closed_through);
  context.tx_id = std::string(32, '\x09');
  context.height = 12;
  context.seq = 7;
  return context;
}

TEST(PostOutsideInvoiceApproved, PayableAgainstTheAccrualTheDifferenceATrueUp) {
  // Nothing accrued: the whole invoice is expense and payable.
  absl::StatusOr<v1::JournalEntry> plain =
      PostOutsideInvoiceApproved(Outside(Usd(2'400)), 0, Day("2026-03-10", 15), Sponsor());
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->entry_id(), "acme-bio/00000007");
  EXPECT_EQ(plain->kind(), v1::ENTRY_KIND_INVOICE_RECEIVED);
  EXPECT_EQ(Net(*plain, "rd_expense"), Usd(2'400));
  EXPECT_EQ(Net(*plain, "accounts_payable"), -Usd(2'400));
  EXPECT_EQ(plain->effective_date_ms(), Day("2026-03-10"));
  EXPECT_EQ(plain->idempotency_key(), "acme-bio:invoice:acme-bio/REC-00000001");
  // 2,000 accrued, 2,400 billed: 400 more expense now, a change in estimate.
  absl::StatusOr<v1::JournalEntry> over =
      PostOutsideInvoiceApproved(Outside(Usd(2'400)), Usd(2'000), Day("2026-03-10"), Sponsor());
  ASSERT_TRUE(over.ok());
  EXPECT_EQ(over->kind(), v1::ENTRY_KIND_CATCH_UP);
  EXPECT_EQ(Net(*over, "accrued_clinical_costs"), Usd(2'000));
  EXPECT_EQ(Net(*over, "rd_expense"), Usd(400));
  EXPECT_EQ(Net(*over, "accounts_payable"), -Usd(2'400));
  // 2,800 accrued, 2,400 billed: 400 of expense given back.
  absl::StatusOr<v1::JournalEntry> under =
      PostOutsideInvoiceApproved(Outside(Usd(2'400)), Usd(2'800), Day("2026-03-10"), Sponsor());
  ASSERT_TRUE(under.ok());
  EXPECT_EQ(Net(*under, "rd_expense"), -Usd(400));
  EXPECT_EQ(Net(*under, "accrued_clinical_costs"), Usd(2'800));
  // Approved in a period the sponsor has closed: booked in the first open one.
  absl::StatusOr<v1::JournalEntry> late =
      PostOutsideInvoiceApproved(Outside(Usd(2'400)), 0, Day("2026-03-10"), Sponsor("2026-03"));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->period(), "2026-04");
}

TEST(PostPayment, CashAgainstPayableAndAgainstReceivable) {
  v1::Invoice invoice = Outside(Usd(2'400));
  v1::Payment payment;
  payment.set_seq(2);
  payment.set_amount_minor(Usd(1'000));
  payment.set_date_ms(Day("2026-04-02"));
  payment.set_reference("WIRE-88");
  const v1::JournalEntry paid = PostPayment(invoice, payment, false, Sponsor());
  EXPECT_EQ(paid.kind(), v1::ENTRY_KIND_PAYMENT);
  EXPECT_EQ(Net(paid, "accounts_payable"), Usd(1'000));
  EXPECT_EQ(Net(paid, "cash"), -Usd(1'000));
  EXPECT_EQ(paid.period(), "2026-04");
  EXPECT_EQ(paid.idempotency_key(), "acme-bio:payment:acme-bio/REC-00000001:2");
  EXPECT_THAT(paid.memo(), ::testing::HasSubstr("WIRE-88"));
  EntryContext cro = Sponsor();
  cro.book = "northwind-cro";
  const v1::JournalEntry received = PostPayment(invoice, payment, true, cro);
  EXPECT_EQ(Net(received, "cash"), Usd(1'000));
  EXPECT_EQ(Net(received, "accounts_receivable"), -Usd(1'000));
  EXPECT_EQ(received.idempotency_key(), "northwind-cro:receipt:acme-bio/REC-00000001:2");
  EXPECT_TRUE(CheckBalanced(paid).ok());
  EXPECT_TRUE(CheckBalanced(received).ok());
}

TEST(MatchInvoice, EveryLineGetsAVerdictAndLinesWithoutEvidenceNeedAnOverride) {
  auto evidence = [](std::string_view fact_id) {
    EvidenceState state;
    state.fact_id = std::string(fact_id);
    state.kind = "visit_completed";
    state.valid = fact_id != "edc/RETRACTED";
    state.state = state.valid ? "applied" : "retracted";
    return state;
  };
  v1::Invoice invoice = Outside(Usd(3'000));
  invoice.mutable_lines(0)->set_amount_minor(Usd(1'000));
  invoice.mutable_lines(0)->add_evidence_fact_ids("edc/V1");  // accrued 1,000: matched
  v1::InvoiceLine* over = invoice.add_lines();                // accrued 600: over by 400
  over->set_line(2);
  over->set_amount_minor(Usd(1'000));
  over->add_evidence_fact_ids("edc/V2");
  v1::InvoiceLine* none = invoice.add_lines();  // no evidence at all
  none->set_line(3);
  none->set_amount_minor(Usd(500));
  v1::InvoiceLine* retracted = invoice.add_lines();
  retracted->set_line(4);
  retracted->set_amount_minor(Usd(500));
  retracted->add_evidence_fact_ids("edc/RETRACTED");
  const std::vector<MatchLine> match =
      MatchInvoice(invoice, evidence, [](const v1::InvoiceLine& line) {
        return line.line() == 1 ? Usd(1'000) : line.line() == 2 ? Usd(600) : int64_t{0};
      });
  ASSERT_EQ(match.size(), 4u);
  EXPECT_EQ(match[0].status, "matched");
  EXPECT_FALSE(match[0].needs_override);
  EXPECT_EQ(match[0].evidence.size(), 1u);
  EXPECT_EQ(match[1].status, "over_billed");
  EXPECT_EQ(match[1].difference_minor, Usd(400));
  EXPECT_FALSE(match[1].needs_override);
  EXPECT_THAT(match[1].reason, ::testing::HasSubstr("change in estimate"));
  EXPECT_EQ(match[2].status, "no_evidence");
  EXPECT_TRUE(match[2].needs_override);
  EXPECT_EQ(match[3].status, "over_billed");
  EXPECT_EQ(match[3].difference_minor, Usd(500));
  EXPECT_TRUE(match[3].needs_override);
  EXPECT_THAT(match[3].reason, ::testing::HasSubstr("retracted"));

  // A CRO invoice's lines were received against the mirror accrual: they relieve what they bill.
  v1::Invoice cro = invoice;
  cro.set_on_ledger(true);
  cro.mutable_lines()->DeleteSubrange(2, 2);
  cro.set_received(true);
  for (v1::InvoiceLine& line : *cro.mutable_lines())
    line.set_accrued_minor(line.amount_minor());
  for (const MatchLine& line :
       MatchInvoice(cro, evidence, [](const v1::InvoiceLine&) { return int64_t{0}; })) {
    EXPECT_EQ(line.status, "matched");
    EXPECT_EQ(line.accrued_minor, line.billed_minor);
  }
}

}  // namespace
}  // namespace tl::books
