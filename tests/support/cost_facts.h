// Cost facts for the mobilisation SOW (mobilisation_sow.h) as `facts submit --file` reads them:
// each one posts a revenue entry in the CRO's book (cost-to-cost progress).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace tl::testing {

// `count` cost facts C-<first>.. of `amount` each, dated 2026-11-03, for `contract`; the first
// file of a contract carries the estimate at completion (USD 200,000.00) too.
inline std::string CostFactsJson(const std::string& contract, int first, int count,
                                 bool with_estimate, const std::string& amount = "USD 1,000.00") {
  nlohmann::json facts = nlohmann::json::array();
  if (with_estimate) {
    facts.push_back({{"kind", "estimate_at_completion"},
                     {"source_system", "erp"},
                     {"source_record_id", "EAC-1"},
                     {"source_timestamp", "2026-11-02T09:00:00Z"},
                     {"study", "S-9"},
                     {"amount", "USD 200,000.00"},
                     {"date", "2026-11-02"}});
  }
  for (int i = first; i < first + count; ++i) {
    facts.push_back({{"kind", "cost_incurred"},
                     {"source_system", "erp"},
                     {"source_record_id", "C-" + std::to_string(i)},
                     {"source_timestamp", "2026-11-03T09:00:00Z"},
                     {"study", "S-9"},
                     {"category", "labour"},
                     {"amount", amount},
                     {"date", "2026-11-03"}});
  }
  return nlohmann::json({{"contract", contract}, {"facts", facts}}).dump();
}

}  // namespace tl::testing
