#include "trialledger/contracts/abi.h"

namespace tl::contracts::abi {

std::string_view MilestoneKindName(trialledger::v1::MilestoneKind kind) {
  switch (kind) {
    case trialledger::v1::MILESTONE_KIND_INCENTIVE:
      return "incentive";
    case trialledger::v1::MILESTONE_KIND_PENALTY:
      return "penalty";
    default:
      return "milestone";
  }
}

}  // namespace tl::contracts::abi
