#include "trialledger/contracts/fact_kinds.h"

#include <array>

namespace tl::contracts {
namespace {

struct KindInfo {
  FactKind kind;
  std::string_view name;
};

constexpr std::array<KindInfo, 17> kKinds = {{
    {FactKind::kSubjectScreened, "subject_screened"},
    {FactKind::kSubjectEnrolled, "subject_enrolled"},
    {FactKind::kSubjectRandomized, "subject_randomized"},
    {FactKind::kSubjectScreenFailed, "subject_screen_failed"},
    {FactKind::kSubjectWithdrawn, "subject_withdrawn"},
    {FactKind::kSubjectCompleted, "subject_completed"},
    {FactKind::kVisitCompleted, "visit_completed"},
    {FactKind::kSiteActivated, "site_activated"},
    {FactKind::kSiteClosed, "site_closed"},
    {FactKind::kMonitoringVisit, "monitoring_visit"},
    {FactKind::kFirstPatientIn, "first_patient_in"},
    {FactKind::kLastPatientLastVisit, "last_patient_last_visit"},
    {FactKind::kDatabaseLock, "database_lock"},
    {FactKind::kCostIncurred, "cost_incurred"},
    {FactKind::kEstimateAtCompletion, "estimate_at_completion"},
    {FactKind::kRetracted, "retracted"},
    {FactKind::kMilestoneConfirmed, "milestone_confirmed"},
}};

constexpr std::array<FactKind, kKinds.size()> kAll = [] {
  std::array<FactKind, kKinds.size()> all{};
  for (size_t i = 0; i < kKinds.size(); ++i)
    all[i] = kKinds[i].kind;
  return all;
}();

}  // namespace

std::span<const FactKind> AllFactKinds() {
  return kAll;
}

std::string_view FactKindName(FactKind kind) {
  for (const KindInfo& info : kKinds) {
    if (info.kind == kind) return info.name;
  }
  return "unknown";
}

std::optional<FactKind> FactKindFromName(std::string_view name) {
  for (const KindInfo& info : kKinds) {
    if (info.name == name) return info.kind;
  }
  return std::nullopt;
}

bool FactHasSite(FactKind kind) {
  return kind <= FactKind::kMonitoringVisit;
}

bool FactHasSubject(FactKind kind) {
  return kind <= FactKind::kVisitCompleted;
}

bool FactHasAmount(FactKind kind) {
  return kind == FactKind::kCostIncurred || kind == FactKind::kEstimateAtCompletion;
}

bool FactHasDetail(FactKind kind) {
  return kind == FactKind::kVisitCompleted || kind == FactKind::kCostIncurred ||
         kind == FactKind::kMilestoneConfirmed;
}

}  // namespace tl::contracts
