#include "contract_harness.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "trialledger/contracts/facts_json.h"

namespace tl::contracts::testing {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

CompiledContract CompileOrDie(const std::string& source, const std::string& name) {
  absl::StatusOr<CompiledContract> compiled = CompileSow(source, name);
  if (!compiled.ok()) {
    ADD_FAILURE() << compiled.status().message();
    std::abort();
  }
  return *std::move(compiled);
}

CompiledContract CompileTemplate(const std::string& file_name) {
  return CompileOrDie(ReadFile(std::string(TL_CONTRACTS_TEMPLATES) + "/" + file_name), file_name);
}

Signer SponsorFinance() {
  return Signer{"sponsor-finance-key", "acme-bio", {"finance"}};
}

Signer CroOracle(const std::string& role) {
  return Signer{"cro-" + role + "-key", "northwind-cro", {role}};
}

std::string Fact(const std::string& kind, const std::string& record_id, const std::string& date,
                 const std::string& fields, bool correction) {
  const std::string system = kind == "cost_incurred" || kind == "estimate_at_completion"
                                 ? "erp-costs"
                             : kind.starts_with("site_") || kind == "monitoring_visit" ? "ctms"
                                                                                       : "rave-edc";
  std::string json = "{\"kind\": \"" + kind + "\", \"source_system\": \"" + system +
                     "\", \"source_record_id\": \"" + record_id + "\", \"source_timestamp\": \"" +
                     date +
                     "T12:00:00Z\", \"audit\": {\"user\": \"j.smith\", \"reason\": \"entry\"}" +
                     ", \"date\": \"" + date + "\"";
  if (correction) json += ", \"correction\": true";
  if (!fields.empty()) json += ", " + fields;
  return json + "}";
}

trialledger::v1::FactBatch Batch(const std::vector<std::string>& facts) {
  std::string json = "{\"contract\": \"c-1\", \"facts\": [";
  for (size_t i = 0; i < facts.size(); ++i)
    json += (i ? ", " : "") + facts[i];
  json += "]}";
  absl::StatusOr<trialledger::v1::FactBatch> batch = ParseFactsJson(json, "test.json");
  if (!batch.ok()) {
    ADD_FAILURE() << batch.status().message() << "\n" << json;
    std::abort();
  }
  return *std::move(batch);
}

namespace {
ContractRuntime LoadOrDie(const CompiledContract& compiled) {
  absl::StatusOr<ContractRuntime> runtime = ContractRuntime::Load(compiled);
  if (!runtime.ok()) {
    ADD_FAILURE() << runtime.status().message();
    std::abort();
  }
  return *std::move(runtime);
}

// 2027-01-01T00:00:00Z: after every fact date the tests use.
constexpr int64_t kFirstBlockTimeMs = 1798761600000;
}  // namespace

ContractFixture::ContractFixture(const CompiledContract& compiled)
    : runtime(LoadOrDie(compiled)), time_ms(kFirstBlockTimeMs) {}

BlockContext ContractFixture::Next() {
  ++height;
  time_ms += 86'400'000;
  return BlockContext{height, time_ms};
}

RunResult ContractFixture::Instantiate(
    const std::vector<std::pair<std::string, std::string>>& parameters) {
  absl::StatusOr<RunResult> run = runtime.Instantiate(state, Next(), SponsorFinance(), parameters);
  EXPECT_TRUE(run.ok()) << run.status().message();
  last = run.ok() ? *std::move(run) : RunResult{};
  return last;
}

RunResult ContractFixture::Submit(const Signer& signer, const std::vector<std::string>& facts) {
  absl::StatusOr<RunResult> run = runtime.SubmitFacts(state, Next(), signer, Batch(facts));
  EXPECT_TRUE(run.ok()) << run.status().message();
  last = run.ok() ? *std::move(run) : RunResult{};
  return last;
}

MilestoneStatus ContractFixture::Milestone(const std::string& name) {
  absl::StatusOr<std::vector<MilestoneStatus>> all = runtime.Milestones(state);
  EXPECT_TRUE(all.ok()) << all.status().message();
  for (MilestoneStatus& m : *all) {
    if (m.name == name) return m;
  }
  ADD_FAILURE() << "no milestone " << name;
  return {};
}

std::vector<std::string> ContractFixture::Events(const std::string& name) const {
  std::vector<std::string> out;
  for (const vm::Event& event : last.events) {
    if (name.empty() || event.name == name) out.push_back(FormatEvent(event));
  }
  return out;
}

}  // namespace tl::contracts::testing
