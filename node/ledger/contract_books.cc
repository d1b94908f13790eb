#include "contract_books.h"

#include <algorithm>
#include <map>

#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/books/books.h"
#include "trialledger/contracts/fact_kinds.h"
#include "trialledger/contracts/fact_payload.h"
#include "trialledger/contracts/lifecycle.h"
#include "trialledger/ledger/book_records.h"

namespace tl::ledger {
namespace {

std::string TextOf(const v1::ContractEvent& event, std::string_view name) {
  for (const v1::EventField& field : event.fields()) {
    if (field.name() == name && field.value_case() == v1::EventField::kText) return field.text();
  }
  return "";
}

// The "fact" field most contract events carry: the id of the fact being processed.
std::string FactFieldOf(const v1::ContractEvent& event) {
  return TextOf(event, "fact");
}

// The facts a site's activation released (`fact_released` events naming it) and the contract
// applied, as the grid sees them: they count from the activation, on its date (as the CRO's
// units do), in the order released.
void AddReleasedFacts(const std::string& activation_id, int64_t activation_date_ms,
                      const std::vector<v1::EventRecord>& events,
                      std::vector<books::GridFact>& facts) {
  for (const v1::EventRecord& stored : events) {
    const v1::ContractEvent& event = stored.event();
    if (event.name() != "fact_released" || TextOf(event, "fact") != activation_id ||
        TextOf(event, "outcome") != "applied") {
      continue;
    }
    books::GridFact& released = facts.emplace_back();
    released.fact_id = TextOf(event, "released");
    released.kind = TextOf(event, "kind");
    released.site = TextOf(event, "site");
    released.subject = TextOf(event, "subject");
    if (released.kind == contracts::FactKindName(contracts::FactKind::kVisitCompleted)) {
      released.visit_type = TextOf(event, "detail");
    }
    released.date_ms = activation_date_ms;
  }
}

// The facts the contract applied, as the sponsor's grid sees them.
std::vector<books::GridFact> GridFactsOf(const v1::FactBatch& batch,
                                         const v1::ContractOutcome& outcome,
                                         const std::vector<v1::EventRecord>& events) {
  std::vector<books::GridFact> facts;
  for (int i = 0; i < batch.facts_size() && i < outcome.facts_size(); ++i) {
    const v1::FactOutcomeCode code = outcome.facts(i).code();
    if (code != v1::FACT_APPLIED && code != v1::FACT_CORRECTED) continue;
    const v1::Fact& fact = batch.facts(i);
    std::optional<contracts::FactKind> kind = contracts::FactKindOf(fact);
    if (!kind.has_value()) continue;
    books::GridFact& grid_fact = facts.emplace_back();
    grid_fact.fact_id = contracts::FactId(fact);
    grid_fact.kind = std::string(contracts::FactKindName(*kind));
    grid_fact.date_ms = StartOfDayMs(contracts::FactDateMs(fact).value_or(0));
    grid_fact.replaces = code == v1::FACT_CORRECTED || fact.has_retracted();
    const v1::SubjectFact* subject = nullptr;
    switch (fact.kind_case()) {
      case v1::Fact::kSubjectScreened:
        subject = &fact.subject_screened();
        break;
      case v1::Fact::kSubjectEnrolled:
        subject = &fact.subject_enrolled();
        break;
      case v1::Fact::kSubjectRandomized:
        subject = &fact.subject_randomized();
        break;
      case v1::Fact::kSubjectScreenFailed:
        subject = &fact.subject_screen_failed();
        break;
      case v1::Fact::kSubjectWithdrawn:
        subject = &fact.subject_withdrawn();
        break;
      case v1::Fact::kSubjectCompleted:
        subject = &fact.subject_completed();
        break;
      case v1::Fact::kVisitCompleted:
        grid_fact.site = fact.visit_completed().site();
        grid_fact.subject = fact.visit_completed().subject();
        grid_fact.visit_type = fact.visit_completed().visit_type();
        break;
      case v1::Fact::kSiteActivated:
        grid_fact.site = fact.site_activated().site();
        break;
      case v1::Fact::kSiteClosed:
        grid_fact.site = fact.site_closed().site();
        break;
      case v1::Fact::kMonitoringVisit:
        grid_fact.site = fact.monitoring_visit().site();
        break;
      default:
        break;
    }
    if (subject != nullptr) {
      grid_fact.site = subject->site();
      grid_fact.subject = subject->subject();
    }
    if (*kind == contracts::FactKind::kSiteActivated) {
      // `grid_fact` may move when `facts` grows: copy what the released facts need first.
      const std::string activation_id = grid_fact.fact_id;
      AddReleasedFacts(activation_id, grid_fact.date_ms, events, facts);
    }
  }
  return facts;
}

// The CRO's contract figures in `position`: revenue to date over every obligation, billed.
books::CroFigures FiguresOf(const v1::ContractBooks& position) {
  books::CroFigures figures;
  for (const v1::NamedAmount& revenue : position.revenue_to_date()) {
    figures.revenue_to_date_minor += revenue.amount_minor();
  }
  figures.billed_to_date_minor = position.billed_to_date_minor();
  return figures;
}

// Where the sponsor's next entries go, carrying the CRO's current figures of the contract.
books::EntryContext SponsorEntries(const ContractRun& run, const v1::BookRecord& book,
                                   const v1::ContractBooks& position) {
  books::EntryContext context;
  context.book = book.book();
  context.contract_id = run.record.contract_id();
  context.closed_through = book.closed_through();
  context.tx_id = run.tx_id;
  context.height = run.context.height;
  context.seq = book.entry_count() + 1;
  context.transaction_price_minor = position.transaction_price_minor();
  const books::CroFigures figures = FiguresOf(position);
  context.revenue_to_date_minor = figures.revenue_to_date_minor;
  context.billed_to_date_minor = figures.billed_to_date_minor;
  return context;
}

// The sponsor's side of the same run, in the same write set, so the two books never disagree
// about a block: under its grid, the facts' accruals and the CRO invoice received against them;
// otherwise the mirror of the CRO's entries.
absl::Status PostSponsor(const ContractRun& run, books::CroFigures before,
                         const books::Posting& cro, std::optional<v1::Invoice>& invoice,
                         const std::vector<books::GridFact>& grid_facts, StateOverlay& state) {
  const std::string& sponsor = run.record.sponsor();
  std::optional<v1::BookRecord> book = ReadBook(state, sponsor);
  if (!book.has_value()) {
    return absl::DataLossError(StrCat("the sponsor '", sponsor, "' of contract ",
                                      run.record.contract_id(), " has no book record"));
  }
  std::vector<v1::JournalEntry> entries;
  absl::Status posted = absl::OkStatus();
  if (std::optional<v1::AccrualGrid> grid = ReadAccrualGrid(state, run.record.contract_id())) {
    StateGridStore store(state, run.record.contract_id());
    absl::StatusOr<std::vector<v1::JournalEntry>> accrued =
        books::PostGridFacts(&*grid, grid_facts, store, SponsorEntries(run, *book, cro.position));
    if (!accrued.ok()) {
      posted = accrued.status();
    } else {
      entries = *std::move(accrued);
      if (invoice.has_value()) {
        books::EntryContext context = SponsorEntries(run, *book, cro.position);
        context.seq += entries.size();
        absl::StatusOr<v1::JournalEntry> received =
            books::PostGridInvoice(&*grid, &*invoice, store, invoice->date_ms(), context);
        if (received.ok()) entries.push_back(*std::move(received));
        posted = received.status();
      }
    }
    WriteAccrualGrid(*grid, state);
  } else {
    books::SponsorContext context;
    context.book = sponsor;
    context.closed_through = book->closed_through();
    context.next_seq = book->entry_count() + 1;
    absl::StatusOr<std::vector<v1::JournalEntry>> mirrored =
        books::PostSponsorMirror(cro.entries, before, context);
    if (mirrored.ok()) entries = *std::move(mirrored);
    posted = mirrored.status();
  }
  if (!posted.ok()) {
    return absl::DataLossError(StrCat("the sponsor's books of contract ", run.record.contract_id(),
                                      ": ", posted.message()));
  }
  if (absl::Status appended = AppendEntries(entries, *book, state); !appended.ok()) {
    return appended;
  }
  WriteBook(*book, state);
  return absl::OkStatus();
}

// Posts `events` with their causes to the CRO's book, and their mirror to the sponsor's, and
// stores the result.
absl::Status Post(const ContractRun& run, v1::ContractBooks position,
                  const std::vector<books::CroEvent>& events,
                  const std::vector<books::GridFact>& grid_facts, StateOverlay& state) {
  const std::string& cro = run.record.cro();
  std::optional<v1::BookRecord> book = ReadBook(state, cro);
  if (!book.has_value()) {
    return absl::DataLossError(StrCat("the CRO '", cro, "' of contract ", run.record.contract_id(),
                                      " has no book record"));
  }
  books::PostingContext context;
  context.book = cro;
  context.contract_id = run.record.contract_id();
  context.tx_id = run.tx_id;
  context.height = run.context.height;
  context.closed_through = book->closed_through();
  context.next_seq = book->entry_count() + 1;
  const books::CroFigures before = FiguresOf(position);
  absl::StatusOr<books::Posting> posted =
      books::PostCroEvents(books::TermsOf(run.terms), std::move(position), events, context);
  if (!posted.ok()) {
    if (IsBooksRefusal(posted.status())) return posted.status();
    return absl::DataLossError(StrCat("the books of contract ", run.record.contract_id(), ": ",
                                      posted.status().message()));
  }
  if (absl::Status appended = AppendEntries(posted->entries, *book, state); !appended.ok()) {
    return appended;
  }
  // What the run billed is one invoice of the CRO's, numbered by its book.
  books::InvoiceContext invoicing;
  invoicing.issuer = cro;
  invoicing.payer = run.record.sponsor();
  invoicing.contract_id = run.record.contract_id();
  invoicing.currency = posted->position.currency();
  invoicing.tx_id = run.tx_id;
  invoicing.height = run.context.height;
  invoicing.number = book->invoice_count() + 1;
  std::optional<v1::Invoice> invoice = books::InvoiceOfRun(posted->entries, events, invoicing);
  if (invoice.has_value()) book->set_invoice_count(invoicing.number);
  WriteBook(*book, state);
  WriteContractBooks(posted->position, state);
  // The sponsor receives the invoice in the same block; what each line relieved is kept on it.
  if (absl::Status s = PostSponsor(run, before, *posted, invoice, grid_facts, state); !s.ok()) {
    return s;
  }
  if (invoice.has_value()) WriteInvoice(*invoice, state);
  return absl::OkStatus();
}

}  // namespace

bool IsBooksRefusal(const absl::Status& status) {
  return absl::IsInvalidArgument(status) || absl::IsFailedPrecondition(status);
}

absl::Status PostVersionRun(const ContractRun& run, int64_t effective_date_ms,
                            StateOverlay& state) {
  if (!run.context.post_books) return absl::OkStatus();
  std::optional<v1::ContractBooks> existing = ReadContractBooks(state, run.record.contract_id());
  v1::ContractBooks position;
  if (existing.has_value()) {
    if (effective_date_ms < existing->latest_fact_date_ms()) {
      return absl::FailedPreconditionError(
          StrCat("the change order takes effect on ", FormatIsoDate(effective_date_ms),
                 ", before facts already applied (the latest dated ",
                 FormatIsoDate(existing->latest_fact_date_ms()), ")"));
    }
    position = *std::move(existing);
    position.set_effective_date_ms(effective_date_ms);
  } else {
    position = books::NewContractBooks(run.record.contract_id(), books::TermsOf(run.terms),
                                       effective_date_ms);
  }
  std::vector<books::CroEvent> events;
  for (const v1::EventRecord& stored : run.events) {
    events.push_back({stored.event(), stored.seq(), {"", effective_date_ms}});
  }
  return Post(run, std::move(position), events, {}, state);
}

absl::Status PostFactsRun(const ContractRun& run, const v1::FactBatch& batch,
                          const v1::ContractOutcome& outcome, StateOverlay& state) {
  if (!run.context.post_books) return absl::OkStatus();
  std::optional<v1::ContractBooks> position = ReadContractBooks(state, run.record.contract_id());
  if (!position.has_value()) {
    return absl::DataLossError(
        StrCat("active contract ", run.record.contract_id(), " has no books record"));
  }
  // Each fact's business date, by id; a later fact with the same id (a correction) wins.
  std::map<std::string, int64_t> dates;
  for (const v1::Fact& fact : batch.facts()) {
    std::optional<int64_t> date = contracts::FactDateMs(fact);
    if (!date.has_value()) continue;
    dates[contracts::FactId(fact)] = StartOfDayMs(*date);
    position->set_latest_fact_date_ms(
        std::max(position->latest_fact_date_ms(), StartOfDayMs(*date)));
  }
  // An event that names no fact follows the one before it (an invoice after the milestone that
  // raised it, progress after the cost); the first ones belong to the batch's first fact.
  books::EventCause cause;
  if (!batch.facts().empty()) {
    cause.fact_id = contracts::FactId(batch.facts(0));
    cause.effective_date_ms = dates.contains(cause.fact_id) ? dates[cause.fact_id] : 0;
  }
  std::vector<books::CroEvent> events;
  for (const v1::EventRecord& stored : run.events) {
    std::string fact = FactFieldOf(stored.event());
    if (auto found = dates.find(fact); found != dates.end()) {
      cause = {fact, found->second};
    }
    events.push_back({stored.event(), stored.seq(), cause});
  }
  return Post(run, *std::move(position), events, GridFactsOf(batch, outcome, run.events), state);
}

}  // namespace tl::ledger
