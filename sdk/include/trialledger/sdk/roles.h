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

}  // namespace tl::roles
