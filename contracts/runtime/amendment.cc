// Whether an amendment may replace the active version: the parties, currency and study stay, and
// nothing already earned (achieved milestones, units, held money) disappears or changes price.
#include "stored_values.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/abi.h"
#include "trialledger/contracts/runtime.h"
#include "trialledger/vm/value_codec.h"

namespace tl::contracts {

using trialledger::v1::ContractMetadata;

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
    absl::StatusOr<int64_t> code =
        ReadStoredInt(state, abi::Key(abi::kPrefixMilestone, before.name()));
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
    absl::StatusOr<int64_t> units =
        ReadStoredInt(state, abi::Key(abi::kPrefixUnits, before.name()));
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
    absl::StatusOr<int64_t> held =
        ReadStoredMinor(state, abi::Key(abi::kPrefixHeld, before.name()));
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
