#include "odm_generator.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#include "rave_study.h"
#include "subject_plan.h"
#include "trialledger/base/check.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"

namespace tl::bench {
namespace {

using namespace rave;  // the study's tables and the subjects' plans

constexpr std::array<std::string_view, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                      "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

constexpr std::string_view Indent(int level) {
  constexpr std::string_view kSpaces = "                                                  ";
  return kSpaces.substr(0, static_cast<size_t>(level) * 4);
}

std::string_view CategoryName(Action action) {
  switch (action) {
    case Action::kCreate:
      return "SubjectCreated";
    case Action::kRename:
      return "SubjectNameChanged";
    case Action::kDelete:
      return "Deleted";
    case Action::kStatus:
      return "SubjectStatusChanged";
    case Action::kInstanceTarget:
      return "InstanceTarget";
    case Action::kSetVisible:
      return "SetVisible";
    case Action::kEnterEmpty:
      return "EnteredEmpty";
    case Action::kEnter:
      return "Entered";
    case Action::kCorrect:
      return "EnteredWithChangeCode";
    case Action::kQueryOpen:
      return "QueryOpen";
    case Action::kQueryClose:
      return "QueryClose";
    case Action::kRemoveLine:
      return "Inactivated";
  }
  TL_UNREACHABLE("every Action has a category");
}

class StreamWriter {
 public:
  StreamWriter(Rng& rng, GeneratedOdm* counts) : rng_(rng), counts_(counts) {}

  // The clock starts on a Monday morning and moves 5 s to 15 min per record.
  void Advance() { clock_ms_ += rng_.Between(5, 900) * kMsPerSecond; }

  void Header(std::string* out) {
    StrAppend(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
              "<ODM ODMVersion=\"1.3\" FileType=\"Transactional\" FileOID=\"", Uuid(rng_),
              "\" CreationDateTime=\"", LocalTime(),
              "\" xmlns=\"http://www.cdisc.org/ns/odm/v1.3\"", " xmlns:mdsol=\"", kMdsolNamespace,
              "\">\n");
  }

  void Record(const Subject& subject, const Step& step, std::string* out) {
    const Site& site = kSites[subject.site];
    const bool mapped = !site.contract_site.empty();
    ++counts_->clinical_data_blocks;
    if (step.action == Action::kCreate) ++counts_->subjects;
    StrAppend(out, Indent(1), "<ClinicalData StudyOID=\"", kStudyOid,
              "\" MetaDataVersionOID=\"16\"  mdsol:AuditSubCategoryName=\"",
              CategoryName(step.action), "\">\n", Indent(2), "<SubjectData SubjectKey=\"",
              subject.key, "\" mdsol:SubjectKeyType=\"SubjectUUID\" mdsol:SubjectName=\"",
              subject.name, "\" ");
    switch (step.action) {
      case Action::kCreate:
      case Action::kRename:
      case Action::kDelete:
      case Action::kStatus: {
        const bool removed = step.action == Action::kDelete;
        StrAppend(out, " TransactionType=\"", removed ? "Remove" : "Upsert", "\" ");
        std::string_view reason;
        if (step.action == Action::kStatus) {
          const Status& status = kStatuses[step.status];
          StrAppend(out, " mdsol:Status=\"", status.value, "\" ");
          reason = status.value;
          if (!status.fact.empty())
            ++(mapped ? counts_->expected_facts : counts_->expected_skipped);
        }
        StrAppend(out, " >\n");
        WriteAudit(3, SiteUser(subject), site, reason, out);
        StrAppend(out, Indent(3), "<SiteRef LocationOID=\"", site.location_oid, "\" />\n");
        break;
      }
      default:
        StrAppend(out, " >\n", Indent(3), "<SiteRef LocationOID=\"", site.location_oid, "\" />\n");
        WriteEvent(subject, step, out);
        if (step.action == Action::kEnter || step.action == Action::kCorrect) {
          const bool visit = !kFolders[step.folder].visit_type.empty();
          if (visit && !mapped) ++counts_->expected_skipped;  // each StudyEventData, once
          if (step.first_visit_data && mapped) ++counts_->expected_facts;
        }
    }
    StrAppend(out, Indent(2), "</SubjectData>\n", Indent(1), "</ClinicalData>\n");
  }

 private:
  void WriteEvent(const Subject& subject, const Step& step, std::string* out) {
    const Folder& folder = kFolders[step.folder];
    const Site& site = kSites[subject.site];
    StrAppend(out, Indent(3), "<StudyEventData StudyEventOID=\"", folder.oid, "\" ");
    if (!folder.repeat_key.empty()) {
      StrAppend(out, " StudyEventRepeatKey=\"", folder.repeat_key, "[", step.folder_repeat,
                "]\"  ");
    }
    if (step.action == Action::kInstanceTarget) {
      StrAppend(out, " TransactionType=\"Upsert\"  ");
    }
    if (step.folder != kSubjectFolder)
      StrAppend(out, " mdsol:InstanceId=\"", step.instance_id, "\"");
    StrAppend(out, " >\n");
    if (step.action == Action::kInstanceTarget) {
      WriteAudit(4, kSystemUser, site, "", out);
      StrAppend(out, Indent(3), "</StudyEventData>\n");
      return;
    }
    const Form& form = kForms[step.form];
    StrAppend(out, Indent(4), "<FormData FormOID=\"", form.oid,
              "\" FormRepeatKey=\"1\"  mdsol:DataPageId=\"", step.page_id, "\" >\n", Indent(5),
              "<ItemGroupData ItemGroupOID=\"", form.group, "\" ");
    if (form.log) StrAppend(out, "ItemGroupRepeatKey=\"", step.line, "\"\t ");
    if (step.action == Action::kRemoveLine) {
      StrAppend(out, " TransactionType=\"Remove\" ");
    }
    StrAppend(out, "  mdsol:RecordId=\"", step.record_id, "\" >\n");
    if (step.action == Action::kRemoveLine) {
      WriteAudit(6, SiteUser(subject), site, "", out);
    } else {
      WriteItem(subject, step, out);
    }
    StrAppend(out, Indent(5), "</ItemGroupData>\n", Indent(4), "</FormData>\n", Indent(3),
              "</StudyEventData>\n");
  }

  void WriteItem(const Subject& subject, const Step& step, std::string* out) {
    const Item& item = kForms[step.form].items[step.item];
    const Site& site = kSites[subject.site];
    StrAppend(out, Indent(6), "<ItemData ItemOID=\"", item.oid, "\" TransactionType=\"Upsert\" ");
    std::string_view user = SiteUser(subject), reason;
    switch (step.action) {
      case Action::kEnterEmpty:
        StrAppend(out, " Value=\"\" \t ");
        break;
      case Action::kCorrect:
        reason = kCorrectionReasons[rng_.Below(kCorrectionReasons.size())];
        [[fallthrough]];
      case Action::kEnter:
        StrAppend(out, " Value=\"");
        WriteValue(item, subject, out);
        StrAppend(out, "\" \t ");
        break;
      default:
        user = kSystemUser;  // shown fields and queries are the system's
    }
    StrAppend(out, ">\n");
    WriteAudit(7, user, site, reason, out);
    if (step.action == Action::kQueryOpen || step.action == Action::kQueryClose) {
      const bool open = step.action == Action::kQueryOpen;
      StrAppend(out, Indent(7), "<mdsol:Query  QueryRepeatKey=\"", step.record_id,
                "\"   Value=\"Please verify ", item.oid, " against the source.\" Status=\"",
                open ? "Open" : "Closed", "\" Recipient=\"Site from System\"/>\n");
    }
    StrAppend(out, Indent(6), "</ItemData>\n");
  }

  void WriteValue(const Item& item, const Subject& subject, std::string* out) {
    switch (item.kind) {
      case ValueKind::kDate:
        return WriteDate(CivilFromMs(clock_ms_), out);
      case ValueKind::kBirthDate:
        return WriteDate({rng_.Between(1940, 2003), rng_.Between(1, 12), rng_.Between(1, 28)}, out);
      case ValueKind::kInteger:
        return StrAppend(out, rng_.Between(item.lo, item.hi));
      case ValueKind::kDecimal: {
        const int64_t tenths = rng_.Between(item.lo * 10, item.hi * 10);
        return StrAppend(out, tenths / 10, ".", tenths % 10);
      }
      case ValueKind::kChoice:
        return StrAppend(out, Pick(item.choices, rng_));
      case ValueKind::kCountry:
        return StrAppend(out, kSites[subject.site].country);
      case ValueKind::kSubjectId:
        return StrAppend(out, kContractStudy, "-", subject.name);
    }
  }

  static void WriteDate(const CivilDate& date, std::string* out) {
    StrAppend(out, date.day < 10 ? "0" : "", date.day, " ", kMonths[date.month - 1], " ",
              date.year);
  }

  void WriteAudit(int level, std::string_view user, const Site& site, std::string_view reason,
                  std::string* out) {
    Advance();
    StrAppend(out, Indent(level), "<AuditRecord>\n", Indent(level + 1), "<UserRef UserOID=\"", user,
              "\"/>\n", Indent(level + 1), "<LocationRef LocationOID=\"", site.location_oid,
              "\" />\n", Indent(level + 1), "<DateTimeStamp>", LocalTime(), "</DateTimeStamp>\n",
              Indent(level + 1), "<ReasonForChange>", reason, "</ReasonForChange>\n",
              Indent(level + 1), "<SourceID>", ++source_id_, "</SourceID>\n", Indent(level),
              "</AuditRecord>\n");
  }

  // Three coordinators per site.
  std::string_view SiteUser(const Subject& subject) {
    return kUsers[(subject.site * 3 + rng_.Below(3)) % kUsers.size()];
  }

  // Rave writes audit times without an offset, in the site's local time (the mapping says so).
  std::string LocalTime() const {
    std::string text = FormatIsoTimestamp(clock_ms_);
    text.pop_back();  // the 'Z'
    return text;
  }

  Rng& rng_;
  GeneratedOdm* counts_;
  int64_t clock_ms_ = *ParseIsoTimestamp("2019-03-04T08:00:00Z");
  int64_t source_id_ = 3140;
};

// Subjects whose histories are being written at once.
constexpr size_t kActiveSubjects = 24;

}  // namespace

absl::StatusOr<GeneratedOdm> WriteRaveOdm(const std::string& path, int64_t size_bytes_min,
                                          uint64_t seed) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return absl::UnavailableError(StrCat("cannot create ", path, ": ", std::strerror(errno)));
  }
  GeneratedOdm counts;
  Rng rng(seed);
  Planner planner(rng);
  StreamWriter writer(rng, &counts);
  std::vector<Subject> active;
  for (size_t i = 0; i < kActiveSubjects; ++i)
    active.push_back(planner.NewSubject());
  constexpr std::string_view kFooter = "</ODM>\n";
  std::string text;
  writer.Header(&text);
  bool written = true;
  while (written &&
         counts.size_bytes + static_cast<int64_t>(text.size() + kFooter.size()) < size_bytes_min) {
    Subject& subject = active[rng.Below(active.size())];
    if (subject.next == subject.steps.size()) subject = planner.NewSubject();
    writer.Record(subject, subject.steps[subject.next++], &text);
    if (text.size() >= (1 << 20)) {
      written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
      counts.size_bytes += static_cast<int64_t>(text.size());
      text.clear();
    }
  }
  text.append(kFooter);
  written = written && std::fwrite(text.data(), 1, text.size(), file) == text.size();
  counts.size_bytes += static_cast<int64_t>(text.size());
  if (std::fclose(file) != 0 || !written) {
    return absl::UnavailableError(StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  return counts;
}

}  // namespace tl::bench
