// The contract ABI shared by the code generator and the runtime: entry points, the fact record
// the runtime passes in, per-fact result codes, status numbers and the storage layout. Described
// for readers in docs/sow-language.md ("Runtime ABI"); stored state depends on these values, so
// they never change meaning.
#ifndef TRIALLEDGER_CONTRACTS_ABI_H_
#define TRIALLEDGER_CONTRACTS_ABI_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "trialledger/v1/contract.pb.h"

namespace tl::contracts::abi {

// Entry points.
inline constexpr std::string_view kEntryInit = "init";        // payload: map name -> value
inline constexpr std::string_view kEntrySubmit = "submit";    // payload: list of fact records
inline constexpr std::string_view kEntryMigrate = "migrate";  // payload: int previous version
// Read-only, no payload: a list of bool, whether each milestone requirement holds
// (Milestone.requirements in contract.proto, milestones in SOW order). Modules compiled before
// it existed lack it; the runtime then lists no missing requirements.
inline constexpr std::string_view kEntryRequirements = "requirements";

// Fields of a fact record, in order (vm record shape kFactFields).
enum FactField : uint16_t {
  kFieldKind = 0,     // int, FactKind
  kFieldId,           // string "<source_system>/<source_record_id>"
  kFieldStudy,        // string
  kFieldDate,         // time: the day it happened
  kFieldSite,         // string
  kFieldSubject,      // string
  kFieldDetail,       // string: visit type or cost category
  kFieldAmount,       // money (zero money without currency when the kind has none)
  kFieldCorrection,   // bool
  kFieldSourceTime,   // time
  kFieldAuditUser,    // string
  kFieldAuditReason,  // string
  kFactFieldCount,
};
// Fields 0..kContentFieldCount-1 are the fact's content: two facts with equal content are the
// same fact (a resubmission), whatever their audit details.
inline constexpr uint16_t kContentFieldCount = kFieldCorrection;

// Result of one fact: record {code: int, message: string}.
enum ResultCode : int64_t {
  kResultApplied = 1,    // new fact, applied (possibly with no effect, e.g. a second screening)
  kResultDuplicate = 2,  // same source record already applied with the same content: ignored
  kResultCorrected = 3,  // a correction: the earlier fact's effects were reversed, then applied
  kResultRejected = 4,   // failed validation; no state changed for this fact
  kResultHeld = 5,       // waits for its site's activation (`else hold`); nothing counted yet
};

// Subject status (s/<subject>), site status (site/<site>), milestone status (ms/<name>).
enum SubjectStatus : int64_t {
  kSubjectNone = 0,
  kSubjectScreened = 1,
  kSubjectEnrolled = 2,
  kSubjectRandomized = 3,
  kSubjectScreenFailed = 4,
  kSubjectWithdrawn = 5,
  kSubjectCompleted = 6,
};
enum SiteStatus : int64_t { kSiteNone = 0, kSiteActive = 1, kSiteClosed = 2 };
enum MilestoneStatus : int64_t {
  kMilestonePending = 0,
  kMilestoneAchieved = 1,
  kMilestoneLapsed = 2
};

// Storage keys (relative to the contract). <x> is text from the SOW or from facts.
inline constexpr std::string_view kKeyVersion = "meta/version";  // int: running SOW version
inline constexpr std::string_view kPrefixParameter = "p/";       // p/<name>: parameter value
inline constexpr std::string_view kPrefixCounter = "c/";         // c/<counter>: int
inline constexpr std::string_view kPrefixMoney = "m/";           // m/<name>: money
inline constexpr std::string_view kPrefixEvidence = "e/";        // e/<counter>: last fact id
inline constexpr std::string_view kPrefixSubject = "s/";         // s/<subject>: SubjectStatus
inline constexpr std::string_view kPrefixSite = "site/";         // site/<site>: SiteStatus
inline constexpr std::string_view kPrefixFact = "f/";            // f/<fact id>: bytes of record
inline constexpr std::string_view kPrefixMilestone = "ms/";      // ms/<name>: MilestoneStatus
inline constexpr std::string_view kPrefixConstraint = "mc/";     // mc/<name>: 1 once released
inline constexpr std::string_view kPrefixAchievement = "md/";    // md/<name>: achievement record
inline constexpr std::string_view kPrefixUnits = "u/";           // u/<fee>: units earned
inline constexpr std::string_view kPrefixHeld = "h/";            // h/<holdback>: money withheld
inline constexpr std::string_view kPrefixReleased = "hr/";       // hr/<holdback>: 1 once released
inline constexpr std::string_view kPassThroughSpend = "pt/";     // m/pt/<name>: money spent
inline constexpr std::string_view kPrefixHeldFact = "hf/";   // hf/<fact id>: the held fact record
inline constexpr std::string_view kPrefixHeldQueue = "hq/";  // hq/<site>: held fact ids, in order

// Fields of the achievement record md/<name>, in order.
enum AchievementField : uint16_t {
  kAchievedHeight = 0,  // int
  kAchievedTime,        // time: block time
  kAchievedAmount,      // money
  kAchievedEvidence,    // list of fact ids
  kAchievedFact,        // string: the fact that completed the condition
  kAchievedFactDate,    // time
  kAchievementFieldCount,
};

// The contract state a SOW condition can name, one home for the checker (which names exist, and
// their types), the code generator and the runtime's position report. Counters and flags are
// ints under kPrefixCounter (a flag is a counter read as "not zero"); money states are money
// under kPrefixMoney.
enum class StateKind { kCounter, kFlag, kMoney };
struct StateName {
  std::string_view name;
  StateKind kind;
};
inline constexpr StateName kStateNames[] = {
    {"screened", StateKind::kCounter},
    {"enrolled", StateKind::kCounter},
    {"randomized", StateKind::kCounter},
    {"screen_failed", StateKind::kCounter},
    {"withdrawn", StateKind::kCounter},
    {"completed", StateKind::kCounter},
    {"sites_activated", StateKind::kCounter},
    {"sites_closed", StateKind::kCounter},
    {"monitoring_visits", StateKind::kCounter},
    {"visits", StateKind::kCounter},
    {"first_patient_in", StateKind::kFlag},
    {"last_patient_last_visit", StateKind::kFlag},
    {"database_locked", StateKind::kFlag},
    // Set when the contract is instantiated: a milestone `when contract_signed` is a fee due at
    // signature (a mobilisation fee); one added by a change order is due when it is approved.
    {"contract_signed", StateKind::kFlag},
    {"cost_incurred", StateKind::kMoney},
    {"estimate_at_completion", StateKind::kMoney},
};
inline constexpr std::string_view kStateContractSigned = "contract_signed";
inline constexpr std::string_view kStateCostIncurred = "cost_incurred";
inline constexpr std::string_view kStateEstimateAtCompletion = "estimate_at_completion";

// A confirmed milestone's confirmation: the counter c/confirmed/<milestone>, 1 once a
// milestone_confirmed fact names it (a flag: further confirmations change nothing).
inline constexpr std::string_view kConfirmedPrefix = "confirmed/";
inline std::string ConfirmedCounter(std::string_view milestone) {
  std::string counter(kConfirmedPrefix);
  counter += milestone;
  return counter;
}

// The name of a milestone's kind in events and displays: "milestone", "incentive", "penalty".
std::string_view MilestoneKindName(trialledger::v1::MilestoneKind kind);

inline std::string Key(std::string_view prefix, std::string_view name) {
  std::string key(prefix);
  key += name;
  return key;
}

}  // namespace tl::contracts::abi

#endif  // TRIALLEDGER_CONTRACTS_ABI_H_
