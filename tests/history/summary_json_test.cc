// The summary's keys, in order, and its anomaly list.
#include "summary_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "history_testing.h"

namespace tl::history {
namespace {

using testing::Chain;
using ::testing::ElementsAre;
using testing::HistoryOf;
using testing::Read;
using testing::Submit;

std::vector<std::string> KeysOf(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items())
    keys.push_back(item.key());
  return keys;
}

TEST(SummaryJson, HasExactlyTheKeysInOrder) {
  History history = HistoryOf(
      {Submit("c1", 10, 20, Outcome::kOk, "01"), Submit("c1", 30, 40, Outcome::kOk, "0e"),
       Submit("c2", 10, 20, Outcome::kRefused, "0d"), Submit("c3", 10, 99, Outcome::kUnknown, "02"),
       Read("c4", 50, 60, Outcome::kOk, 2)});
  Report report = Check(history, {Chain("a", {{"01"}, {"02"}}), Chain("b", {{"01"}})}, {});
  nlohmann::ordered_json summary = SummaryJson(report);
  EXPECT_THAT(KeysOf(summary),
              ElementsAre("transactions_acknowledged", "transactions_refused",
                          "transactions_unknown", "unknown_committed", "reads_checked", "nodes",
                          "reference_height", "anomalies", "anomaly_list"));
  EXPECT_EQ(summary["transactions_acknowledged"], 2);
  EXPECT_EQ(summary["transactions_refused"], 1);
  EXPECT_EQ(summary["transactions_unknown"], 1);
  EXPECT_EQ(summary["unknown_committed"], 1);
  EXPECT_EQ(summary["reads_checked"], 1);
  EXPECT_EQ(summary["nodes"], 2);
  EXPECT_EQ(summary["reference_height"], 2);
  EXPECT_EQ(summary["anomalies"], 1);
  ASSERT_EQ(summary["anomaly_list"].size(), 1u);
  EXPECT_THAT(KeysOf(summary["anomaly_list"][0]), ElementsAre("kind", "message"));
  EXPECT_EQ(summary["anomaly_list"][0]["kind"], kind::kLostAcknowledged);
}

TEST(SummaryJson, NoAnomaliesIsAnEmptyList) {
  nlohmann::ordered_json summary = SummaryJson(Check(HistoryOf({}), {Chain("a", {})}, {}));
  EXPECT_EQ(summary["anomalies"], 0);
  EXPECT_TRUE(summary["anomaly_list"].is_array());
  EXPECT_TRUE(summary["anomaly_list"].empty());
  EXPECT_EQ(summary["reference_height"], 0);
}

}  // namespace
}  // namespace tl::history
