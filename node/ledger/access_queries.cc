#include "trialledger/ledger/access_queries.h"

#include "trialledger/base/str_cat.h"

namespace tl::ledger {

absl::Status ListGrants(const OrderedStateReader& state, const v1::ListGrantsRequest& request,
                        v1::ListGrantsResponse* response) {
  const std::string prefix = request.book().empty()
                                 ? state_keys::ContractGrantPrefix(request.contract_id())
                                 : state_keys::BookGrantPrefix(request.book());
  for (const auto& [key, bytes] : state.Scan(prefix, prefix, SIZE_MAX)) {
    if (!response->add_grants()->ParseFromString(bytes)) {
      return absl::DataLossError(StrCat("grant record ", key, " does not decode"));
    }
  }
  return absl::OkStatus();
}

}  // namespace tl::ledger
