#include "subject_plan.h"

#include "trialledger/base/str_cat.h"

namespace tl::bench::rave {

std::string_view Pick(std::string_view choices, Rng& rng) {
  size_t count = 1;
  for (char c : choices)
    count += c == '|';
  size_t skip = rng.Below(count);
  size_t begin = 0;
  while (skip-- > 0)
    begin = choices.find('|', begin) + 1;
  const size_t end = choices.find('|', begin);
  return choices.substr(begin,
                        end == std::string_view::npos ? std::string_view::npos : end - begin);
}

std::string Uuid(Rng& rng) {
  constexpr char kHex[] = "0123456789abcdef";
  const uint64_t high = rng.Next(), low = rng.Next();
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out.push_back('-');
    const uint64_t word = i < 16 ? high : low;
    const uint64_t digit = (word >> ((15 - i % 16) * 4)) & 0xf;
    // RFC 4122 version 4 (random) and variant 10xx, as Rave's SubjectKeys are.
    out.push_back(i == 12 ? '4' : i == 16 ? kHex[8 | (digit & 3)] : kHex[digit]);
  }
  return out;
}

Subject Planner::NewSubject() {
  Subject subject;
  subject_ = &subject;
  int ticket = static_cast<int>(rng_.Below(100));
  while (ticket >= kSites[subject.site].weight_percent) {
    ticket -= kSites[subject.site].weight_percent;
    ++subject.site;
  }
  subject.key = Uuid(rng_);
  subject.name = StrCat(kSites[subject.site].location_oid, "-",
                        1001 + static_cast<int>(subjects_at_site_[subject.site]++));
  Push({.action = Action::kCreate});
  Push({.action = Action::kRename});
  if (rng_.Percent(1)) {
    Push({.action = Action::kDelete});
  } else {
    PlanStudy();
  }
  subject_ = nullptr;
  return subject;
}

void Planner::PlanStudy() {
  SetStatus(kScreening);
  const Step enrolment = Entries(kEn, 0, 2, StartFolder(kSubjectFolder, 1));
  const Step screen = StartFolder(kScreen, 1);
  for (FormIndex form : {kDm, kIe, kVs})
    Entries(form, 0, kForms[form].items.size(), screen);
  if (rng_.Percent(15)) return SetStatus(kScreenFailed);
  SetStatus(kEnrolled);
  SetStatus(kRandomized);
  Entries(kEn, 2, 3, enrolment);  // the arm, on the same enrolment page
  uint16_t ae_lines = 0, unscheduled = 0;
  for (FolderIndex folder : {kVisit01, kVisit02, kVisit03, kCycle1, kCycle2}) {
    const Step visit = StartFolder(folder, 1);
    const bool cycle = folder == kCycle1 || folder == kCycle2;
    for (FormIndex form : {cycle ? kEx : kVs, cycle ? kVs : kLb}) {
      Entries(form, 0, kForms[form].items.size(), visit);
    }
    if (rng_.Percent(25)) AdverseEvent(++ae_lines);
    if (folder == kVisit01 && rng_.Percent(2)) {
      return SetStatus(kScreenFailed);  // found ineligible after enrolment: the fee reverses
    }
    if (folder == kVisit02 && rng_.Percent(10)) {
      SetStatus(kTerminated);
      return FollowUp();
    }
    if (folder == kVisit03 && rng_.Percent(20)) {
      const Step extra = StartFolder(kUnscheduled, ++unscheduled);
      Entries(kVs, 0, kForms[kVs].items.size(), extra);
    }
  }
  SetStatus(kCompleted);
  FollowUp();
}

void Planner::FollowUp() {
  SetStatus(kFollowUpStatus);
  const int calls = static_cast<int>(rng_.Between(1, 2));
  for (int call = 1; call <= calls; ++call) {
    const Step folder = StartFolder(kFollowUp, static_cast<uint16_t>(call));
    Entries(kSurv, 0, kForms[kSurv].items.size(), folder);
  }
}

void Planner::AdverseEvent(uint16_t line) {
  Step folder = StartFolder(kSubjectFolder, 1);
  folder.line = line;
  Entries(kAe, 0, kForms[kAe].items.size(), folder);
  if (rng_.Percent(15)) {
    Step removal = subject_->steps.back();
    removal.action = Action::kRemoveLine;
    removal.first_visit_data = false;
    Push(removal);
  }
}

void Planner::SetStatus(StatusIndex status) {
  Push({.action = Action::kStatus, .status = static_cast<uint8_t>(status)});
}

// A folder instance: the fields its records share. Scheduled folders get an InstanceTarget.
Step Planner::StartFolder(FolderIndex folder, uint16_t repeat) {
  Step step{.folder = static_cast<uint8_t>(folder), .folder_repeat = repeat};
  step.instance_id = ++next_instance_id_;
  visit_has_data_ = false;
  if (kFolders[folder].scheduled) {
    step.action = Action::kInstanceTarget;
    Push(step);
  }
  return step;
}

// Items [begin, end) of a form in the folder instance `folder`, each entered and sometimes
// shown first, entered empty first, queried and corrected.
// REQUIRES: `folder` came from the latest StartFolder, or is the enrolment page reused.
// Returns the page's fields, to add items to the same page later.
Step Planner::Entries(FormIndex form, size_t begin, size_t end, Step folder) {
  Step step = folder;
  step.form = static_cast<uint8_t>(form);
  if (folder.page_id == 0 || begin == 0) step.page_id = ++next_page_id_;
  if (folder.record_id == 0 || begin == 0) step.record_id = ++next_record_id_;
  const bool visit = !kFolders[folder.folder].visit_type.empty();
  for (size_t item = begin; item < end; ++item) {
    step.item = static_cast<uint8_t>(item);
    step.first_visit_data = false;
    if (rng_.Percent(20)) Push(With(step, Action::kSetVisible));
    if (rng_.Percent(4)) Push(With(step, Action::kEnterEmpty));
    step.first_visit_data = visit && !visit_has_data_;
    visit_has_data_ = true;
    Push(With(step, Action::kEnter));
    step.first_visit_data = false;
    if (rng_.Percent(3)) {
      Push(With(step, Action::kQueryOpen));
      Push(With(step, Action::kCorrect));
      Push(With(step, Action::kQueryClose));
    } else if (rng_.Percent(5)) {
      Push(With(step, Action::kCorrect));
    }
  }
  return step;
}

}  // namespace tl::bench::rave
