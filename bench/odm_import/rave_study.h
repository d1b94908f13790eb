// The made-up study that bench/odm_import's streams come from, as a Medidata Rave build would
// define it: sites (one of them the training site, which the mapping leaves out), subject
// statuses, folders (StudyEventOIDs, billable visits or not), forms and their items, users. The
// generator writes its records from these tables and MappingToml() writes the mapping from
// them, so the two cannot disagree.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace tl::bench::rave {

inline constexpr std::string_view kStudyOid = "Mediflex(Prod)";
inline constexpr std::string_view kContractStudy = "MEDIFLEX";
inline constexpr std::string_view kMdsolNamespace = "http://www.mdsol.com/ns/odm/metadata";

struct Site {
  std::string_view location_oid;   // Rave's site number
  std::string_view contract_site;  // empty: not in the mapping
  std::string_view time_zone;
  std::string_view country;
  int weight_percent;  // share of subjects
};
inline constexpr std::array<Site, 10> kSites = {{
    {"101", "NYC-01", "America/New_York", "USA", 14},
    {"102", "CHI-01", "America/Chicago", "USA", 12},
    {"103", "VAN-01", "America/Vancouver", "CAN", 9},
    {"201", "LON-01", "Europe/London", "GBR", 12},
    {"202", "BER-01", "Europe/Berlin", "DEU", 11},
    {"203", "MAD-01", "Europe/Madrid", "ESP", 9},
    {"301", "TYO-01", "Asia/Tokyo", "JPN", 12},
    {"302", "SYD-01", "Australia/Sydney", "AUS", 8},
    {"401", "SAO-01", "America/Sao_Paulo", "BRA", 11},
    // Rave's training site, where coordinators practise: real-looking data the contract must
    // not pay for, so the mapping leaves it out and its records are skipped and listed.
    {"999", "", "UTC", "USA", 2},
}};

struct Status {
  std::string_view value;  // mdsol:Status
  std::string_view fact;   // empty: status.ignore
};
enum StatusIndex {
  kScreening,
  kEnrolled,
  kRandomized,
  kScreenFailed,
  kTerminated,
  kCompleted,
  kFollowUpStatus
};
inline constexpr std::array<Status, 7> kStatuses = {{
    {"Screening", ""},
    {"Enrolled", "subject_enrolled"},
    {"Randomized", "subject_randomized"},
    {"Screen Failed", "subject_screen_failed"},
    {"Early Terminated", "subject_withdrawn"},
    {"Completed", "subject_completed"},
    {"Follow-Up", ""},
}};

struct Folder {
  std::string_view oid;         // StudyEventOID
  std::string_view visit_type;  // empty: visits.not_visits
  std::string_view repeat_key;  // StudyEventRepeatKey before the number; empty: none
  bool scheduled;               // Rave writes an InstanceTarget record for it
};
enum FolderIndex {
  kSubjectFolder,
  kScreen,
  kVisit01,
  kVisit02,
  kVisit03,
  kCycle1,
  kCycle2,
  kUnscheduled,
  kFollowUp
};
inline constexpr std::array<Folder, 9> kFolders = {{
    {"SUBJECT", "", "", false},
    {"SCREEN", "SCREENING", "SCREEN", true},
    {"VISIT01", "VISIT1", "VISIT01", true},
    {"VISIT02", "VISIT2", "VISIT02", true},
    {"VISIT03", "VISIT3", "VISIT03", true},
    {"CYCLE1", "CYCLE1", "YEAR1[1]/CYCLE1", true},
    {"CYCLE2", "CYCLE2", "YEAR1[1]/CYCLE2", true},
    {"UNSCHEDULED", "UNSCHEDULED", "UNSCHEDULED", false},
    {"FOLLOWUP", "", "FOLLOWUP", false},  // survival calls: not billed as visits
}};

enum class ValueKind { kDate, kBirthDate, kInteger, kDecimal, kChoice, kCountry, kSubjectId };
struct Item {
  std::string_view oid;
  ValueKind kind;
  int lo = 0, hi = 0;
  std::string_view choices = {};  // '|'-separated, for kChoice
};
inline constexpr Item kEnItems[] = {{"EN.USUBJID", ValueKind::kSubjectId},
                                    {"EN.ENRDT", ValueKind::kDate},
                                    {"EN.ARM", ValueKind::kChoice, 0, 0, "ARM A|ARM B"}};
inline constexpr Item kAeItems[] = {
    {"AE.AETERM", ValueKind::kChoice, 0, 0, "HEADACHE|NAUSEA|FATIGUE|RASH|ANAEMIA|DIARRHOEA"},
    {"AE.AESTDTC", ValueKind::kDate},
    {"AE.AESEV", ValueKind::kChoice, 0, 0, "MILD|MODERATE|SEVERE"},
    {"AE.AEREL", ValueKind::kChoice, 0, 0, "NOT RELATED|POSSIBLY RELATED|RELATED"}};
inline constexpr Item kDmItems[] = {{"DM.BRTHDTC", ValueKind::kBirthDate},
                                    {"DM.SEX", ValueKind::kChoice, 0, 0, "MALE|FEMALE"},
                                    {"DM.RACE", ValueKind::kInteger, 1, 6},
                                    {"DM.COUNTRY", ValueKind::kCountry},
                                    {"DM.CHILDBEAR", ValueKind::kChoice, 0, 0, "Y|N|NA"}};
inline constexpr Item kIeItems[] = {{"IE.INC1", ValueKind::kChoice, 0, 0, "Y"},
                                    {"IE.INC2", ValueKind::kChoice, 0, 0, "Y"},
                                    {"IE.INC3", ValueKind::kChoice, 0, 0, "Y"},
                                    {"IE.EXC1", ValueKind::kChoice, 0, 0, "N"},
                                    {"IE.EXC2", ValueKind::kChoice, 0, 0, "N"}};
inline constexpr Item kVsItems[] = {
    {"VS.VSDTC", ValueKind::kDate},           {"VS.SBP", ValueKind::kInteger, 95, 165},
    {"VS.DBP", ValueKind::kInteger, 55, 100}, {"VS.PULSE", ValueKind::kInteger, 48, 110},
    {"VS.TEMP", ValueKind::kDecimal, 36, 38}, {"VS.WEIGHT", ValueKind::kDecimal, 45, 120}};
inline constexpr Item kLbItems[] = {
    {"LB.LBDTC", ValueKind::kDate},         {"LB.HGB", ValueKind::kDecimal, 9, 17},
    {"LB.WBC", ValueKind::kDecimal, 3, 11}, {"LB.PLT", ValueKind::kInteger, 140, 420},
    {"LB.ALT", ValueKind::kInteger, 7, 56}, {"LB.AST", ValueKind::kInteger, 10, 40}};
inline constexpr Item kExItems[] = {{"EX.EXSTDTC", ValueKind::kDate},
                                    {"EX.EXDOSE", ValueKind::kChoice, 0, 0, "75|100|150"},
                                    {"EX.EXADJ", ValueKind::kChoice, 0, 0, "N|N|N|Y"}};
inline constexpr Item kSurvItems[] = {
    {"SURV.CONTACTDT", ValueKind::kDate},
    {"SURV.STATUS", ValueKind::kChoice, 0, 0, "ALIVE|ALIVE|LOST"}};

struct Form {
  std::string_view oid;
  std::string_view group;  // ItemGroupOID
  bool log;                // a log form: one ItemGroupRepeatKey per line
  std::span<const Item> items;
};
enum FormIndex { kEn, kAe, kDm, kIe, kVs, kLb, kEx, kSurv };
inline constexpr std::array<Form, 8> kForms = {{
    {"EN", "EN", false, kEnItems},
    {"AE", "AE_LOG_LINE", true, kAeItems},
    {"DM", "DM", false, kDmItems},
    {"IE", "IE", false, kIeItems},
    {"VS", "VS", false, kVsItems},
    {"LB", "LB", false, kLbItems},
    {"EX", "EX", false, kExItems},
    {"SURV", "SURV", false, kSurvItems},
}};

inline constexpr std::array<std::string_view, 27> kUsers = {
    "pvummudi", "jsmith",  "akowalski", "mchen",    "rpatel",     "lgarcia", "tnguyen",
    "hmueller", "sbrown",  "kyamada",   "dlopez",   "ewilson",    "fmartin", "gtanaka",
    "iclark",   "jrossi",  "kmorgan",   "lsato",    "mfischer",   "nrobles", "okim",
    "pdubois",  "qhassan", "rsilva",    "soconnor", "tlindqvist", "uweber"};
inline constexpr std::string_view kSystemUser = "systemuser";
inline constexpr std::array<std::string_view, 3> kCorrectionReasons = {
    "Data Entry Error", "Transcription Error", "Per Source Document"};

// The TOML mapping (docs/feeds.md "The mapping file") that reads the streams.
std::string MappingToml();

}  // namespace tl::bench::rave
