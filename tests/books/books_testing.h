// Helpers for the books' tests: contract events as the contract emits them, a contract whose
// runs are posted one after another (keeping the position and the journal), and the tests' own
// arithmetic (never the library's) for expected figures.
#pragma once

#include <gtest/gtest.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <cstdint>
#include <string>
#include <vector>

#include "trialledger/base/civil_date.h"
#include "trialledger/books/books.h"

namespace tl::books::testing {

inline constexpr std::string_view kUsd = "USD";

// Whole dollars in cents.
constexpr int64_t Usd(int64_t dollars) {
  return dollars * 100;
}

// 00:00 UTC of an ISO date ("2026-03-31"), plus `hour` hours.
inline int64_t Day(std::string_view iso, int64_t hour = 0) {
  const std::optional<int64_t> ms = ParseIsoDate(iso);
  EXPECT_TRUE(ms.has_value()) << iso;
  return ms.value_or(0) + hour * 3'600'000;
}

// round_half_away_from_zero(amount × numerator / denominator) with the test's own integers.
inline int64_t ExpectedRound(int64_t amount, int64_t numerator, int64_t denominator) {
  __int128 product = static_cast<__int128>(amount) * numerator;
  const bool negative = product < 0;
  if (negative) product = -product;
  const __int128 rounded = (2 * product + denominator) / (2 * denominator);
  return static_cast<int64_t>(negative ? -rounded : rounded);
}

inline v1::EventField Text(std::string name, std::string text) {
  v1::EventField field;
  field.set_name(std::move(name));
  field.set_text(std::move(text));
  return field;
}
inline v1::EventField Money(std::string name, int64_t amount_minor,
                            std::string_view currency = kUsd) {
  v1::EventField field;
  field.set_name(std::move(name));
  field.mutable_money()->set_currency(std::string(currency));
  field.mutable_money()->set_amount_minor(amount_minor);
  return field;
}
inline v1::EventField Int(std::string name, int64_t value) {
  v1::EventField field;
  field.set_name(std::move(name));
  field.set_int_value(value);
  return field;
}

// An event caused on `date_ms` by `fact_id` ("" for the contract or a change order itself).
// event_seq is set when the event is posted (Contract::Post).
inline CroEvent Event(std::string name, std::vector<v1::EventField> fields, int64_t date_ms,
                      std::string fact_id = "") {
  CroEvent event;
  event.event.set_name(std::move(name));
  for (v1::EventField& field : fields)
    *event.event.add_fields() = std::move(field);
  event.cause = {std::move(fact_id), date_ms};
  return event;
}

inline CroEvent Cost(int64_t date_ms, int64_t amount_minor, std::string pass_through = "",
                     std::string fact = "erp/C") {
  return Event(
      "cost_incurred",
      {Text("category", pass_through.empty() ? "labour" : "investigator_grant"),
       Money("amount", amount_minor), Text("pass_through", pass_through), Text("fact", fact)},
      date_ms, fact);
}
inline CroEvent Estimate(int64_t date_ms, int64_t amount_minor) {
  return Event("estimate_updated", {Money("amount", amount_minor), Text("fact", "erp/EAC")},
               date_ms, "erp/EAC");
}
inline CroEvent Achieved(int64_t date_ms, std::string milestone, int64_t amount_minor,
                         std::string kind = "milestone") {
  return Event("milestone_achieved",
               {Text("milestone", milestone), Text("kind", kind), Money("amount", amount_minor),
                Text("fact", "edc/" + milestone)},
               date_ms, "edc/" + milestone);
}
// milestone_reversed: a correction took away what achieved the milestone.
inline CroEvent Reversed(int64_t date_ms, std::string milestone, int64_t amount_minor,
                         std::string kind = "milestone") {
  return Event("milestone_reversed",
               {Text("milestone", milestone), Text("kind", kind), Money("amount", amount_minor),
                Text("fact", "edc/" + milestone)},
               date_ms, "edc/" + milestone);
}
inline CroEvent Invoice(int64_t date_ms, std::string item, int64_t gross_minor,
                        int64_t holdback_minor = 0) {
  return Event("invoice_due",
               {Text("item", item), Money("gross", gross_minor), Money("holdback", holdback_minor),
                Money("net", gross_minor - holdback_minor)},
               date_ms);
}
inline CroEvent Withheld(int64_t date_ms, std::string item, int64_t amount_minor) {
  return Event("holdback_withheld",
               {Text("holdback", "retainage"), Text("item", item), Money("amount", amount_minor)},
               date_ms);
}
inline CroEvent Released(int64_t date_ms, std::string item, int64_t amount_minor) {
  return Event("constraint_released",
               {Text("item", item), Money("amount", amount_minor), Text("fact", "edc/R")}, date_ms,
               "edc/R");
}
inline CroEvent Lapsed(int64_t date_ms, std::string item) {
  return Event("incentive_lapsed", {Text("item", item), Text("fact", "clock")}, date_ms);
}
inline CroEvent Amended(int64_t date_ms, int64_t from_version, int64_t to_version) {
  return Event("contract_amended",
               {Int("from_version", from_version), Int("to_version", to_version)}, date_ms);
}
// `amount_minor` as the contract reports it: positive for both (units_reversed reports the
// amount taken back).
inline CroEvent Units(int64_t date_ms, bool reversed, std::string fee, int64_t units,
                      int64_t rate_minor, std::string fact = "edc/U") {
  return Event(reversed ? "units_reversed" : "units_earned",
               {Text("fee", fee), Int("units", units), Money("rate", rate_minor),
                Money("amount", units * rate_minor), Int("total_units", 0), Text("fact", fact)},
               date_ms, fact);
}

// A contract in the CRO's book, mirrored in the sponsor's (the mirror measure): each Post is one
// transaction (one contract run).
struct Contract {
  explicit Contract(ContractTerms initial, int64_t effective_date_ms = 0, std::string id = "c-1")
      : terms(std::move(initial)),
        contract_id(std::move(id)),
        position(NewContractBooks(contract_id, terms, effective_date_ms)) {}

  absl::StatusOr<Posting> TryPost(std::vector<CroEvent> events) {
    for (CroEvent& event : events)
      event.event_seq = next_event_seq++;
    PostingContext context;
    context.book = book;
    context.contract_id = contract_id;
    context.tx_id = std::string(31, '\xab') + static_cast<char>(height);
    context.height = height++;
    context.closed_through = closed_through;
    context.next_seq = journal.size() + 1;
    return PostCroEvents(terms, position, events, context);
  }

  // Posts and keeps the result, the sponsor's mirror too; returns this run's CRO entries.
  std::vector<v1::JournalEntry> Post(std::vector<CroEvent> events) {
    const CroFigures before{RevenueToDate(), position.billed_to_date_minor()};
    absl::StatusOr<Posting> posted = TryPost(std::move(events));
    EXPECT_TRUE(posted.ok()) << posted.status();
    if (!posted.ok()) return {};
    position = posted->position;
    journal.insert(journal.end(), posted->entries.begin(), posted->entries.end());
    SponsorContext sponsor;
    sponsor.book = sponsor_book;
    sponsor.closed_through = sponsor_closed_through;
    sponsor.next_seq = sponsor_journal.size() + 1;
    absl::StatusOr<std::vector<v1::JournalEntry>> mirrored =
        PostSponsorMirror(posted->entries, before, sponsor);
    EXPECT_TRUE(mirrored.ok()) << mirrored.status();
    if (mirrored.ok()) {
      sponsor_journal.insert(sponsor_journal.end(), mirrored->begin(), mirrored->end());
    }
    return posted->entries;
  }

  int64_t RevenueToDate() const {
    int64_t total = 0;
    for (const v1::NamedAmount& revenue : position.revenue_to_date()) {
      total += revenue.amount_minor();
    }
    return total;
  }

  std::string book = "northwind-cro";
  ContractTerms terms;
  std::string contract_id;
  v1::ContractBooks position;
  std::vector<v1::JournalEntry> journal;
  uint64_t next_event_seq = 1;
  uint64_t height = 1;
  std::string closed_through;
  std::string sponsor_book = "acme-bio";
  std::vector<v1::JournalEntry> sponsor_journal;
  std::string sponsor_closed_through;
};

// What an entry does to an account: debit − credit.
// A message's bytes in deterministic serialization: what "the same bytes twice" compares.
inline std::string Deterministic(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

inline int64_t Net(const v1::JournalEntry& entry, std::string_view account) {
  int64_t net = 0;
  for (const v1::JournalLine& line : entry.lines()) {
    if (line.account() == account) net += line.debit_minor() - line.credit_minor();
  }
  return net;
}

// A one-obligation-per-call builder for terms.
inline ContractTerms Terms(std::vector<ObligationTerms> obligations) {
  ContractTerms terms;
  terms.sponsor = "acme-bio";
  terms.cro = "northwind-cro";
  terms.currency = std::string(kUsd);
  terms.version = 1;
  terms.obligations = std::move(obligations);
  return terms;
}

}  // namespace tl::books::testing
