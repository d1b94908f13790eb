#include "ctms_record.h"

#include <algorithm>
#include <array>

#include "fact_rules.h"
#include "feed_time.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/sow_text.h"
#include "trialledger/feeds/limits.h"

namespace tl::feeds::internal {
namespace {

namespace v1 = ::trialledger::v1;

// What a kind takes besides the fields every record has.
enum Takes : unsigned { kNothing = 0, kSite = 1, kCategory = 2, kAmount = 4 };

struct Parsed {
  std::string site, category;
  int64_t amount_minor = 0;
  int64_t date_ms = 0;
};

struct KindRule {
  std::string_view name;
  unsigned takes;
  void (*fill)(const Parsed& parsed, const std::string& currency, v1::Fact* fact);
};

void FillSite(v1::SiteFact* site, const Parsed& parsed) {
  site->set_site(parsed.site);
  site->set_date_ms(parsed.date_ms);
}

// A site initiation visit is the first monitoring visit at a site: facts.proto has one kind for
// both, and the record_id tells them apart.
constexpr std::array<KindRule, 10> kKinds = {{
    {"site_activated", kSite,
     [](const Parsed& p, const std::string&, v1::Fact* f) {
       FillSite(f->mutable_site_activated(), p);
     }},
    {"site_closed", kSite,
     [](const Parsed& p, const std::string&, v1::Fact* f) {
       FillSite(f->mutable_site_closed(), p);
     }},
    {"site_initiation_visit", kSite,
     [](const Parsed& p, const std::string&, v1::Fact* f) {
       FillSite(f->mutable_monitoring_visit(), p);
     }},
    {"monitoring_visit", kSite,
     [](const Parsed& p, const std::string&, v1::Fact* f) {
       FillSite(f->mutable_monitoring_visit(), p);
     }},
    {"first_patient_in", kNothing,
     [](const Parsed& p, const std::string&, v1::Fact* f) {
       f->mutable_first_patient_in()->set_date_ms(p.date_ms);
     }},
    {"last_patient_last_visit", kNothing,
     [](const Parsed& p, const std::string&, v1::Fact* f) {
       f->mutable_last_patient_last_visit()->set_date_ms(p.date_ms);
     }},
    {"database_lock", kNothing,
     [](const Parsed& p, const std::string&, v1::Fact* f) {
       f->mutable_database_lock()->set_date_ms(p.date_ms);
     }},
    {"cost_incurred", kCategory | kAmount,
     [](const Parsed& p, const std::string& currency, v1::Fact* f) {
       v1::CostIncurred* cost = f->mutable_cost_incurred();
       cost->set_category(p.category);
       cost->mutable_amount()->set_currency(currency);
       cost->mutable_amount()->set_amount_minor(p.amount_minor);
       cost->set_date_ms(p.date_ms);
     }},
    {"estimate_at_completion", kAmount,
     [](const Parsed& p, const std::string& currency, v1::Fact* f) {
       v1::EstimateAtCompletion* estimate = f->mutable_estimate_at_completion();
       estimate->mutable_amount()->set_currency(currency);
       estimate->mutable_amount()->set_amount_minor(p.amount_minor);
       estimate->set_date_ms(p.date_ms);
     }},
    // The source record was deleted: reverses the earlier fact with this record_id.
    {"retracted", kNothing,
     [](const Parsed& p, const std::string&, v1::Fact* f) {
       f->mutable_retracted()->set_date_ms(p.date_ms);
     }},
}};

constexpr std::array<std::string_view, 4> kRequiredColumns = {"record_id", "kind", "date",
                                                              "updated_at"};
constexpr std::array<std::string_view, 12> kFields = {
    "record_id", "kind",     "date", "updated_at", "site",       "category",
    "amount",    "currency", "user", "reason",     "correction", "study"};

std::string FieldError(const CtmsRecord& record, std::string_view field, std::string_view why) {
  auto found = record.fields.find(std::string(field));
  if (found != record.fields.end() && found->second.column > 0) {
    return StrCat("field '", field, "' (column ", found->second.column, "): ", why);
  }
  return StrCat("field '", field, "': ", why);
}

const std::string* Field(const CtmsRecord& record, std::string_view name) {
  auto found = record.fields.find(std::string(name));
  return found == record.fields.end() ? nullptr : &found->second.text;
}

}  // namespace

bool IsCtmsField(const std::string& name) {
  return std::find(kFields.begin(), kFields.end(), name) != kFields.end();
}

bool IsRequiredCtmsColumn(const std::string& name) {
  return std::find(kRequiredColumns.begin(), kRequiredColumns.end(), name) !=
         kRequiredColumns.end();
}

absl::Status CtmsCollector::CheckOptions(const CtmsOptions& options) {
  if (options.source_system.empty()) {
    return absl::InvalidArgumentError("a CTMS import needs a source_system");
  }
  if (!contracts::IsCurrencyCode(options.currency)) {
    return absl::InvalidArgumentError(StrCat("the contract currency '", options.currency,
                                             "' is not a three-letter ISO 4217 code"));
  }
  return absl::OkStatus();
}

absl::Status CtmsCollector::CheckInput(const CtmsOptions& options, std::string_view text,
                                       const Reporter& reporter) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  if (text.size() > limits::kFeedFileBytesMax) {
    return reporter.Fatal(0,
                          StrCat("a feed file is at most ", limits::kFeedFileBytesMax, " bytes"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Fact> CtmsCollector::ToFact(const CtmsRecord& record) const {
  auto error = [&](std::string_view field, std::string_view why) {
    return absl::InvalidArgumentError(FieldError(record, field, why));
  };
  for (std::string_view required : kRequiredColumns) {
    if (Field(record, required) == nullptr) return error(required, "is missing or empty");
  }
  const std::string& kind_name = *Field(record, "kind");
  auto rule = std::find_if(kKinds.begin(), kKinds.end(),
                           [&](const KindRule& kind) { return kind.name == kind_name; });
  if (rule == kKinds.end()) {
    std::vector<std::string_view> names;
    for (const KindRule& kind : kKinds)
      names.push_back(kind.name);
    return error(
        "kind", StrCat("unknown kind '", kind_name, "' (expected one of ", Join(names, ", "), ")"));
  }
  Parsed parsed;
  std::optional<int64_t> date = ParseIsoDate(*Field(record, "date"));
  if (!date)
    return error("date", StrCat("expected a date YYYY-MM-DD, got '", *Field(record, "date"), "'"));
  parsed.date_ms = *date;
  std::string why;
  std::optional<Timestamp> updated = ParseTimestamp(*Field(record, "updated_at"), &why);
  if (!updated) return error("updated_at", why);
  if (!updated->offset_seconds) {
    return error("updated_at", "needs Z or ±hh:mm (a CTMS record names no site time zone)");
  }
  absl::StatusOr<BusinessTime> instant =
      ToBusinessTime(*updated, absl::UTCTimeZone(), absl::UTCTimeZone());
  if (!instant.ok()) return error("updated_at", MessageOf(instant.status()));

  // Each optional field must be given exactly when the kind takes it.
  for (auto [field, flag] : {std::pair<std::string_view, unsigned>{"site", kSite},
                             {"category", kCategory},
                             {"amount", kAmount}}) {
    const bool takes = (rule->takes & flag) != 0;
    const bool given = Field(record, field) != nullptr;
    if (takes && !given) return error(field, StrCat("is required for ", rule->name));
    if (!takes && given) return error(field, StrCat("does not apply to ", rule->name));
  }
  if (const std::string* site = Field(record, "site")) parsed.site = *site;
  if (const std::string* category = Field(record, "category")) parsed.category = *category;
  if (const std::string* currency = Field(record, "currency")) {
    if ((rule->takes & kAmount) == 0)
      return error("currency", StrCat("does not apply to ", rule->name));
    if (*currency != options_.currency) {
      return error("currency",
                   StrCat("is ", *currency, "; the contract's currency is ", options_.currency));
    }
  }
  if (const std::string* amount = Field(record, "amount")) {
    std::optional<int64_t> minor = contracts::ParseDecimalMinor(*amount, options_.currency, &why);
    if (!minor) return error("amount", why);
    if (*minor <= 0) {
      return error("amount", "must be positive (a credit corrects the original record instead)");
    }
    parsed.amount_minor = *minor;
  }
  bool correction = record.correction.value_or(false);
  if (const std::string* text = Field(record, "correction")) {
    if (*text != "true" && *text != "false") return error("correction", "must be true or false");
    correction = *text == "true";
  }

  v1::Fact fact;
  fact.set_source_system(options_.source_system);
  fact.set_source_record_id(*Field(record, "record_id"));
  fact.set_source_timestamp_ms(instant->instant_ms);
  if (const std::string* user = Field(record, "user")) fact.mutable_audit()->set_user(*user);
  if (const std::string* reason = Field(record, "reason"))
    fact.mutable_audit()->set_reason(*reason);
  const std::string* study = Field(record, "study");
  if (study != nullptr || !options_.study.empty()) {
    fact.set_study(study != nullptr ? *study : options_.study);
  }
  fact.set_correction(correction);
  rule->fill(parsed, options_.currency, &fact);
  if (absl::Status shape = CheckFactShape(fact); !shape.ok()) return shape;
  return fact;
}

absl::Status CtmsCollector::Add(const CtmsRecord& record) {
  ++result_->report.records_read;
  const std::string* id = Field(record, "record_id");
  const std::string what = id == nullptr
                               ? record.where
                               : (record.where.empty() ? StrCat("record_id ", *id)
                                                       : StrCat(record.where, ", record_id ", *id));
  absl::StatusOr<v1::Fact> fact = ToFact(record);
  if (!fact.ok()) return reporter_.Skip(record.line, what, MessageOf(fact.status()));
  // The record_id is the idempotency key: two records with one id in one file would make the
  // ledger keep whichever came first, unless the later one says it corrects the earlier.
  auto [first, inserted] = first_use_.emplace(*id, record.line);
  if (!inserted && !fact->correction()) {
    return reporter_.Skip(record.line, what,
                          first->second > 0
                              ? StrCat("record_id is already used at line ", first->second,
                                       " (a change to a record needs correction=true)")
                              : "record_id is already used by an earlier record (a change to a "
                                "record needs correction=true)");
  }
  FactOrigin origin;
  origin.line = record.line;
  origin.source_id = *id;
  origin.audit_time = *Field(record, "updated_at");
  origin.key = *id;
  result_->facts.push_back({*std::move(fact), std::move(origin)});
  return absl::OkStatus();
}

}  // namespace tl::feeds::internal
