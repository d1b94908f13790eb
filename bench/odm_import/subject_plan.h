// One subject's history in the study (rave_study.h), as the audit records Rave writes for it:
// created, named, statuses changed, folders scheduled, fields shown, entered, queried,
// corrected, log lines removed. Planned whole when the subject is created, then written a
// record at a time, interleaved with other subjects' (odm_generator.cc).
//
//   Rng rng(seed);
//   Planner planner(rng);
//   Subject subject = planner.NewSubject();   // subject.steps: one audit record each
//
// Deterministic: a splitmix64 stream and integer arithmetic only; no std:: distributions,
// whose output the standard leaves to the library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rave_study.h"
#include "trialledger/base/splitmix64.h"

namespace tl::bench::rave {

using Rng = ::tl::SplitMix64;

// One of the '|'-separated choices.
std::string_view Pick(std::string_view choices, Rng& rng);
// A random (version 4) UUID, as Rave's SubjectKeys are.
std::string Uuid(Rng& rng);

enum class Action {
  kCreate,          // SubjectCreated
  kRename,          // SubjectNameChanged
  kDelete,          // Deleted: the subject was created by mistake
  kStatus,          // SubjectStatusChanged, with mdsol:Status
  kInstanceTarget,  // a scheduled folder instance: StudyEventData with an AuditRecord, no data
  kSetVisible,      // a dynamic field shown: ItemData without a value
  kEnterEmpty,      // EnteredEmpty: Value=""
  kEnter,           // Entered: collected data
  kCorrect,         // EnteredWithChangeCode: data with a ReasonForChange
  kQueryOpen,       // a system query: ItemData without a value, an mdsol:Query child
  kQueryClose,
  kRemoveLine,  // Inactivated: a log line removed (ItemGroupData TransactionType="Remove")
};

struct Step {
  Action action = Action::kCreate;
  uint8_t folder = 0, form = 0, item = 0;
  uint8_t status = 0;
  uint16_t folder_repeat = 1;
  uint16_t line = 0;  // log forms' ItemGroupRepeatKey
  uint32_t instance_id = 0, page_id = 0, record_id = 0;
  bool first_visit_data = false;  // the earliest data of a visit instance: its one fact
};

struct Subject {
  std::string key;   // SubjectKey: Rave's UUID
  std::string name;  // mdsol:SubjectName
  size_t site = 0;
  std::vector<Step> steps;
  size_t next = 0;
};

// Plans subjects' histories. REQUIRES: `rng` outlives the planner.
class Planner {
 public:
  explicit Planner(Rng& rng) : rng_(rng) {}

  // A new subject at a site drawn by weight, and its whole history: screening; a screen
  // failure, or enrolment, randomisation and the visits, ended early or completed, then
  // follow-up calls. One subject in a hundred is created by mistake and deleted.
  Subject NewSubject();

 private:
  void PlanStudy();
  void FollowUp();
  void AdverseEvent(uint16_t line);
  void SetStatus(StatusIndex status);
  Step StartFolder(FolderIndex folder, uint16_t repeat);
  Step Entries(FormIndex form, size_t begin, size_t end, Step folder);
  static Step With(Step step, Action action) {
    step.action = action;
    return step;
  }
  void Push(const Step& step) { subject_->steps.push_back(step); }

  Rng& rng_;
  Subject* subject_ = nullptr;  // the one being planned
  bool visit_has_data_ = false;
  // Rave's internal ids, counting on from the sample file's.
  uint32_t next_instance_id_ = 49, next_page_id_ = 178, next_record_id_ = 250;
  std::array<uint32_t, kSites.size()> subjects_at_site_{};
};

}  // namespace tl::bench::rave
