// Reading a contract's state back for people (milestones, position), amendment compatibility,
// and event formatting. Reads follow the storage layout of abi.h.
#include <map>
#include <set>

#include "abi.h"
#include "trialledger/base/str_cat.h"

#include "checker.h"
#include "sow_text.h"
#include "trialledger/contracts/display.h"
#include "trialledger/contracts/runtime.h"
#include "trialledger/vm/value_codec.h"

namespace tl::contracts {
namespace {

using trialledger::v1::ContractMetadata;
using vm::Value;

// The stored value at `key`, or nullopt; a value of another type is a corrupt state.
absl::StatusOr<std::optional<Value>> Read(const ContractState& state, std::string_view key,
                                          vm::Type type) {
  absl::StatusOr<std::optional<std::string>> bytes = state.Get(key);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::nullopt;
  absl::StatusOr<Value> value = vm::DecodeValue(**bytes);
  if (!value.ok() || value->type() != type) {
    return absl::DataLossError(StrCat("contract state '", key, "' is not a ", vm::TypeName(type)));
  }
  return *value;
}

absl::StatusOr<int64_t> ReadInt(const ContractState& state, std::string_view key) {
  absl::StatusOr<std::optional<Value>> value = Read(state, key, vm::Type::kInt);
  if (!value.ok()) return value.status();
  return value->has_value() ? (*value)->AsInt() : 0;
}

absl::StatusOr<int64_t> ReadMinor(const ContractState& state, std::string_view key) {
  absl::StatusOr<std::optional<Value>> value = Read(state, key, vm::Type::kMoney);
  if (!value.ok()) return value.status();
  return value->has_value() ? static_cast<int64_t>((*value)->MoneyMinor()) : 0;
}

}  // namespace

std::string_view MilestoneStateName(MilestoneState state) {
  switch (state) {
    case MilestoneState::kPending:
      return "pending";
    case MilestoneState::kAchieved:
      return "achieved";
    case MilestoneState::kLapsed:
      return "lapsed";
  }
  return "pending";
}

std::string FormatEvent(const vm::Event& event) {
  std::vector<std::string> fields;
  const auto names = event.fields.RecordFieldNames();
  const auto values = event.fields.RecordFields();
  for (size_t i = 0; i < names.size(); ++i) {
    fields.push_back(StrCat(names[i], "=", FormatValue(values[i])));
  }
  return StrCat(event.name, "{", Join(fields, ", "), "}");
}

absl::StatusOr<std::vector<MilestoneStatus>> ContractRuntime::Milestones(
    const ContractState& state) const {
  std::vector<MilestoneStatus> out;
  for (const auto& m : metadata_.milestones()) {
    MilestoneStatus status;
    status.name = m.name();
    status.title = m.title();
    status.kind = m.kind() == trialledger::v1::MILESTONE_KIND_INCENTIVE ? "incentive"
                  : m.kind() == trialledger::v1::MILESTONE_KIND_PENALTY ? "penalty"
                                                                        : "milestone";
    status.condition = m.condition();
    status.amount_minor = m.amount_minor();
    status.currency = metadata_.currency();
    absl::StatusOr<int64_t> code = ReadInt(state, abi::Key(abi::kPrefixMilestone, m.name()));
    if (!code.ok()) return code.status();
    status.state = *code == abi::kMilestoneAchieved ? MilestoneState::kAchieved
                   : *code == abi::kMilestoneLapsed ? MilestoneState::kLapsed
                                                    : MilestoneState::kPending;
    absl::StatusOr<int64_t> released = ReadInt(state, abi::Key(abi::kPrefixConstraint, m.name()));
    if (!released.ok()) return released.status();
    status.constraint_released = m.constraint().empty() || *released == 1;
    absl::StatusOr<std::optional<Value>> record =
        Read(state, abi::Key(abi::kPrefixAchievement, m.name()), vm::Type::kRecord);
    if (!record.ok()) return record.status();
    if (record->has_value()) {
      const auto fields = (*record)->RecordFields();
      if (fields.size() != abi::kAchievementFieldCount) {
        return absl::DataLossError(StrCat("achievement of ", m.name(), " is malformed"));
      }
      status.achieved_height = fields[abi::kAchievedHeight].AsInt();
      status.achieved_time_ms = fields[abi::kAchievedTime].AsTimeMs();
      status.amount_minor = static_cast<int64_t>(fields[abi::kAchievedAmount].MoneyMinor());
      for (const Value& id : fields[abi::kAchievedEvidence].ListItems()) {
        status.evidence.emplace_back(id.AsString());
      }
      status.completing_fact = std::string(fields[abi::kAchievedFact].AsString());
      status.fact_date_ms = fields[abi::kAchievedFactDate].AsTimeMs();
    }
    out.push_back(std::move(status));
  }
  return out;
}

absl::Status ContractRuntime::AddContributingEvidence(
    const ContractState& state, const std::vector<LoggedFact>& log,
    std::vector<MilestoneStatus>* milestones) const {
  // Each fact's counters with a positive recorded change, read once.
  std::map<std::string, std::set<std::string>, std::less<>> raised;
  for (const LoggedFact& fact : log) {
    if (raised.contains(fact.id)) continue;
    std::set<std::string>& counters = raised[fact.id];
    absl::StatusOr<std::optional<Value>> bytes =
        Read(state, abi::Key(abi::kPrefixFact, fact.id), vm::Type::kBytes);
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) continue;  // rejected: the contract kept nothing of it
    absl::StatusOr<Value> record = vm::DecodeValue((*bytes)->AsString());
    if (!record.ok() || record->type() != vm::Type::kRecord || record->RecordFields().size() < 3) {
      return absl::DataLossError(StrCat("the stored record of fact ", fact.id, " is malformed"));
    }
    const auto fields = record->RecordFields();
    const auto keys = fields[1].ListItems();
    const auto deltas = fields[2].ListItems();
    for (size_t i = 0; i < keys.size() && i < deltas.size(); ++i) {
      if (deltas[i].AsInt() > 0) counters.emplace(keys[i].AsString());
    }
  }
  for (MilestoneStatus& status : *milestones) {
    if (status.state != MilestoneState::kAchieved) continue;
    const trialledger::v1::Milestone* declared = nullptr;
    for (const auto& m : metadata_.milestones()) {
      if (m.name() == status.name) declared = &m;
    }
    if (declared == nullptr) continue;
    bool completed_by_fact = false;
    for (const LoggedFact& fact : log)
      completed_by_fact |= fact.id == status.completing_fact;
    std::vector<std::string> evidence;
    std::set<std::string> seen;
    for (const LoggedFact& fact : log) {
      if (!completed_by_fact && fact.height > status.achieved_height) break;
      if (seen.insert(fact.id).second) {
        for (const std::string& counter : declared->evidence_counters()) {
          if (raised[fact.id].contains(counter)) {
            evidence.push_back(fact.id);
            break;
          }
        }
      }
      if (completed_by_fact && fact.id == status.completing_fact) break;
    }
    if (!evidence.empty()) status.evidence = std::move(evidence);
  }
  return absl::OkStatus();
}

absl::StatusOr<ContractPosition> ContractRuntime::Position(const ContractState& state) const {
  ContractPosition position;
  absl::StatusOr<int64_t> version = ReadInt(state, abi::kKeyVersion);
  if (!version.ok()) return version.status();
  position.version = *version;
  std::set<std::string> counters;
  for (std::string_view name :
       {"screened", "enrolled", "randomized", "screen_failed", "withdrawn", "completed",
        "sites_activated", "sites_closed", "monitoring_visits", "visits", "first_patient_in",
        "last_patient_last_visit", "database_locked"}) {
    counters.insert(std::string(name));
  }
  for (const auto& fee : metadata_.unit_fees())
    counters.insert(fee.counter());
  for (const std::string& counter : counters) {
    absl::StatusOr<int64_t> value = ReadInt(state, abi::Key(abi::kPrefixCounter, counter));
    if (!value.ok()) return value.status();
    position.counters.emplace_back(counter, *value);
  }
  for (const auto& fee : metadata_.unit_fees()) {
    absl::StatusOr<int64_t> units = ReadInt(state, abi::Key(abi::kPrefixUnits, fee.name()));
    if (!units.ok()) return units.status();
    position.units_earned.emplace_back(fee.name(), *units);
  }
  absl::StatusOr<int64_t> cost = ReadMinor(state, abi::Key(abi::kPrefixMoney, "cost_incurred"));
  absl::StatusOr<int64_t> estimate =
      ReadMinor(state, abi::Key(abi::kPrefixMoney, "estimate_at_completion"));
  if (!cost.ok()) return cost.status();
  if (!estimate.ok()) return estimate.status();
  position.cost_incurred_minor = *cost;
  position.estimate_at_completion_minor = *estimate;
  for (const auto& pass : metadata_.pass_throughs()) {
    absl::StatusOr<int64_t> spent = ReadMinor(
        state, abi::Key(abi::kPrefixMoney, abi::Key(abi::kPassThroughSpend, pass.name())));
    if (!spent.ok()) return spent.status();
    position.pass_through_spent_minor.emplace_back(pass.name(), *spent);
  }
  for (const auto& holdback : metadata_.holdbacks()) {
    absl::StatusOr<int64_t> held = ReadMinor(state, abi::Key(abi::kPrefixHeld, holdback.name()));
    absl::StatusOr<int64_t> released =
        ReadInt(state, abi::Key(abi::kPrefixReleased, holdback.name()));
    if (!held.ok()) return held.status();
    if (!released.ok()) return released.status();
    position.holdback_withheld_minor.emplace_back(holdback.name(), *held);
    position.holdback_released.emplace_back(holdback.name(), *released == 1);
  }
  return position;
}

absl::Status CheckAmendment(const ContractMetadata& previous, const ContractMetadata& next,
                            const ContractState& state) {
  auto conflict = [](std::string why) {
    return absl::FailedPreconditionError(StrCat("amendment refused: ", why));
  };
  if (next.name() != previous.name()) {
    return conflict(StrCat("it is contract ", next.name(), ", not ", previous.name()));
  }
  if (next.sponsor() != previous.sponsor() || next.cro() != previous.cro()) {
    return conflict("the parties must stay the same");
  }
  if (next.currency() != previous.currency()) return conflict("the currency must stay the same");
  if (next.study() != previous.study()) return conflict("the study must stay the same");
  if (next.version() <= previous.version()) {
    return conflict(
        StrCat("version ", next.version(), " does not follow version ", previous.version()));
  }
  for (const auto& before : previous.milestones()) {
    absl::StatusOr<int64_t> code = ReadInt(state, abi::Key(abi::kPrefixMilestone, before.name()));
    if (!code.ok()) return code.status();
    if (*code != abi::kMilestoneAchieved) continue;
    const trialledger::v1::Milestone* after = nullptr;
    for (const auto& m : next.milestones()) {
      if (m.name() == before.name()) after = &m;
    }
    if (after == nullptr) {
      return conflict(StrCat("milestone ", before.name(), " is achieved and cannot be removed"));
    }
    if (after->amount_minor() != before.amount_minor()) {
      return conflict(
          StrCat("milestone ", before.name(), " is achieved; its amount cannot change"));
    }
  }
  for (const auto& before : previous.unit_fees()) {
    absl::StatusOr<int64_t> units = ReadInt(state, abi::Key(abi::kPrefixUnits, before.name()));
    if (!units.ok()) return units.status();
    if (*units == 0) continue;
    bool kept = false;
    for (const auto& fee : next.unit_fees()) {
      kept = kept || (fee.name() == before.name() && fee.counter() == before.counter());
    }
    if (!kept) {
      return conflict(StrCat("unit fee ", before.name(),
                             " has earned units and must stay, counting ", before.counter()));
    }
  }
  for (const auto& before : previous.holdbacks()) {
    absl::StatusOr<int64_t> held = ReadMinor(state, abi::Key(abi::kPrefixHeld, before.name()));
    if (!held.ok()) return held.status();
    if (*held == 0) continue;
    bool kept = false;
    for (const auto& holdback : next.holdbacks())
      kept = kept || holdback.name() == before.name();
    if (!kept) {
      return conflict(StrCat("holdback ", before.name(), " holds money and must stay"));
    }
  }
  return absl::OkStatus();
}

}  // namespace tl::contracts
