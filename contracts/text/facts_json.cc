#include "trialledger/contracts/facts_json.h"

#include <nlohmann/json.hpp>
#include <set>

#include "trialledger/base/str_cat.h"

#include "trialledger/contracts/fact_kinds.h"
#include "trialledger/contracts/sow_text.h"

namespace tl::contracts {
namespace {

using json = nlohmann::json;
using trialledger::v1::Fact;

// A fault in one fact, carried to ParseFactsJson which adds the file name and index.
struct FieldError {
  std::string field;
  std::string message;
};

std::string Text(const json& object, const std::string& field, bool required) {
  auto it = object.find(field);
  if (it == object.end()) {
    if (required) throw FieldError{field, "is required"};
    return "";
  }
  if (!it->is_string()) throw FieldError{field, "must be text"};
  return it->get<std::string>();
}

int64_t Date(const json& object) {
  const std::string text = Text(object, "date", true);
  std::optional<int64_t> ms = ParseIsoDate(text);
  if (!ms) throw FieldError{"date", StrCat("expected a date YYYY-MM-DD, got \"", text, "\"")};
  return *ms;
}

void SetMoney(const json& object, trialledger::v1::Money* money) {
  const std::string text = Text(object, "amount", true);
  std::string currency, why;
  std::optional<int64_t> minor = ParseMoneyText(text, &currency, &why);
  if (!minor) throw FieldError{"amount", StrCat(why, ", got \"", text, "\"")};
  money->set_currency(currency);
  money->set_amount_minor(*minor);
}

// The fields a kind takes beyond the common ones.
std::set<std::string> KindFields(FactKind kind) {
  std::set<std::string> fields = {"date"};
  if (FactHasSite(kind)) fields.insert("site");
  if (FactHasSubject(kind)) fields.insert("subject");
  if (kind == FactKind::kVisitCompleted) fields.insert("visit_type");
  if (kind == FactKind::kCostIncurred) fields.insert("category");
  if (kind == FactKind::kMilestoneConfirmed) fields.insert("milestone");
  if (FactHasAmount(kind)) fields.insert("amount");
  return fields;
}

Fact ParseFact(const json& object) {
  if (!object.is_object()) throw FieldError{"", "must be an object"};
  const std::string kind_name = Text(object, "kind", true);
  std::optional<FactKind> kind = FactKindFromName(kind_name);
  if (!kind) throw FieldError{"kind", StrCat("unknown fact kind \"", kind_name, "\"")};
  const std::set<std::string> common = {
      "kind",       "source_system", "source_record_id", "source_timestamp", "audit",
      "correction", "study"};
  const std::set<std::string> specific = KindFields(*kind);
  for (const auto& [key, value] : object.items()) {
    if (common.count(key) == 0 && specific.count(key) == 0) {
      throw FieldError{key, StrCat("does not apply to ", kind_name, " facts (they take ",
                                   Join(specific, ", "), ")")};
    }
  }
  Fact fact;
  fact.set_source_system(Text(object, "source_system", true));
  fact.set_source_record_id(Text(object, "source_record_id", true));
  const std::string stamp = Text(object, "source_timestamp", true);
  std::optional<int64_t> stamp_ms = ParseIsoTimestamp(stamp);
  if (!stamp_ms) {
    throw FieldError{"source_timestamp",
                     StrCat("expected YYYY-MM-DDTHH:MM:SSZ, got \"", stamp, "\"")};
  }
  fact.set_source_timestamp_ms(*stamp_ms);
  fact.set_study(Text(object, "study", false));
  if (auto it = object.find("correction"); it != object.end()) {
    if (!it->is_boolean()) throw FieldError{"correction", "must be true or false"};
    fact.set_correction(it->get<bool>());
  }
  if (auto it = object.find("audit"); it != object.end()) {
    if (!it->is_object()) throw FieldError{"audit", "must be an object with user and reason"};
    for (const auto& [key, value] : it->items()) {
      if (key != "user" && key != "reason") throw FieldError{"audit." + key, "is not a field"};
    }
    try {
      fact.mutable_audit()->set_user(Text(*it, "user", false));
      fact.mutable_audit()->set_reason(Text(*it, "reason", false));
    } catch (FieldError& error) {
      error.field = "audit." + error.field;
      throw;
    }
  }
  const int64_t date = Date(object);
  auto subject = [&](trialledger::v1::SubjectFact* f) {
    f->set_site(Text(object, "site", true));
    f->set_subject(Text(object, "subject", true));
    f->set_date_ms(date);
  };
  auto site = [&](trialledger::v1::SiteFact* f) {
    f->set_site(Text(object, "site", true));
    f->set_date_ms(date);
  };
  switch (*kind) {
    case FactKind::kSubjectScreened:
      subject(fact.mutable_subject_screened());
      break;
    case FactKind::kSubjectEnrolled:
      subject(fact.mutable_subject_enrolled());
      break;
    case FactKind::kSubjectRandomized:
      subject(fact.mutable_subject_randomized());
      break;
    case FactKind::kSubjectScreenFailed:
      subject(fact.mutable_subject_screen_failed());
      break;
    case FactKind::kSubjectWithdrawn:
      subject(fact.mutable_subject_withdrawn());
      break;
    case FactKind::kSubjectCompleted:
      subject(fact.mutable_subject_completed());
      break;
    case FactKind::kVisitCompleted: {
      auto* visit = fact.mutable_visit_completed();
      visit->set_site(Text(object, "site", true));
      visit->set_subject(Text(object, "subject", true));
      visit->set_visit_type(Text(object, "visit_type", true));
      visit->set_date_ms(date);
      break;
    }
    case FactKind::kSiteActivated:
      site(fact.mutable_site_activated());
      break;
    case FactKind::kSiteClosed:
      site(fact.mutable_site_closed());
      break;
    case FactKind::kMonitoringVisit:
      site(fact.mutable_monitoring_visit());
      break;
    case FactKind::kFirstPatientIn:
      fact.mutable_first_patient_in()->set_date_ms(date);
      break;
    case FactKind::kLastPatientLastVisit:
      fact.mutable_last_patient_last_visit()->set_date_ms(date);
      break;
    case FactKind::kDatabaseLock:
      fact.mutable_database_lock()->set_date_ms(date);
      break;
    case FactKind::kCostIncurred: {
      auto* cost = fact.mutable_cost_incurred();
      cost->set_category(Text(object, "category", true));
      SetMoney(object, cost->mutable_amount());
      cost->set_date_ms(date);
      break;
    }
    case FactKind::kEstimateAtCompletion: {
      auto* estimate = fact.mutable_estimate_at_completion();
      SetMoney(object, estimate->mutable_amount());
      estimate->set_date_ms(date);
      break;
    }
    case FactKind::kRetracted:
      fact.mutable_retracted()->set_date_ms(date);
      break;
    case FactKind::kMilestoneConfirmed: {
      auto* confirmed = fact.mutable_milestone_confirmed();
      confirmed->set_milestone(Text(object, "milestone", true));
      confirmed->set_date_ms(date);
      break;
    }
  }
  return fact;
}

// "LINE:COLUMN" (from 1) of the byte the JSON parser stopped at (`byte`, from 1).
std::string JsonErrorPlace(std::string_view text, size_t byte) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return StrCat(line, ":", column);
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 3, column
// 5: " prefix, which JsonErrorPlace says in the file:line:column form.
std::string JsonErrorReason(std::string_view what) {
  const size_t colon = what.find(": ");
  return std::string(colon == std::string_view::npos ? what : what.substr(colon + 2));
}

}  // namespace

absl::StatusOr<trialledger::v1::FactBatch> ParseFactsJson(std::string_view text,
                                                          std::string_view file_name) {
  json document;
  try {
    document = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& error) {
    return absl::InvalidArgumentError(StrCat(file_name, ":", JsonErrorPlace(text, error.byte),
                                             ": not valid JSON: ", JsonErrorReason(error.what())));
  }
  if (!document.is_object()) {
    return absl::InvalidArgumentError(
        StrCat(file_name, ": expected an object with \"contract\" and \"facts\""));
  }
  trialledger::v1::FactBatch batch;
  for (const auto& [key, value] : document.items()) {
    if (key != "contract" && key != "facts") {
      return absl::InvalidArgumentError(
          StrCat(file_name, ": unknown field '", key, "' (expected contract and facts)"));
    }
  }
  auto contract = document.find("contract");
  if (contract != document.end()) {
    if (!contract->is_string()) {
      return absl::InvalidArgumentError(StrCat(file_name, ": field 'contract' must be text"));
    }
    batch.set_contract_id(contract->get<std::string>());
  }
  auto facts = document.find("facts");
  if (facts == document.end() || !facts->is_array()) {
    return absl::InvalidArgumentError(StrCat(file_name, ": field 'facts' must be a list of facts"));
  }
  for (size_t i = 0; i < facts->size(); ++i) {
    try {
      *batch.add_facts() = ParseFact((*facts)[i]);
    } catch (const FieldError& error) {
      return absl::InvalidArgumentError(
          error.field.empty()
              ? StrCat(file_name, ": fact ", i + 1, " ", error.message)
              : StrCat(file_name, ": fact ", i + 1, ": field '", error.field, "' ", error.message));
    }
  }
  return batch;
}

std::string FactsToJson(const trialledger::v1::FactBatch& batch) {
  json facts = json::array();
  for (const Fact& fact : batch.facts()) {
    json out = json::object();
    std::string site, subject, detail_key, detail, amount;
    int64_t date = 0;
    std::string kind;
    auto subject_of = [&](std::string_view k, const trialledger::v1::SubjectFact& f) {
      kind = k;
      site = f.site();
      subject = f.subject();
      date = f.date_ms();
    };
    auto site_of = [&](std::string_view k, const trialledger::v1::SiteFact& f) {
      kind = k;
      site = f.site();
      date = f.date_ms();
    };
    switch (fact.kind_case()) {
      case Fact::kSubjectScreened:
        subject_of("subject_screened", fact.subject_screened());
        break;
      case Fact::kSubjectEnrolled:
        subject_of("subject_enrolled", fact.subject_enrolled());
        break;
      case Fact::kSubjectRandomized:
        subject_of("subject_randomized", fact.subject_randomized());
        break;
      case Fact::kSubjectScreenFailed:
        subject_of("subject_screen_failed", fact.subject_screen_failed());
        break;
      case Fact::kSubjectWithdrawn:
        subject_of("subject_withdrawn", fact.subject_withdrawn());
        break;
      case Fact::kSubjectCompleted:
        subject_of("subject_completed", fact.subject_completed());
        break;
      case Fact::kVisitCompleted:
        kind = "visit_completed";
        site = fact.visit_completed().site();
        subject = fact.visit_completed().subject();
        detail_key = "visit_type";
        detail = fact.visit_completed().visit_type();
        date = fact.visit_completed().date_ms();
        break;
      case Fact::kSiteActivated:
        site_of("site_activated", fact.site_activated());
        break;
      case Fact::kSiteClosed:
        site_of("site_closed", fact.site_closed());
        break;
      case Fact::kMonitoringVisit:
        site_of("monitoring_visit", fact.monitoring_visit());
        break;
      case Fact::kFirstPatientIn:
        kind = "first_patient_in";
        date = fact.first_patient_in().date_ms();
        break;
      case Fact::kLastPatientLastVisit:
        kind = "last_patient_last_visit";
        date = fact.last_patient_last_visit().date_ms();
        break;
      case Fact::kDatabaseLock:
        kind = "database_lock";
        date = fact.database_lock().date_ms();
        break;
      case Fact::kCostIncurred:
        kind = "cost_incurred";
        detail_key = "category";
        detail = fact.cost_incurred().category();
        amount = FormatMoney(fact.cost_incurred().amount().amount_minor(),
                             fact.cost_incurred().amount().currency());
        date = fact.cost_incurred().date_ms();
        break;
      case Fact::kEstimateAtCompletion:
        kind = "estimate_at_completion";
        amount = FormatMoney(fact.estimate_at_completion().amount().amount_minor(),
                             fact.estimate_at_completion().amount().currency());
        date = fact.estimate_at_completion().date_ms();
        break;
      case Fact::kRetracted:
        kind = "retracted";
        date = fact.retracted().date_ms();
        break;
      case Fact::kMilestoneConfirmed:
        kind = "milestone_confirmed";
        detail_key = "milestone";
        detail = fact.milestone_confirmed().milestone();
        date = fact.milestone_confirmed().date_ms();
        break;
      case Fact::KIND_NOT_SET:
        kind = "unset";
        break;
    }
    out["kind"] = kind;
    out["source_system"] = fact.source_system();
    out["source_record_id"] = fact.source_record_id();
    out["source_timestamp"] = FormatIsoTimestamp(fact.source_timestamp_ms());
    if (fact.has_audit())
      out["audit"] = {{"user", fact.audit().user()}, {"reason", fact.audit().reason()}};
    if (fact.correction()) out["correction"] = true;
    if (!fact.study().empty()) out["study"] = fact.study();
    if (!site.empty()) out["site"] = site;
    if (!subject.empty()) out["subject"] = subject;
    if (!detail_key.empty()) out[detail_key] = detail;
    if (!amount.empty()) out["amount"] = amount;
    out["date"] = FormatIsoDate(date);
    facts.push_back(std::move(out));
  }
  json document = {{"contract", batch.contract_id()}, {"facts", std::move(facts)}};
  return document.dump(2) + "\n";
}

}  // namespace tl::contracts
