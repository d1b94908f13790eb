// Milestones read back from a contract's state, with the evidence behind each achieved one.
#include <map>
#include <set>

#include "contract_host.h"
#include "stored_values.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/abi.h"
#include "trialledger/contracts/limits.h"
#include "trialledger/contracts/runtime.h"
#include "trialledger/vm/value_codec.h"

namespace tl::contracts {

using vm::Value;

namespace {

// Reads through to a contract's state and refuses every write: a query runs on it.
class ReadOnlyState final : public ContractState {
 public:
  explicit ReadOnlyState(const ContractState& state) : state_(state) {}
  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const override {
    return state_.Get(key);
  }
  absl::Status Put(std::string_view key, std::string_view) override {
    return absl::InternalError(StrCat("a read-only query wrote ", key));
  }
  absl::Status Delete(std::string_view key) override {
    return absl::InternalError(StrCat("a read-only query deleted ", key));
  }

 private:
  const ContractState& state_;
};

}  // namespace

absl::StatusOr<std::optional<std::vector<bool>>> ContractRuntime::RequirementsHeld(
    const ContractState& state) const {
  if (program_->FindEntryPoint(abi::kEntryRequirements) < 0) {
    return std::optional<std::vector<bool>>();
  }
  ReadOnlyState read_only(state);
  const BlockContext block;
  const Signer nobody;
  ContractHost host(read_only, block, nobody, "");
  absl::StatusOr<vm::ExecutionResult> executed =
      vm::Execute(*program_, abi::kEntryRequirements, {}, host, {.gas_limit = kGasPerTransaction});
  if (!executed.ok()) return executed.status();
  if (!executed->ok() || executed->return_value.type() != vm::Type::kList) {
    return absl::InternalError(
        StrCat("the requirements entry of ", metadata_.name(), " failed: ", executed->message));
  }
  std::vector<bool> held;
  for (const Value& item : executed->return_value.ListItems()) {
    if (item.type() != vm::Type::kBool) {
      return absl::InternalError("the requirements entry returned a non-bool");
    }
    held.push_back(item.AsBool());
  }
  return std::optional<std::vector<bool>>(std::move(held));
}

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

absl::StatusOr<std::vector<MilestoneStatus>> ContractRuntime::Milestones(
    const ContractState& state) const {
  absl::StatusOr<std::optional<std::vector<bool>>> held = RequirementsHeld(state);
  if (!held.ok()) return held.status();
  size_t next_requirement = 0;
  std::vector<MilestoneStatus> out;
  for (const auto& m : metadata_.milestones()) {
    MilestoneStatus status;
    status.name = m.name();
    status.title = m.title();
    status.kind = abi::MilestoneKindName(m.kind());
    status.condition = m.condition();
    status.amount_minor = m.amount_minor();
    status.currency = metadata_.currency();
    absl::StatusOr<int64_t> code = ReadStoredInt(state, abi::Key(abi::kPrefixMilestone, m.name()));
    if (!code.ok()) return code.status();
    status.state = *code == abi::kMilestoneAchieved ? MilestoneState::kAchieved
                   : *code == abi::kMilestoneLapsed ? MilestoneState::kLapsed
                                                    : MilestoneState::kPending;
    absl::StatusOr<int64_t> released =
        ReadStoredInt(state, abi::Key(abi::kPrefixConstraint, m.name()));
    if (!released.ok()) return released.status();
    status.constraint_released = m.constraint().empty() || *released == 1;
    absl::StatusOr<std::optional<Value>> record =
        ReadStored(state, abi::Key(abi::kPrefixAchievement, m.name()), vm::Type::kRecord);
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
    for (const trialledger::v1::MilestoneRequirement& requirement : m.requirements()) {
      if (!held->has_value()) break;
      if (next_requirement >= (*held)->size()) {
        return absl::InternalError(StrCat("the requirements entry of ", metadata_.name(),
                                          " answered fewer requirements than its metadata lists"));
      }
      const bool holds = (**held)[next_requirement++];
      if (holds || status.state != MilestoneState::kPending) continue;
      MilestoneStatus::Missing& missing = status.missing.emplace_back();
      missing.requirement = requirement.text();
      for (const std::string& counter : requirement.counters()) {
        absl::StatusOr<int64_t> value =
            ReadStoredInt(state, abi::Key(abi::kPrefixCounter, counter));
        if (!value.ok()) return value.status();
        missing.now.emplace_back(counter, *value);
      }
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
        ReadStored(state, abi::Key(abi::kPrefixFact, fact.id), vm::Type::kBytes);
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

}  // namespace tl::contracts
