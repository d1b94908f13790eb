// The normalized fact kinds a contract understands (sdk/proto/trialledger/v1/facts.proto), with
// their SOW names and the numbers the compiled contract sees. The numbers appear in stored fact
// records, so they never change meaning.
#ifndef TRIALLEDGER_CONTRACTS_FACT_KINDS_H_
#define TRIALLEDGER_CONTRACTS_FACT_KINDS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "trialledger/v1/facts.pb.h"

namespace tl::contracts {

enum class FactKind : int64_t {
  kSubjectScreened = 1,
  kSubjectEnrolled = 2,
  kSubjectRandomized = 3,
  kSubjectScreenFailed = 4,
  kSubjectWithdrawn = 5,
  kSubjectCompleted = 6,
  kVisitCompleted = 7,
  kSiteActivated = 8,
  kSiteClosed = 9,
  kMonitoringVisit = 10,
  kFirstPatientIn = 11,
  kLastPatientLastVisit = 12,
  kDatabaseLock = 13,
  kCostIncurred = 14,
  kEstimateAtCompletion = 15,
  kRetracted = 16,
  kMilestoneConfirmed = 17,
};

// Every kind, in number order.
std::span<const FactKind> AllFactKinds();
// SOW and JSON name, e.g. "subject_enrolled".
std::string_view FactKindName(FactKind kind);
std::optional<FactKind> FactKindFromName(std::string_view name);

// The kind of a fact message; nullopt when none is set.
std::optional<FactKind> FactKindOf(const trialledger::v1::Fact& fact);

// Which fields a fact of this kind carries.
bool FactHasSite(FactKind kind);
bool FactHasSubject(FactKind kind);
bool FactHasAmount(FactKind kind);
// visit_type for visits, category for costs, the milestone for confirmations.
bool FactHasDetail(FactKind kind);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_FACT_KINDS_H_
