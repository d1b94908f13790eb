#include "trialledger/sdk/roles.h"

#include <algorithm>

namespace tl::roles {

const std::vector<std::string_view>& All() {
  static const std::vector<std::string_view> kAll = {kAdmin,      kFinance,    kClinops, kOracleEdc,
                                                     kOracleCtms, kOracleCost, kAuditor};
  return kAll;
}

const std::vector<std::string_view>& Oracles() {
  static const std::vector<std::string_view> kOracles = {kOracleEdc, kOracleCtms, kOracleCost};
  return kOracles;
}

bool IsKnown(std::string_view role) {
  const auto& all = All();
  return std::find(all.begin(), all.end(), role) != all.end();
}

}  // namespace tl::roles
