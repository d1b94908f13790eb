// Member roles. One home for the names and for what each may sign.
#pragma once

#include <string_view>
#include <vector>

namespace tl::roles {

inline constexpr std::string_view kAdmin = "admin";      // manages its organisation's members
inline constexpr std::string_view kFinance = "finance";  // accepts contracts, reads its books
inline constexpr std::string_view kClinops = "clinops";  // proposes contracts, clinical operations
inline constexpr std::string_view kOracleEdc = "oracle:edc";
inline constexpr std::string_view kOracleCtms = "oracle:ctms";
inline constexpr std::string_view kOracleCost = "oracle:cost";
inline constexpr std::string_view kAuditor = "auditor";

const std::vector<std::string_view>& All();
bool IsKnown(std::string_view role);
// The three oracle roles: the keys of the feeds (EDC, CTMS, cost system) that report facts.
const std::vector<std::string_view>& Oracles();

// Whether `held` (a member's roles: a protobuf repeated field or a vector of strings) holds
// `role`. The one place a role is looked up in a member's list.
template <typename Roles>
bool Holds(const Roles& held, std::string_view role) {
  for (const auto& each : held) {
    if (std::string_view(each) == role) return true;
  }
  return false;
}

}  // namespace tl::roles
