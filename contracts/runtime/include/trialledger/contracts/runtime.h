// Running compiled SOW contracts: instantiate, submit facts, amend, and read milestones back.
//
//   absl::StatusOr<ContractRuntime> runtime = ContractRuntime::Load(module_bytes, metadata);
//   MemoryContractState state;                               // the node: its state overlay
//   BlockContext block{.height = 7, .time_ms = block_time_ms};
//   Signer sponsor{.public_key = key, .organisation = "acme-bio", .roles = {"finance"}};
//   runtime->Instantiate(state, block, sponsor, {{"target_enrolment", "120"}});
//   absl::StatusOr<RunResult> run = runtime->SubmitFacts(state, block, edc_signer, batch);
//   if (!run.ok()) stop_node(run.status());          // state could not be read or written
//   else if (!run->accepted) reject_tx(run->message); // nothing changed
//   else record(run->facts, run->events);            // per-fact outcomes and contract events
//   runtime->Milestones(state);                      // status, amount, evidence, height, time
//
// Every method is deterministic: the same state, block, signer and input give the same result
// and the same writes on every node. A ContractRuntime holds a loaded VM program: use one from
// one thread at a time.
#ifndef TRIALLEDGER_CONTRACTS_RUNTIME_H_
#define TRIALLEDGER_CONTRACTS_RUNTIME_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/contracts/compiled_contract.h"
#include "trialledger/contracts/state.h"
#include "trialledger/v1/contract.pb.h"
#include "trialledger/v1/contract_ledger.pb.h"
#include "trialledger/v1/facts.pb.h"
#include "trialledger/vm/vm.h"

namespace tl::contracts {

struct BlockContext {
  int64_t height = 0;
  int64_t time_ms = 0;  // block time: the only clock a contract sees
};

// Who signed the transaction, as the node's identity registry knows them.
struct Signer {
  std::string public_key;
  std::string organisation;
  std::vector<std::string> roles;
};

enum class FactOutcome {
  kApplied = 1,    // a new fact, applied
  kDuplicate = 2,  // the same source record with the same content again: ignored
  kCorrected = 3,  // replaced an earlier fact with the same source record (effects reversed)
  kRejected = 4,   // failed validation; changed nothing
  kHeld = 5,       // waits for its site's activation (`else hold`); nothing counted yet
};
std::string_view FactOutcomeName(FactOutcome outcome);  // "applied", "duplicate", ...
std::string_view FactOutcomeName(trialledger::v1::FactOutcomeCode code);
trialledger::v1::FactOutcomeCode ToProto(FactOutcome outcome);
// Whether a fact with this outcome is now its record's version on the ledger: applied,
// corrected, or held for its site's activation (a duplicate or a rejection changed nothing).
bool FactOutcomeTakesEffect(trialledger::v1::FactOutcomeCode code);

struct FactResult {
  FactOutcome outcome = FactOutcome::kRejected;
  std::string message;
};

struct RunResult {
  // False: the transaction is rejected and no state changed. `message` says why (a malformed
  // payload, an unbound feed, a rejected correction, a trap).
  bool accepted = false;
  vm::TrapCode trap = vm::TrapCode::kNone;
  std::string message;
  int64_t gas_used = 0;
  std::vector<vm::Event> events;  // milestone_achieved, units_earned, invoice_due, ...
  std::array<uint8_t, 32> events_hash{};
  std::vector<FactResult> facts;  // SubmitFacts: one per fact, in batch order
};

enum class MilestoneState { kPending, kAchieved, kLapsed };
std::string_view MilestoneStateName(MilestoneState state);

// One milestone (fixed fee, incentive or penalty) as a finance user sees it.
struct MilestoneStatus {
  std::string name;
  std::string title;
  std::string kind;       // milestone, incentive, penalty
  std::string condition;  // as written in the SOW
  int64_t amount_minor = 0;
  std::string currency;
  MilestoneState state = MilestoneState::kPending;
  bool constraint_released = false;   // variable consideration included in the price
  std::vector<std::string> evidence;  // fact ids: "<source_system>/<source_record_id>"
  std::string completing_fact;        // the fact that made the condition true
  int64_t fact_date_ms = 0;
  int64_t achieved_height = 0;
  int64_t achieved_time_ms = 0;
  // Pending only: the requirements (a part of the condition, or the confirmation) that do not
  // hold yet, each with the counters it reads and their values now. Empty for a module compiled
  // before the `requirements` entry existed.
  struct Missing {
    std::string requirement;
    std::vector<std::pair<std::string, int64_t>> now;
    bool operator==(const Missing&) const = default;
  };
  std::vector<Missing> missing;
};

// One fact of the node's fact log: its id and the height it was judged at, in ledger order.
struct LoggedFact {
  std::string id;
  int64_t height = 0;
};

// Counters, unit fees, costs and holdbacks: the contract's position for `contract show`.
struct ContractPosition {
  int64_t version = 0;  // 0 before instantiation
  std::vector<std::pair<std::string, int64_t>> counters;
  std::vector<std::pair<std::string, int64_t>> units_earned;  // per unit fee
  int64_t cost_incurred_minor = 0;
  int64_t estimate_at_completion_minor = 0;
  std::vector<std::pair<std::string, int64_t>> pass_through_spent_minor;
  std::vector<std::pair<std::string, int64_t>> holdback_withheld_minor;
  std::vector<std::pair<std::string, bool>> holdback_released;
};

class ContractRuntime {
 public:
  // Verifies the module and that it matches the metadata's code hash.
  static absl::StatusOr<ContractRuntime> Load(std::string_view module_bytes,
                                              trialledger::v1::ContractMetadata metadata);
  static absl::StatusOr<ContractRuntime> Load(const CompiledContract& compiled);

  const trialledger::v1::ContractMetadata& metadata() const { return metadata_; }

  // Activation: records the parameters (name, SOW literal text such as "120", "USD 5,000.00",
  // "2027-06-30", "true"; unnamed ones keep their defaults) and the version.
  absl::StatusOr<RunResult> Instantiate(
      ContractState& state, const BlockContext& block, const Signer& signer,
      const std::vector<std::pair<std::string, std::string>>& parameters) const;

  // One SubmitFacts transaction. The contract checks that the signer's organisation and role
  // are the ones its feeds bind to each fact kind (else the whole batch is rejected), ignores
  // exact resubmissions, reverses what a corrected fact caused, and settles fees and milestones.
  absl::StatusOr<RunResult> SubmitFacts(ContractState& state, const BlockContext& block,
                                        const Signer& signer,
                                        const trialledger::v1::FactBatch& batch) const;

  // An accepted amendment: this runtime is the new version and takes over the state of
  // `previous`, after CheckAmendment. Fees and milestones are settled again under the new terms.
  absl::StatusOr<RunResult> MigrateFrom(const trialledger::v1::ContractMetadata& previous,
                                        ContractState& state, const BlockContext& block,
                                        const Signer& signer) const;

  absl::StatusOr<std::vector<MilestoneStatus>> Milestones(const ContractState& state) const;
  absl::StatusOr<ContractPosition> Position(const ContractState& state) const;

  // The facts behind each achieved milestone, from the node's fact log (ledger order): those
  // whose recorded effects still raise a counter the milestone's condition reads, up to the fact
  // that completed it (up to its height when an amendment completed it). Replaces `evidence`,
  // which the contract keeps short (the last fact behind each counter) to bound its gas.
  absl::Status AddContributingEvidence(const ContractState& state,
                                       const std::vector<LoggedFact>& log,
                                       std::vector<MilestoneStatus>* milestones) const;

 private:
  ContractRuntime(std::shared_ptr<const vm::Program> program,
                  trialledger::v1::ContractMetadata metadata)
      : program_(std::move(program)), metadata_(std::move(metadata)) {}
  absl::StatusOr<RunResult> Run(std::string_view entry, std::string payload, ContractState& state,
                                const BlockContext& block, const Signer& signer) const;
  // The `requirements` entry's answer over `state`, read-only; nullopt when the module has none.
  absl::StatusOr<std::optional<std::vector<bool>>> RequirementsHeld(
      const ContractState& state) const;

  std::shared_ptr<const vm::Program> program_;
  trialledger::v1::ContractMetadata metadata_;
};

// Whether `next` may replace `previous` over `state`: same parties, currency and study, a higher
// version, and nothing already earned taken away (achieved milestones keep their amounts, unit
// fees with earned units remain). OK or FailedPrecondition naming the first conflict.
absl::Status CheckAmendment(const trialledger::v1::ContractMetadata& previous,
                            const trialledger::v1::ContractMetadata& next,
                            const ContractState& state);

// An event as the ledger records it (EventRecord.event).
trialledger::v1::ContractEvent ToProto(const vm::Event& event);
// "name{field=value, ...}" as DescribeEvent (display.h) writes the recorded form: money as
// "USD 1,250.00", times as ISO dates. For sowc, logs and tests.
std::string FormatEvent(const vm::Event& event);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_RUNTIME_H_
