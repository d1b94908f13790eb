#include "summary_json.h"

namespace tl::history {

nlohmann::ordered_json SummaryJson(const Report& report) {
  nlohmann::ordered_json anomaly_list = nlohmann::ordered_json::array();
  for (const Anomaly& anomaly : report.anomalies)
    anomaly_list.push_back({{"kind", anomaly.kind}, {"message", anomaly.message}});
  nlohmann::ordered_json summary;
  summary["transactions_acknowledged"] = report.submits.acknowledged;
  summary["transactions_refused"] = report.submits.refused;
  summary["transactions_unknown"] = report.submits.unknown;
  summary["unknown_committed"] = report.submits.unknown_committed;
  summary["reads_checked"] = report.reads_checked;
  summary["nodes"] = report.nodes;
  summary["reference_height"] = report.reference_height;
  summary["anomalies"] = report.anomalies.size();
  summary["anomaly_list"] = std::move(anomaly_list);
  return summary;
}

}  // namespace tl::history
