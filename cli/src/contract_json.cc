#include "contract_json.h"

#include "trialledger/base/civil_date.h"

#include <google/protobuf/util/json_util.h>

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/display.h"
#include "trialledger/contracts/lifecycle.h"
#include "trialledger/contracts/runtime.h"

namespace tl::cli {
namespace {

using contracts::FormatAmount;

std::string TimeOrDash(int64_t time_ms) {
  return time_ms == 0 ? "-" : FormatIsoTimestampMillis(time_ms);
}

Json SignatureJson(int64_t version, const v1::ContractSignature& signature) {
  return Json{{"version", version},
              {"meaning", signature.meaning()},
              {"signer", StrCat(signature.organisation(), "/", signature.signer_name())},
              {"printed_name", signature.display_name()},
              {"time", FormatIsoTimestampMillis(signature.time_ms())},
              {"height", signature.height()},
              {"code_hash", ToHex(signature.code_hash())},
              {"tx_id", ToHex(signature.tx_id())}};
}

void AmountsJson(const std::string& what,
                 const google::protobuf::RepeatedPtrField<v1::ContractPositionView::Amount>& items,
                 const std::string& currency, Json& rows) {
  for (const auto& item : items) {
    rows.push_back(Json{{"item", StrCat(what, " ", item.name())},
                        {"value", currency.empty() ? std::to_string(item.value())
                                                   : FormatAmount(item.value(), currency)}});
  }
}

}  // namespace

Json ProtoJson(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &text, options);
  return Json::parse(text);
}

Json ContractSummaryJson(const v1::ContractSummary& summary) {
  return Json{{"contract_id", summary.contract_id()},
              {"status", contracts::ContractStatusName(summary.status())},
              {"version", summary.active_version()},
              {"pending_version", summary.pending_version()},
              {"sponsor", summary.sponsor()},
              {"cro", summary.cro()},
              {"study", summary.study()},
              {"facts", summary.fact_count()},
              {"title", summary.title()}};
}

Json ContractJson(const v1::GetContractResponse& contract) {
  const v1::ContractRecord& record = contract.record();
  const v1::ContractVersion* active = contracts::ActiveVersion(record);
  // The terms shown are those of the active version, else of the latest proposal.
  const v1::ContractMetadata* terms = nullptr;
  for (const v1::ContractVersionView& view : contract.versions()) {
    if (terms == nullptr || view.version().status() == v1::VERSION_STATUS_ACTIVE) {
      terms = &view.metadata();
    }
  }
  std::string currency = terms != nullptr ? terms->currency() : "";
  Json json{{"contract_id", record.contract_id()},
            {"title", record.title()},
            {"status", contracts::ContractStatusName(record.status())},
            {"sponsor", record.sponsor()},
            {"cro", record.cro()},
            {"study", record.study()},
            {"currency", currency},
            {"active_version", active != nullptr ? active->version() : 0},
            {"facts", record.fact_count()},
            {"events", record.event_count()},
            {"height", contract.height()}};
  if (record.status() == v1::CONTRACT_STATUS_CLOSED) json["close_reason"] = record.close_reason();
  Json parameters = Json::array();
  for (const v1::ContractParameter& p : record.parameters())
    parameters.push_back(Json{{"parameter", p.name()}, {"value", p.value()}});
  json["parameters"] = std::move(parameters);
  Json versions = Json::array();
  Json signatures = Json::array();
  for (const v1::ContractVersionView& view : contract.versions()) {
    const v1::ContractVersion& v = view.version();
    versions.push_back(Json{{"version", v.version()},
                            {"status", contracts::VersionStatusName(v.status())},
                            {"predecessor", v.predecessor()},
                            {"code_hash", ToHex(v.code_hash())},
                            {"source", view.source_name()},
                            {"source_hash", ToHex(v.source_hash())},
                            {"proposed_by", v.proposed().organisation()},
                            {"accepted_by", v.has_accepted() ? v.accepted().organisation() : "-"},
                            {"reason", v.reason()}});
    signatures.push_back(SignatureJson(v.version(), v.proposed()));
    if (v.has_accepted()) signatures.push_back(SignatureJson(v.version(), v.accepted()));
    if (!view.source().empty()) versions.back()["sow"] = view.source();
  }
  if (record.has_closed()) signatures.push_back(SignatureJson(0, record.closed()));
  json["versions"] = std::move(versions);
  json["signatures"] = std::move(signatures);
  Json obligations = Json::array();
  if (terms != nullptr) {
    for (const v1::Obligation& o : terms->obligations()) {
      obligations.push_back(
          Json{{"obligation", o.name()},
               {"standalone_price", FormatAmount(o.standalone_price_minor(), currency)},
               {"recognised", contracts::RecognitionName(o.recognition())},
               {"title", o.title()}});
    }
  }
  json["obligations"] = std::move(obligations);
  Json position = Json::array();
  if (contract.has_position()) {
    const v1::ContractPositionView& p = contract.position();
    AmountsJson("count", p.counters(), "", position);
    AmountsJson("units earned", p.units_earned(), "", position);
    position.push_back(Json{{"item", "cost incurred"},
                            {"value", FormatAmount(p.cost_incurred_minor(), currency)}});
    position.push_back(Json{{"item", "estimate at completion"},
                            {"value", FormatAmount(p.estimate_at_completion_minor(), currency)}});
    AmountsJson("pass-through spent", p.pass_through_spent_minor(), currency, position);
    AmountsJson("holdback withheld", p.holdback_withheld_minor(), currency, position);
    for (const std::string& released : p.holdbacks_released())
      position.push_back(Json{{"item", StrCat("holdback released ", released)}, {"value", "yes"}});
  }
  json["position"] = std::move(position);
  return json;
}

Json MissingJson(const v1::MilestoneView& m) {
  Json missing = Json::array();
  for (const v1::MissingRequirement& requirement : m.missing()) {
    Json now = Json::object();
    for (const v1::CounterValue& counter : requirement.now())
      now[counter.name()] = counter.value();
    missing.push_back(Json{{"requirement", requirement.requirement()}, {"now", std::move(now)}});
  }
  return missing;
}

Json MilestoneJson(const v1::MilestoneView& m) {
  return Json{{"name", m.name()},
              {"kind", m.kind()},
              {"status", m.status()},
              {"amount", FormatAmount(m.amount_minor(), m.currency())},
              {"amount_minor", m.amount_minor()},
              {"condition", m.condition()},
              {"evidence", std::vector<std::string>(m.evidence().begin(), m.evidence().end())},
              {"completing_fact", m.completing_fact()},
              {"fact_date", m.fact_date_ms() == 0 ? "-" : contracts::FormatDate(m.fact_date_ms())},
              {"achieved_height", m.achieved_height()},
              {"achieved_time", TimeOrDash(m.achieved_time_ms())},
              {"constraint_released", m.constraint_released()},
              {"obligation", m.obligation()},
              {"title", m.title()},
              {"missing", MissingJson(m)}};
}

Json FactRecordJson(const v1::FactRecord& fact) {
  return Json{{"seq", fact.seq()},
              {"fact_id", fact.outcome().fact_id()},
              {"kind", contracts::FactKindLabel(fact.fact())},
              {"correction", fact.fact().correction()},
              {"outcome", contracts::FactOutcomeName(fact.outcome().code())},
              {"height", fact.height()},
              {"time", FormatIsoTimestampMillis(fact.time_ms())},
              {"version", fact.version()},
              {"signer", StrCat(fact.signer_organisation(), "/", fact.signer_name())},
              {"message", fact.outcome().message()}};
}

Json EventRecordJson(const v1::EventRecord& event) {
  return Json{{"seq", event.seq()},         {"event", event.event().name()},
              {"height", event.height()},   {"time", FormatIsoTimestampMillis(event.time_ms())},
              {"version", event.version()}, {"details", contracts::DescribeEvent(event.event())}};
}

std::vector<v1::EventRecord> FetchEvents(LedgerClient& client, const v1::ContractOutcome& outcome) {
  std::vector<v1::EventRecord> events;
  uint64_t next = outcome.first_event_seq();
  uint64_t end = outcome.first_event_seq() + outcome.event_count();
  while (next != 0 && next < end) {
    absl::StatusOr<v1::ListContractEventsResponse> page =
        client.ListContractEvents(outcome.contract_id(), next, static_cast<uint32_t>(end - next));
    if (!page.ok() || page->events().empty()) break;
    for (const v1::EventRecord& event : page->events()) {
      if (event.seq() < end) events.push_back(event);
    }
    next = page->next_seq();
  }
  return events;
}

Json ContractOutcomeJson(const v1::ContractOutcome& outcome,
                         const std::vector<v1::EventRecord>& events) {
  Json facts = Json::array();
  for (int i = 0; i < outcome.facts_size(); ++i) {
    const v1::FactOutcome& fact = outcome.facts(i);
    facts.push_back(Json{{"fact", i + 1},
                         {"fact_id", fact.fact_id()},
                         {"outcome", contracts::FactOutcomeName(fact.code())},
                         {"message", fact.message()}});
  }
  Json rows = Json::array();
  for (const v1::EventRecord& event : events) {
    rows.push_back(Json{{"seq", event.seq()},
                        {"event", event.event().name()},
                        {"details", contracts::DescribeEvent(event.event())}});
  }
  return Json{{"contract_id", outcome.contract_id()},
              {"version", outcome.version()},
              {"gas_used", outcome.gas_used()},
              {"first_event_seq", outcome.first_event_seq()},
              {"event_count", outcome.event_count()},
              {"facts", std::move(facts)},
              {"events", std::move(rows)}};
}

}  // namespace tl::cli
