#include "trialledger/contracts/fact_payload.h"

#include <memory>

#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/abi.h"
#include "trialledger/contracts/fact_kinds.h"
#include "trialledger/contracts/limits.h"
#include "trialledger/vm/value_codec.h"

namespace tl::contracts {
namespace {

using trialledger::v1::Fact;
using vm::Value;

// The pieces every kind reduces to; fields a kind does not carry stay empty.
struct FactParts {
  FactKind kind = FactKind::kRetracted;
  int64_t date_ms = 0;
  std::string site, subject, detail;
  const trialledger::v1::Money* amount = nullptr;
};

absl::StatusOr<FactParts> PartsOf(const Fact& fact) {
  FactParts p;
  auto subject = [&](FactKind kind, const trialledger::v1::SubjectFact& f) {
    p.kind = kind;
    p.site = f.site();
    p.subject = f.subject();
    p.date_ms = f.date_ms();
  };
  auto site = [&](FactKind kind, const trialledger::v1::SiteFact& f) {
    p.kind = kind;
    p.site = f.site();
    p.date_ms = f.date_ms();
  };
  switch (fact.kind_case()) {
    case Fact::kSubjectScreened:
      subject(FactKind::kSubjectScreened, fact.subject_screened());
      break;
    case Fact::kSubjectEnrolled:
      subject(FactKind::kSubjectEnrolled, fact.subject_enrolled());
      break;
    case Fact::kSubjectRandomized:
      subject(FactKind::kSubjectRandomized, fact.subject_randomized());
      break;
    case Fact::kSubjectScreenFailed:
      subject(FactKind::kSubjectScreenFailed, fact.subject_screen_failed());
      break;
    case Fact::kSubjectWithdrawn:
      subject(FactKind::kSubjectWithdrawn, fact.subject_withdrawn());
      break;
    case Fact::kSubjectCompleted:
      subject(FactKind::kSubjectCompleted, fact.subject_completed());
      break;
    case Fact::kVisitCompleted:
      p.kind = FactKind::kVisitCompleted;
      p.site = fact.visit_completed().site();
      p.subject = fact.visit_completed().subject();
      p.detail = fact.visit_completed().visit_type();
      p.date_ms = fact.visit_completed().date_ms();
      break;
    case Fact::kSiteActivated:
      site(FactKind::kSiteActivated, fact.site_activated());
      break;
    case Fact::kSiteClosed:
      site(FactKind::kSiteClosed, fact.site_closed());
      break;
    case Fact::kMonitoringVisit:
      site(FactKind::kMonitoringVisit, fact.monitoring_visit());
      break;
    case Fact::kFirstPatientIn:
      p.kind = FactKind::kFirstPatientIn;
      p.date_ms = fact.first_patient_in().date_ms();
      break;
    case Fact::kLastPatientLastVisit:
      p.kind = FactKind::kLastPatientLastVisit;
      p.date_ms = fact.last_patient_last_visit().date_ms();
      break;
    case Fact::kDatabaseLock:
      p.kind = FactKind::kDatabaseLock;
      p.date_ms = fact.database_lock().date_ms();
      break;
    case Fact::kCostIncurred:
      p.kind = FactKind::kCostIncurred;
      p.detail = fact.cost_incurred().category();
      p.amount = &fact.cost_incurred().amount();
      p.date_ms = fact.cost_incurred().date_ms();
      break;
    case Fact::kEstimateAtCompletion:
      p.kind = FactKind::kEstimateAtCompletion;
      p.amount = &fact.estimate_at_completion().amount();
      p.date_ms = fact.estimate_at_completion().date_ms();
      break;
    case Fact::kRetracted:
      p.kind = FactKind::kRetracted;
      p.date_ms = fact.retracted().date_ms();
      break;
    case Fact::kMilestoneConfirmed:
      p.kind = FactKind::kMilestoneConfirmed;
      p.detail = fact.milestone_confirmed().milestone();
      p.date_ms = fact.milestone_confirmed().date_ms();
      break;
    case Fact::KIND_NOT_SET:
      return absl::InvalidArgumentError("no fact kind is set");
  }
  return p;
}

absl::Status CheckText(std::string_view field, std::string_view text, size_t max_bytes,
                       bool required) {
  if (required && text.empty()) return absl::InvalidArgumentError(StrCat(field, " is empty"));
  if (text.size() > max_bytes) {
    return absl::InvalidArgumentError(StrCat(field, " is longer than ", max_bytes, " bytes"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Value> FactRecord(const Fact& fact) {
  absl::StatusOr<FactParts> parts = PartsOf(fact);
  if (!parts.ok()) return parts.status();
  for (auto [field, text, required] : {std::tuple<std::string_view, std::string_view, bool>{
                                           "source_system", fact.source_system(), true},
                                       {"source_record_id", fact.source_record_id(), true},
                                       {"study", fact.study(), false},
                                       {"site", parts->site, false},
                                       {"subject", parts->subject, false},
                                       {"visit_type/category/milestone", parts->detail, false},
                                       {"audit.user", fact.audit().user(), false}}) {
    if (absl::Status s = CheckText(field, text, kFactFieldBytesMax, required); !s.ok()) return s;
  }
  if (fact.audit().reason().size() > kAuditReasonBytesMax) {
    return absl::InvalidArgumentError(
        StrCat("audit.reason is longer than ", kAuditReasonBytesMax, " bytes"));
  }
  if (parts->date_ms < 0) return absl::InvalidArgumentError("date_ms is negative");
  Value amount = Value::ZeroOf(vm::Type::kMoney);
  if (parts->amount != nullptr) {
    absl::StatusOr<Value> money =
        Value::MakeMoney(parts->amount->currency(), parts->amount->amount_minor());
    if (!money.ok()) {
      return absl::InvalidArgumentError(
          StrCat("amount: '", parts->amount->currency(), "' is not a currency code"));
    }
    amount = *money;
  }
  static const auto kShape = std::make_shared<const vm::RecordShape>(
      vm::RecordShape{"kind", "id", "study", "date", "site", "subject", "detail", "amount",
                      "correction", "source_time", "audit_user", "audit_reason"});
  auto text = [](std::string_view s) { return *Value::MakeString(s); };
  std::vector<Value> fields = {
      Value::MakeInt(static_cast<int64_t>(parts->kind)),
      text(StrCat(fact.source_system(), "/", fact.source_record_id())),
      text(fact.study()),
      Value::MakeTime(parts->date_ms),
      text(parts->site),
      text(parts->subject),
      text(parts->detail),
      amount,
      Value::MakeBool(fact.correction() || parts->kind == FactKind::kRetracted),
      Value::MakeTime(fact.source_timestamp_ms()),
      text(fact.audit().user()),
      text(fact.audit().reason()),
  };
  static_assert(abi::kFactFieldCount == 12);
  return Value::MakeRecord(kShape, std::move(fields));
}

}  // namespace

absl::StatusOr<std::string> EncodeFactBatch(const trialledger::v1::FactBatch& batch,
                                            int64_t facts_per_batch_max) {
  if (batch.facts_size() == 0) return absl::InvalidArgumentError("the batch has no facts");
  if (batch.facts_size() > facts_per_batch_max) {
    return absl::InvalidArgumentError(StrCat("the batch has ", batch.facts_size(),
                                             " facts; this contract takes at most ",
                                             facts_per_batch_max, " per transaction"));
  }
  std::vector<Value> records;
  for (int i = 0; i < batch.facts_size(); ++i) {
    absl::StatusOr<Value> record = FactRecord(batch.facts(i));
    if (!record.ok()) {
      return absl::InvalidArgumentError(StrCat("fact ", i + 1, ": ", record.status().message()));
    }
    records.push_back(*std::move(record));
  }
  absl::StatusOr<Value> list = Value::MakeList(std::move(records));
  if (!list.ok()) return list.status();
  return vm::EncodeValue(*list);
}

std::optional<FactKind> FactKindOf(const Fact& fact) {
  absl::StatusOr<FactParts> parts = PartsOf(fact);
  if (!parts.ok()) return std::nullopt;
  return parts->kind;
}

std::string AmountProblem(const Fact& fact, std::string_view contract_currency) {
  absl::StatusOr<FactParts> parts = PartsOf(fact);
  if (!parts.ok() || parts->amount == nullptr) return "";
  const trialledger::v1::Money& amount = *parts->amount;
  if (amount.currency() != contract_currency) {
    return StrCat(kAmountCurrencyRule, contract_currency, " (it is in ", amount.currency(), ")");
  }
  if (amount.amount_minor() <= 0) {
    return StrCat(kAmountPositiveRule, " (it is ", amount.amount_minor(), " minor units)");
  }
  return "";
}

std::optional<int64_t> FactDateMs(const Fact& fact) {
  absl::StatusOr<FactParts> parts = PartsOf(fact);
  if (!parts.ok()) return std::nullopt;
  return parts->date_ms;
}

}  // namespace tl::contracts
