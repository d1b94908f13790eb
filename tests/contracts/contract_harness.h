// Test helpers for contracts: compile a template, instantiate it on an in-memory state, and
// build fact batches from the documented JSON form so tests read like the facts people submit.
#ifndef TRIALLEDGER_TESTS_CONTRACTS_CONTRACT_HARNESS_H_
#define TRIALLEDGER_TESTS_CONTRACTS_CONTRACT_HARNESS_H_

#include <string>
#include <vector>

#include "trialledger/contracts/compiler.h"
#include "trialledger/contracts/runtime.h"

namespace tl::contracts::testing {

std::string ReadFile(const std::string& path);
CompiledContract CompileOrDie(const std::string& source, const std::string& name);
CompiledContract CompileTemplate(const std::string& file_name);  // from contracts/templates

// Signers of the example network (network-config/example-genesis.toml).
Signer SponsorFinance();
Signer CroOracle(const std::string& role);  // e.g. "oracle:edc"

// One fact in the JSON form; `fields` are the kind-specific fields, e.g.
// R"("site": "101", "subject": "101-001")". The source system is chosen from the kind.
std::string Fact(const std::string& kind, const std::string& record_id, const std::string& date,
                 const std::string& fields = "", bool correction = false);
trialledger::v1::FactBatch Batch(const std::vector<std::string>& facts);

// A runtime, its state and a block clock that moves one block (a day) per call of Next().
class ContractFixture {
 public:
  explicit ContractFixture(const CompiledContract& compiled);

  BlockContext Next();
  RunResult Instantiate(const std::vector<std::pair<std::string, std::string>>& parameters);
  RunResult Submit(const Signer& signer, const std::vector<std::string>& facts);
  MilestoneStatus Milestone(const std::string& name);
  // Events of the last run, formatted by FormatEvent, filtered to `name` when given.
  std::vector<std::string> Events(const std::string& name = "") const;

  ContractRuntime runtime;
  MemoryContractState state;
  int64_t height = 0;
  int64_t time_ms = 0;
  RunResult last;
};

}  // namespace tl::contracts::testing

#endif  // TRIALLEDGER_TESTS_CONTRACTS_CONTRACT_HARNESS_H_
