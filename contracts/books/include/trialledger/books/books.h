// The accounting library: contract events and contract terms in, balanced journal entries out.
// One home for every booking rule (docs/books.md). Pure and deterministic like the apply pipeline
// that calls it: no VM, no compiler, no clock, no floats, no unordered iteration; money is integer
// minor units, ratios are exact, every rounding is named and done once on a cumulative amount.
//
//   ContractTerms terms = TermsOf(metadata);                 // the active version's terms
//   v1::ContractBooks position = NewContractBooks(contract_id, terms, effective_date_ms);
//   absl::StatusOr<Posting> posted = PostCroEvents(terms, position, events, context);
//   // posted->entries: balanced entries, in order; posted->position: the new running figures
//
// Errors: InvalidArgument / FailedPrecondition for input the caller must refuse (a money field in
// a currency the contract does not use, an event that contradicts the position): the transaction
// that carried it is rejected and nothing is written. Internal for a broken invariant of the
// library itself (an entry that would not balance): the node stops rather than store it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/v1/books.pb.h"
#include "trialledger/v1/contract.pb.h"
#include "trialledger/v1/contract_ledger.pb.h"

namespace tl::books {

namespace v1 = ::trialledger::v1;

// The largest amount, either sign, the books take in a term, in an event or as a cumulative
// input (cost, spend, units earned): 10^15 minor units. Beyond it PostCroEvents answers
// InvalidArgument; within it no sum of a contract's figures can overflow 64 bits.
inline constexpr int64_t kAmountMinorMax = 1'000'000'000'000'000;

// ---- The chart of accounts ---------------------------------------------------------------------

enum class BookKind { kCro, kSponsor };
enum class AccountType { kAsset, kLiability, kRevenue, kExpense };

struct Account {
  std::string_view name;   // stable id used in entries: "accounts_receivable"
  std::string_view title;  // "Accounts receivable"
  AccountType type;
};

// Every account of a book of that kind, in a fixed order (the order reports list them in).
std::span<const Account> ChartOf(BookKind kind);
std::optional<Account> FindAccount(BookKind kind, std::string_view name);

// An account map names ERP codes for accounts of the chart: every account named once, every code
// non-empty and at most 64 bytes. InvalidArgument naming the first fault ("account map: unknown
// account 'revenue'", "account map: 'cash' is mapped twice").
absl::Status ValidateAccountMap(BookKind kind,
                                const google::protobuf::RepeatedPtrField<v1::AccountCode>& map);
// The ERP code a book maps `account` to; "" when it maps none.
std::string ErpCodeOf(const v1::BookRecord& book, std::string_view account);

// ---- Periods -----------------------------------------------------------------------------------

// Monthly periods named "YYYY-MM". Groups: "2026-10" (month), "2026-Q4" (quarter), "2026" (year).
enum class PeriodGrouping { kMonth, kQuarter, kYear };

std::string PeriodOf(int64_t date_ms);
// InvalidArgument unless "YYYY-MM" with a real month (years as base/civil_date.h allows).
absl::Status ValidatePeriod(std::string_view period);
std::string NextPeriod(std::string_view period);  // REQUIRES: a valid period
std::string GroupOf(std::string_view period, PeriodGrouping grouping);
// The first and last day (ms at 00:00 UTC) of a period.
int64_t PeriodStartMs(std::string_view period);
int64_t PeriodEndMs(std::string_view period);  // the first ms of the next period

// The period an entry dated `date_ms` is posted in: its own, or the first open one after
// `closed_through` when its own is closed. `moved_from` is set to its own period when moved.
std::string PostingPeriod(int64_t date_ms, std::string_view closed_through,
                          std::string* moved_from);
// The day an entry is posted on, as an ERP's accounting date: its business date, or the first day
// of its period when it was moved there from a closed one, so that it falls inside its period.
int64_t PostingDateMs(const v1::JournalEntry& entry);

// ClosePeriod: `period` must be the next after `closed_through` (any valid period when none is
// closed yet), and no later than the period of `now_ms` (a period that has not begun cannot be
// closed). FailedPrecondition otherwise ("2026-09 is already closed", "close 2026-08 first").
absl::Status CheckClose(std::string_view closed_through, std::string_view period, int64_t now_ms);
// ReopenPeriod: `period` must be the last closed one. Returns the new `closed_through`.
absl::StatusOr<std::string> CheckReopen(std::string_view closed_through, std::string_view period);

// ---- Contract terms ----------------------------------------------------------------------------

enum class Measure { kCostToCost, kUnits, kMilestones, kPointInTime };

struct ObligationTerms {
  std::string name;
  int64_t standalone_price_minor = 0;
  Measure measure = Measure::kCostToCost;
};
struct FeeTerms {  // a milestone, incentive or penalty
  std::string name;
  v1::MilestoneKind kind = v1::MILESTONE_KIND_FIXED_FEE;
  int64_t amount_minor = 0;  // negative for a penalty
  std::string obligation;    // "" when the SOW ties it to none
  bool constrained = false;  // variable consideration held back until its constraint is released
};
struct UnitFeeTerms {
  std::string name;
  int64_t rate_minor = 0;
  int64_t cap_units = 0;  // 0: uncapped
  std::string obligation;
};
struct PassThroughTerms {
  std::string name;
  int64_t budget_minor = 0;
  bool principal = true;  // gross (revenue and expense) or net (agent)
  std::string obligation;
};

struct ContractTerms {
  std::string sponsor, cro, currency;
  int64_t version = 0;
  std::vector<ObligationTerms> obligations;  // in SOW order
  std::vector<FeeTerms> fees;
  std::vector<UnitFeeTerms> unit_fees;
  std::vector<PassThroughTerms> pass_throughs;
};

ContractTerms TermsOf(const v1::ContractMetadata& metadata);

// ---- The CRO's revenue books (ASC 606) ---------------------------------------------------------

// The running figures of a contract that has just become active under `terms`, effective from
// `effective_date_ms`: nothing posted yet.
v1::ContractBooks NewContractBooks(std::string_view contract_id, const ContractTerms& terms,
                                   int64_t effective_date_ms);

// What caused an event: the fact it came from (its id and business date), or the contract or
// change order itself (fact_id empty, the date its effective date). The caller knows it; the
// event alone does not always say.
struct EventCause {
  std::string fact_id;
  int64_t effective_date_ms = 0;
};

struct CroEvent {
  v1::ContractEvent event;
  uint64_t event_seq = 0;  // EventRecord.seq
  EventCause cause;
};

struct PostingContext {
  std::string book;  // the CRO
  std::string contract_id;
  std::string tx_id;  // raw 32 bytes
  uint64_t height = 0;
  std::string closed_through;  // of the book
  uint64_t next_seq = 1;       // BookRecord.entry_count + 1
};

struct Posting {
  std::vector<v1::JournalEntry> entries;  // numbered from context.next_seq, in event order
  v1::ContractBooks position;
};

// Posts one contract run's events, in order, to the CRO's book. `terms` are those of the version
// that ran (after an amendment, the new version's). Revenue is recomputed from the cumulative
// position after every event that moves it and the difference posted, dated on the cause's date;
// a difference caused by a change of price or estimate is a catch-up.
absl::StatusOr<Posting> PostCroEvents(const ContractTerms& terms, v1::ContractBooks position,
                                      const std::vector<CroEvent>& events,
                                      const PostingContext& context);

// The pieces of the rules, public for their own tests and for reports:

// The transaction price of `terms` given what `position` has seen: fixed fees, variable
// consideration as far as its constraint allows, principal pass-through budgets (or spend, when
// more), unit fees earned.
int64_t TransactionPrice(const ContractTerms& terms, const v1::ContractBooks& position);
// `total` split by `weights` (non-negative, not all zero) in proportion, exactly, largest
// remainder first so the parts sum to `total` (ties to the earlier weight).
std::vector<int64_t> AllocateByWeights(int64_t total, std::span<const int64_t> weights);
// round_half_up(amount × numerator / denominator), exact. REQUIRES: denominator > 0.
int64_t MulDivRoundHalfUp(int64_t amount, int64_t numerator, int64_t denominator);

// Every entry balances per currency and every line has exactly one positive side.
absl::Status CheckBalanced(const v1::JournalEntry& entry);
// An entry kind as reports and exports name it: "revenue", "invoice_received", ...
std::string_view EntryKindName(v1::EntryKind kind);

// ---- The sponsor's accruals (ASC 730): the mirror measure ------------------------------------

// The CRO's figures for a contract before a run: what its entries carry after them.
struct CroFigures {
  int64_t revenue_to_date_minor = 0;
  int64_t billed_to_date_minor = 0;
};

struct SponsorContext {
  std::string book;  // the sponsor
  std::string closed_through;
  uint64_t next_seq = 1;  // BookRecord.entry_count + 1
};

// The sponsor's entries for `cro_entries` (one run of one contract, in order; `before` the CRO's
// figures before them), for a contract whose sponsor accrues by the CRO's own measure of
// progress. R&D expense is recognised as the CRO recognises revenue, whatever the invoice date;
// a CRO invoice is received in the same block. Per contract the sponsor's net position, expense
// to date less invoiced to date, is an accrued liability (accrued_clinical_costs) when positive
// and a prepaid asset (prepaid_clinical_costs) when negative, so that by construction sponsor
// expense = CRO revenue, accrued liability = contract asset and prepaid = contract liability.
// Each CRO entry that moves revenue or billing gives one sponsor entry, dated the same, posted in
// the sponsor's own open period.
absl::StatusOr<std::vector<v1::JournalEntry>> PostSponsorMirror(
    std::span<const v1::JournalEntry> cro_entries, CroFigures before,
    const SponsorContext& context);

// ---- Invoices, approval and payment ------------------------------------------------------------

struct InvoiceContext {
  std::string issuer, payer, contract_id, currency;
  std::string tx_id;  // raw 32 bytes
  uint64_t height = 0;
  uint64_t number = 0;  // the issuer's BookRecord.invoice_count + 1
};

// "<book>/<series>-<number, 8 digits>": "northwind-cro/INV-00000003", "acme-bio/REC-00000001".
std::string InvoiceId(std::string_view book, std::string_view series, uint64_t number);

// The CRO's invoice for one contract run: a line per billing entry of `cro_entries` (an
// invoice_due of the contract, or a pass-through re-billed), its item and holdback from the
// event that raised it and the fact that caused it as evidence; dated on the first line's date.
// nullopt when the run bills nothing. Numbered "<issuer>/INV-<number, 8 digits>".
std::optional<v1::Invoice> InvoiceOfRun(std::span<const v1::JournalEntry> cro_entries,
                                        std::span<const CroEvent> events,
                                        const InvoiceContext& context);

// Where an entry that no contract event caused (approval, payment, receipt) goes.
struct EntryContext {
  std::string book, contract_id, closed_through;
  std::string tx_id;  // raw 32 bytes
  uint64_t height = 0;
  uint64_t seq = 0;  // BookRecord.entry_count + 1
  // The contract's figures for the entry to carry (JournalEntry fields 16-18).
  int64_t transaction_price_minor = 0, revenue_to_date_minor = 0, billed_to_date_minor = 0;
};

// The sponsor approves an invoice from outside the ledger: Cr accounts_payable its total,
// Dr accrued_clinical_costs what was accrued for the same work, and the difference to
// rd_expense: a change in estimate (ENTRY_KIND_CATCH_UP when anything was accrued), dated
// `date_ms` (the approval's day) and so booked in the current open period, never in a closed one.
absl::StatusOr<v1::JournalEntry> PostOutsideInvoiceApproved(const v1::Invoice& invoice,
                                                            int64_t accrued_minor, int64_t date_ms,
                                                            const EntryContext& context);
// A payment: the sponsor's Dr accounts_payable / Cr cash, or (received) the CRO's Dr cash /
// Cr accounts_receivable; dated on the payment's date.
v1::JournalEntry PostPayment(const v1::Invoice& invoice, const v1::Payment& payment, bool received,
                             const EntryContext& context);

// The three-way match of one invoice line: what the invoice bills, the evidence that earns it and
// the accrual it relieves.
struct EvidenceState {
  std::string fact_id;
  std::string kind;  // the fact's kind ("visit_completed"), "" when not on the ledger
  int64_t date_ms = 0;
  bool valid = false;  // applied and not since retracted or rejected
  std::string state;   // "applied", "corrected", "retracted", "rejected", "not on the ledger"
};
struct MatchLine {
  std::string invoice_id;
  uint32_t line = 0;
  std::string item;
  int64_t billed_minor = 0;
  std::vector<EvidenceState> evidence;
  int64_t accrued_minor = 0;     // the accrual it relieves
  int64_t difference_minor = 0;  // billed − accrued
  std::string status;            // "matched", "over_billed", "under_billed" or "no_evidence"
  std::string reason;            // why it does not match; "" when it does
  bool needs_override = false;   // approval needs an override with a reason
};
// `evidence_of` answers for a fact id of the contract. A line of an invoice already received
// relieved what it records (accrued_minor); one not yet received would relieve `accrued_for`.
std::vector<MatchLine> MatchInvoice(
    const v1::Invoice& invoice,
    const std::function<EvidenceState(std::string_view fact_id)>& evidence_of,
    const std::function<int64_t(const v1::InvoiceLine&)>& accrued_for);

// ---- The sponsor's unit-cost grid (grid.cc) ---------------------------------------------------

inline constexpr size_t kGridRatesMax = 200;

// Every rate names a kind the grid knows, a payee, a positive rate within the limit and a
// holdback of 0..100 %; no two rates for the same kind, site and visit type; the release (if
// any) is a kind of fact. InvalidArgument naming the rate ("rate 3: ...").
absl::Status ValidateGrid(const google::protobuf::RepeatedPtrField<v1::GridRate>& rates,
                          std::string_view holdback_released_by);

// An applied fact of the contract as the grid sees it.
struct GridFact {
  std::string fact_id, kind, site, subject, visit_type;
  int64_t date_ms = 0;
  bool replaces = false;  // a correction or a retraction: what the id accrued before is reversed
};

// The grid's per-fact records, kept by the caller (the ledger's state).
class GridStore {
 public:
  virtual ~GridStore() = default;
  virtual std::optional<v1::GridAccrual> Accrual(std::string_view fact_id) const = 0;
  virtual std::vector<std::string> SubjectFacts(std::string_view site,
                                                std::string_view subject) const = 0;
  virtual void Put(const v1::GridAccrual& accrual) = 0;
  virtual void AddSubjectFact(std::string_view site, std::string_view subject,
                              std::string_view fact_id) = 0;
};

// The sponsor's entries for one run's applied facts under the grid, numbered from context.seq:
// per fact the most specific rate (site and visit type, then either, then neither) is R&D
// expense, its holdback (rounded half up, once) to accrued_holdback and the rest to the payee's
// net position (prepaid consumed first, then accrued). A screen failure reverses the subject's
// enrolment and randomisation; a correction or retraction reverses what its id accrued. The
// release fact moves every payee's holdback into its accrual. `grid` keeps the payees' positions.
absl::StatusOr<std::vector<v1::JournalEntry>> PostGridFacts(v1::AccrualGrid* grid,
                                                            std::span<const GridFact> facts,
                                                            GridStore& store,
                                                            const EntryContext& context);

// What is still accrued, not yet invoiced, for `line`'s evidence facts with `payee` (each fact
// once; its holdback too once `grid` has released it).
int64_t GridAccruedFor(const v1::AccrualGrid& grid, const v1::InvoiceLine& line,
                       std::string_view payee, const GridStore& store);

// An invoice received under the grid (a CRO invoice when issued, an outside one on approval),
// dated `date_ms`: per line the accrual for its evidence is relieved; what it bills beyond (or
// short of) that is a change in estimate (R&D expense, the current open period), except that a
// CRO line nothing was accrued for is billed ahead of the work: prepaid. Cr accounts_payable.
// Marks `invoice` received, each line with what it relieved.
absl::StatusOr<v1::JournalEntry> PostGridInvoice(v1::AccrualGrid* grid, v1::Invoice* invoice,
                                                 GridStore& store, int64_t date_ms,
                                                 const EntryContext& context);

// ---- Reports -----------------------------------------------------------------------------------
// Over a book's journal entries in seq order (and, for the account map, its record). Money in
// minor units; the CLI formats it.

struct TrialBalanceLine {
  std::string account;
  std::string erp_code;     // "" when the book maps none
  int64_t debit_minor = 0;  // sum of debits through the period
  int64_t credit_minor = 0;
  int64_t balance_minor = 0;  // debit − credit
};
struct TrialBalance {
  std::string book, period, currency;
  std::vector<TrialBalanceLine> accounts;  // chart order; accounts with no postings left out
  int64_t total_debit_minor = 0, total_credit_minor = 0;
};
// Balances as of the end of `period` (every entry posted in it or before), in `currency`.
TrialBalance BuildTrialBalance(BookKind kind, const v1::BookRecord& book,
                               std::span<const v1::JournalEntry> entries, std::string_view period,
                               std::string_view currency);

struct RollforwardRow {
  std::string period;  // the group's name
  int64_t opening_contract_asset_minor = 0, opening_contract_liability_minor = 0;
  int64_t revenue_minor = 0;  // includes catch_up
  int64_t catch_up_minor = 0;
  int64_t billed_minor = 0;
  int64_t closing_contract_asset_minor = 0, closing_contract_liability_minor = 0;
  int64_t revenue_to_date_minor = 0, billed_to_date_minor = 0;
};
// One row per group from the contract's first posting to its last (groups without postings in
// between included), for one contract.
std::vector<RollforwardRow> BuildRollforward(std::span<const v1::JournalEntry> entries,
                                             std::string_view contract_id, PeriodGrouping grouping);

struct DisclosureRow {
  std::string period;
  int64_t revenue_from_opening_contract_liability_minor = 0;
  int64_t revenue_from_prior_period_obligations_minor = 0;  // catch-ups
  int64_t remaining_performance_obligations_minor = 0;      // price − revenue to date, at end
};
// Over every contract of the book, or one when `contract_id` is not empty.
std::vector<DisclosureRow> BuildDisclosures(std::span<const v1::JournalEntry> entries,
                                            std::string_view contract_id, PeriodGrouping grouping);

struct MirrorDifference {
  std::string measure;       // "expense", "accrued_liability" or "prepaid"
  int64_t amount_minor = 0;  // sponsor − CRO
  std::string reason;
};
struct MirrorRow {
  std::string period;
  int64_t sponsor_expense_minor = 0, cro_revenue_minor = 0;                   // in the group
  int64_t sponsor_accrued_liability_minor = 0, cro_contract_asset_minor = 0;  // at its end
  int64_t sponsor_prepaid_minor = 0, cro_contract_liability_minor = 0;        // at its end
  std::vector<MirrorDifference> differences;
};
// The tie-out of one contract's two books, group by group from the first posting in either to
// the last. Every difference comes with its reason.
// `sponsor_grid`: the sponsor accrues the contract by its own grid, the reason of any difference.
std::vector<MirrorRow> BuildMirror(std::span<const v1::JournalEntry> cro_entries,
                                   std::span<const v1::JournalEntry> sponsor_entries,
                                   PeriodGrouping grouping, bool sponsor_grid = false);

struct AccrualRow {
  std::string contract_id, payee, currency;
  int64_t opening_accrual_minor = 0;  // accrued less prepaid at the group's start
  int64_t expense_minor = 0;          // R&D expense in the group, its true-ups included
  int64_t invoiced_minor = 0;         // invoices received: payable credited
  int64_t paid_minor = 0;             // payable settled in cash
  int64_t true_ups_minor = 0;         // changes in estimate booked in the group
  int64_t closing_accrual_minor = 0;  // accrued less prepaid at the group's end
  int64_t opening_holdback_minor = 0, holdback_minor = 0;  // accrued holdback, start and end
  int64_t payable_minor = 0;  // owed at the group's end: invoiced less paid to date
};
struct AccrualPeriod {
  std::string period;
  std::vector<AccrualRow> rows;  // by contract, then payee; a row with nothing in it left out
};
// The sponsor's accruals roll-forward, group by group from the book's first posting to its last,
// per contract and payee. By double entry, closing accrual = opening accrual + expense −
// invoiced − the holdback's growth, and payable grows by invoiced less paid: both checked.
std::vector<AccrualPeriod> BuildAccruals(std::span<const v1::JournalEntry> sponsor_entries,
                                         PeriodGrouping grouping);

}  // namespace tl::books
