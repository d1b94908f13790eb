#include "trialledger/contracts/fact_rules.h"

#include <map>

namespace tl::contracts {

using namespace abi;  // status names

const std::vector<Transition>& TransitionsOf(FactKind kind) {
  static const std::map<FactKind, std::vector<Transition>> kTable = {
      {FactKind::kSubjectScreened,
       {
           {{kSubjectNone}, kSubjectScreened, {{"screened", 1}}, ""},
           {{kSubjectScreened, kSubjectEnrolled, kSubjectRandomized, kSubjectScreenFailed,
             kSubjectWithdrawn, kSubjectCompleted},
            -1,
            {},
            ""},
       }},
      {FactKind::kSubjectEnrolled,
       {
           {{kSubjectNone, kSubjectScreened}, kSubjectEnrolled, {{"enrolled", 1}}, ""},
           {{kSubjectEnrolled, kSubjectRandomized, kSubjectWithdrawn, kSubjectCompleted},
            -1,
            {},
            ""},
           {{kSubjectScreenFailed}, -1, {}, "failed screening and cannot be enrolled"},
       }},
      {FactKind::kSubjectRandomized,
       {
           {{kSubjectNone, kSubjectScreened},
            kSubjectRandomized,
            {{"enrolled", 1}, {"randomized", 1}},
            ""},
           {{kSubjectEnrolled}, kSubjectRandomized, {{"randomized", 1}}, ""},
           {{kSubjectRandomized, kSubjectWithdrawn, kSubjectCompleted}, -1, {}, ""},
           {{kSubjectScreenFailed}, -1, {}, "failed screening and cannot be randomized"},
       }},
      // A screen failure after an enrolment reverses the enrolment (and its unit fee).
      {FactKind::kSubjectScreenFailed,
       {
           {{kSubjectNone, kSubjectScreened}, kSubjectScreenFailed, {{"screen_failed", 1}}, ""},
           {{kSubjectEnrolled}, kSubjectScreenFailed, {{"enrolled", -1}, {"screen_failed", 1}}, ""},
           {{kSubjectRandomized},
            kSubjectScreenFailed,
            {{"enrolled", -1}, {"randomized", -1}, {"screen_failed", 1}},
            ""},
           {{kSubjectScreenFailed}, -1, {}, ""},
           {{kSubjectWithdrawn, kSubjectCompleted}, -1, {}, "already left the study"},
       }},
      {FactKind::kSubjectWithdrawn,
       {
           {{kSubjectEnrolled, kSubjectRandomized}, kSubjectWithdrawn, {{"withdrawn", 1}}, ""},
           {{kSubjectWithdrawn}, -1, {}, ""},
           {{kSubjectNone, kSubjectScreened, kSubjectScreenFailed, kSubjectCompleted},
            -1,
            {},
            "is not on study"},
       }},
      {FactKind::kSubjectCompleted,
       {
           {{kSubjectEnrolled, kSubjectRandomized}, kSubjectCompleted, {{"completed", 1}}, ""},
           {{kSubjectCompleted}, -1, {}, ""},
           {{kSubjectNone, kSubjectScreened, kSubjectScreenFailed, kSubjectWithdrawn},
            -1,
            {},
            "is not on study"},
       }},
      {FactKind::kSiteActivated,
       {
           {{kSiteNone}, kSiteActive, {{"sites_activated", 1}}, ""},
           {{kSiteActive}, -1, {}, ""},
           {{kSiteClosed}, -1, {}, "is closed"},
       }},
      {FactKind::kSiteClosed,
       {
           {{kSiteActive}, kSiteClosed, {{"sites_closed", 1}}, ""},
           {{kSiteClosed}, -1, {}, ""},
           {{kSiteNone}, -1, {}, "was never activated"},
       }},
      {FactKind::kMonitoringVisit,
       {
           {{kSiteActive}, -1, {{"monitoring_visits", 1}}, ""},
           {{kSiteNone, kSiteClosed}, -1, {}, "is not active"},
       }},
  };
  static const std::vector<Transition> kNone;
  auto it = kTable.find(kind);
  return it == kTable.end() ? kNone : it->second;
}

}  // namespace tl::contracts
