// The checker's summary as printed on stdout: one JSON object with exactly the keys
// transactions_acknowledged, transactions_refused, transactions_unknown, unknown_committed,
// reads_checked, nodes, reference_height, anomalies (the count) and anomaly_list (an array of
// {"kind", "message"}), in that order.
#pragma once

#include <nlohmann/json.hpp>

#include "checker.h"

namespace tl::history {

nlohmann::ordered_json SummaryJson(const Report& report);

}  // namespace tl::history
