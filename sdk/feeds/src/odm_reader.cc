// The XML walk of an ODM file: libxml2's xmlTextReader hands over one node at a time and frees
// it when we move on, so memory stays bounded whatever the file's size. We keep a stack of the
// data elements we are inside (SubjectData > StudyEventData > FormData > ItemGroupData* >
// ItemData) with their AuditRecords, and skip every other subtree (metadata, signatures,
// annotations, vendor extensions) unread. What the pieces mean is odm_facts.cc.
#include "trialledger/feeds/odm_reader.h"

#include <libxml/xmlreader.h>

#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "feed_time.h"
#include "odm_facts.h"
#include "reporter.h"
#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/feeds/limits.h"

namespace tl::feeds {
namespace {

using internal::OdmAudit;
using internal::OdmFactBuilder;
using internal::OdmItem;
using internal::OdmSubject;
using internal::Reporter;

enum class Element {
  kOdm,
  kAdminData,
  kClinicalData,
  kSubjectData,
  kStudyEventData,
  kFormData,
  kItemGroupData,
  kItemData,
  kValue,  // ODM 2.0: ItemData's value as a child
  kAuditRecord,
  kAuditText,  // DateTimeStamp, ReasonForChange, SourceID
};

struct Frame {
  Element element = Element::kOdm;
  int64_t line = 0;
  std::string name;  // "FormData PAGE_1", for messages
  bool transaction = false;
  bool removed = false;
  bool has_value = false;   // ItemData: holds collected data
  bool null_value = false;  // ItemData IsNull="Yes": explicitly no data
  std::optional<OdmAudit> audit;
};

bool IsDataElement(Element element) {
  return element == Element::kSubjectData || element == Element::kStudyEventData ||
         element == Element::kFormData || element == Element::kItemGroupData ||
         element == Element::kItemData;
}

bool IsOdmNamespace(const xmlChar* uri) {
  // ODM 1.1 files often declare no namespace; 1.2 to 2.0 use http://www.cdisc.org/ns/odm/vX.Y.
  constexpr std::string_view kOdm = "http://www.cdisc.org/ns/odm/v";
  return uri == nullptr ||
         std::string_view(reinterpret_cast<const char*>(uri)).substr(0, kOdm.size()) == kOdm;
}

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

struct ReaderDeleter {
  void operator()(xmlTextReaderPtr reader) const { xmlFreeTextReader(reader); }
};
using ReaderPtr = std::unique_ptr<xmlTextReader, ReaderDeleter>;

class OdmWalker {
 public:
  OdmWalker(xmlTextReaderPtr reader, std::string_view file, const OdmMapping& mapping,
            const ImportOptions& options, ImportReport* report, FactSink& sink)
      : reader_(reader),
        mapping_(mapping),
        report_(report),
        reporter_(file, options, report),
        builder_(mapping, reporter_, sink) {
    xmlTextReaderSetStructuredErrorHandler(reader_, &OdmWalker::OnXmlError, this);
  }

  absl::Status Run() {
    bool skip_subtree = false;
    while (true) {
      const int rc = skip_subtree ? xmlTextReaderNext(reader_) : xmlTextReaderRead(reader_);
      skip_subtree = false;
      if (rc == 0) break;
      if (rc < 0) return XmlError();
      absl::Status status;
      switch (xmlTextReaderNodeType(reader_)) {
        case XML_READER_TYPE_ELEMENT: {
          const bool empty = xmlTextReaderIsEmptyElement(reader_) == 1;
          bool descend = false;
          status = OnStart(&descend);
          if (status.ok() && descend && empty) status = OnEnd();
          skip_subtree = !descend && !empty;
          break;
        }
        case XML_READER_TYPE_END_ELEMENT:
          status = OnEnd();
          break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
          status = OnText(Value());
          break;
        default:
          break;
      }
      if (!status.ok()) return status;
    }
    if (!xml_error_.empty()) return XmlError();
    if (!seen_root_) return reporter_.Fatal(0, "the file has no ODM element");
    return absl::OkStatus();
  }

 private:
  static void OnXmlError(void* self, xmlErrorPtr error) {
    auto* walker = static_cast<OdmWalker*>(self);
    if (error == nullptr || error->level < XML_ERR_ERROR || !walker->xml_error_.empty()) return;
    walker->xml_error_line_ = error->line;
    walker->xml_error_ = std::string(Trim(error->message ? error->message : "unknown error"));
  }

  absl::Status XmlError() const {
    return reporter_.Fatal(
        xml_error_line_,
        StrCat("not well-formed XML: ", xml_error_.empty() ? "the XML reader failed" : xml_error_));
  }

  int64_t Line() const { return xmlGetLineNo(xmlTextReaderCurrentNode(reader_)); }

  std::string_view Value() const {
    const xmlChar* value = xmlTextReaderConstValue(reader_);
    return value ? std::string_view(reinterpret_cast<const char*>(value)) : std::string_view();
  }

  std::optional<std::string> OptionalAttribute(const char* name, const char* ns) const {
    xmlChar* value =
        ns == nullptr || *ns == '\0'
            ? xmlTextReaderGetAttribute(reader_, reinterpret_cast<const xmlChar*>(name))
            : xmlTextReaderGetAttributeNs(reader_, reinterpret_cast<const xmlChar*>(name),
                                          reinterpret_cast<const xmlChar*>(ns));
    if (value == nullptr) return std::nullopt;
    std::string out(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return out;
  }

  // An attribute without namespace, "" when absent.
  std::string Attribute(const char* name) const {
    return OptionalAttribute(name, nullptr).value_or("");
  }

  // "subject P001, StudyEventData VISIT_1, FormData PAGE_1": the data elements we are in.
  std::string RecordPath() const {
    std::string out;
    for (const Frame& frame : stack_) {
      if (!IsDataElement(frame.element)) continue;
      if (!out.empty()) out += ", ";
      out += frame.name;
    }
    return out;
  }

  Element Parent() const { return stack_.back().element; }

  void Push(Element element, std::string name) {
    Frame frame;
    frame.element = element;
    frame.line = Line();
    frame.name = std::move(name);
    if (IsDataElement(element)) {
      const std::string transaction = Attribute("TransactionType");
      frame.transaction = !transaction.empty();
      frame.removed = transaction == "Remove";
    }
    stack_.push_back(std::move(frame));
  }

  // Decides whether to read into the element (`*descend`) or skip its subtree unread.
  absl::Status OnStart(bool* descend) {
    if (static_cast<size_t>(xmlTextReaderDepth(reader_)) >= limits::kOdmDepthMax) {
      return reporter_.Fatal(Line(), StrCat("elements nest deeper than ", limits::kOdmDepthMax));
    }
    const std::string_view name(
        reinterpret_cast<const char*>(xmlTextReaderConstLocalName(reader_)));
    if (!IsOdmNamespace(xmlTextReaderConstNamespaceUri(reader_))) {
      if (stack_.empty()) return reporter_.Fatal(Line(), "the root element is not ODM");
      return absl::OkStatus();  // a vendor extension: its attributes on ODM elements are read
    }
    if (stack_.empty()) {
      if (name != "ODM")
        return reporter_.Fatal(Line(), StrCat("the root element is ", name, ", not ODM"));
      seen_root_ = true;
      std::string file_time = Attribute("AsOfDateTime");
      if (file_time.empty()) file_time = Attribute("CreationDateTime");
      builder_.SetFile(Attribute("FileType") == "Transactional", std::string(Trim(file_time)),
                       Line());
      Push(Element::kOdm, "ODM");
      *descend = true;
      return absl::OkStatus();
    }
    switch (Parent()) {
      case Element::kOdm:
        if (name == "AdminData") Push(Element::kAdminData, "AdminData");
        if (name == "ClinicalData") return StartClinicalData(descend);
        break;
      case Element::kAdminData:
        if (name == "Location") builder_.AddLocation(Attribute("OID"), Attribute("Name"));
        return absl::OkStatus();
      case Element::kClinicalData:
        if (name == "SubjectData") StartSubject();
        break;
      case Element::kSubjectData:
        if (name == "SiteRef") subject_.site_ref = Attribute("LocationOID");
        if (name == "StudyEventData") return StartVisit(descend);
        break;
      case Element::kStudyEventData:
        if (name == "FormData") Push(Element::kFormData, StrCat("FormData ", Attribute("FormOID")));
        if (name == "ItemGroupData") StartItemGroup();
        break;
      case Element::kFormData:
      case Element::kItemGroupData:
        if (name == "ItemGroupData") StartItemGroup();
        // ODM 1.3 also has typed ItemDataString, ItemDataInteger, ... with the value as text.
        if (name.substr(0, 8) == "ItemData") StartItem();
        break;
      case Element::kItemData:
        if (name == "Value") Push(Element::kValue, "Value");
        break;
      case Element::kAuditRecord:
        StartAuditField(name);
        break;
      case Element::kValue:
      case Element::kAuditText:
        break;
    }
    if (name == "AuditRecord" && IsDataElement(Parent()) && !audit_) {
      audit_ = OdmAudit{};
      audit_->line = Line();
      Push(Element::kAuditRecord, "AuditRecord");
    }
    *descend = stack_.size() > static_cast<size_t>(xmlTextReaderDepth(reader_));
    return absl::OkStatus();
  }

  absl::Status StartClinicalData(bool* descend) {
    const std::string study_oid = Attribute("StudyOID");
    if (!mapping_.odm_study_oid.empty() && study_oid != mapping_.odm_study_oid) {
      return reporter_.Skip(
          Line(), StrCat("ClinicalData StudyOID ", study_oid),
          StrCat("not the mapping's odm_study_oid '", mapping_.odm_study_oid, "'"));
    }
    study_oid_ = study_oid;
    Push(Element::kClinicalData, "ClinicalData");
    *descend = true;
    return absl::OkStatus();
  }

  void StartSubject() {
    subject_ = OdmSubject{};
    subject_.line = Line();
    subject_.study_oid = study_oid_;
    subject_.key = Attribute("SubjectKey");
    if (!mapping_.status_attribute.empty()) {
      subject_.status =
          OptionalAttribute(mapping_.status_attribute.c_str(), mapping_.status_namespace.c_str());
    }
    subject_status_done_ = false;
    Push(Element::kSubjectData, StrCat("subject ", subject_.key));
    subject_.transaction = stack_.back().transaction;
    subject_.removed = stack_.back().removed;
    ++report_->records_read;
  }

  absl::Status StartVisit(bool* descend) {
    // The subject's AuditRecord and SiteRef come before its StudyEventData (the ODM schema's
    // order), so its status fact can go out first: a contract may require the enrolment before
    // it bills a visit.
    if (!subject_status_done_) {
      subject_status_done_ = true;
      if (absl::Status s = builder_.SubjectStatus(subject_); !s.ok()) return s;
    }
    const std::string oid = Attribute("StudyEventOID");
    const std::string repeat_key = Attribute("StudyEventRepeatKey");
    std::string name = StrCat("StudyEventData ", oid);
    if (!repeat_key.empty()) StrAppend(&name, " [", repeat_key, "]");
    Push(Element::kStudyEventData, std::move(name));
    builder_.BeginVisit(oid, repeat_key, stack_.back().line);
    *descend = true;
    return absl::OkStatus();
  }

  void StartItemGroup() {
    Push(Element::kItemGroupData, StrCat("ItemGroupData ", Attribute("ItemGroupOID")));
  }

  void StartItem() {
    Push(Element::kItemData, StrCat("ItemData ", Attribute("ItemOID")));
    const std::optional<std::string> value = OptionalAttribute("Value", nullptr);
    stack_.back().null_value = Attribute("IsNull") == "Yes";
    stack_.back().has_value = value && !Trim(*value).empty() && !stack_.back().null_value;
  }

  void StartAuditField(std::string_view name) {
    TL_CHECK(audit_.has_value());
    if (name == "UserRef") audit_->user = Attribute("UserOID");
    if (name == "LocationRef") audit_->location = Attribute("LocationOID");
    std::string* target = name == "DateTimeStamp"     ? &audit_->time_text
                          : name == "ReasonForChange" ? &audit_->reason
                          : name == "SourceID"        ? &audit_->source_id
                                                      : nullptr;
    if (target == nullptr) return;
    if (name == "DateTimeStamp") audit_time_line_ = Line();
    text_target_ = target;
    text_target_->clear();
    Push(Element::kAuditText, std::string(name));
  }

  absl::Status OnText(std::string_view text) {
    if (stack_.empty()) return absl::OkStatus();
    Frame& top = stack_.back();
    if (top.element == Element::kAuditText && text_target_ != nullptr) {
      if (text_target_->size() + text.size() > limits::kOdmTextBytesMax) {
        audit_too_long_ = top.name;
        return absl::OkStatus();
      }
      text_target_->append(text);
    } else if ((top.element == Element::kValue || top.element == Element::kItemData) &&
               !Trim(text).empty()) {
      // The enclosing ItemData holds a value.
      for (auto frame = stack_.rbegin(); frame != stack_.rend(); ++frame) {
        if (frame->element == Element::kItemData) {
          frame->has_value = !frame->null_value;
          break;
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status OnEnd() {
    TL_CHECK(!stack_.empty());
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    switch (frame.element) {
      case Element::kAuditText:
        if (text_target_ != nullptr) *text_target_ = std::string(Trim(*text_target_));
        text_target_ = nullptr;
        return absl::OkStatus();
      case Element::kAuditRecord:
        return EndAudit();
      case Element::kItemData:
        return EndItem(frame);
      case Element::kStudyEventData:
        return builder_.EndVisit(subject_);
      case Element::kSubjectData:
        if (subject_status_done_) return absl::OkStatus();
        subject_status_done_ = true;
        return builder_.SubjectStatus(subject_);
      default:
        return absl::OkStatus();
    }
  }

  // Checks the AuditRecord and gives it to the element that holds it. A bad one is reported
  // once, here; the data it covers is then skipped quietly.
  absl::Status EndAudit() {
    TL_CHECK(audit_.has_value() && !stack_.empty());
    OdmAudit audit = std::move(*audit_);
    audit_.reset();
    std::string why;
    absl::Status status;
    if (!audit_too_long_.empty()) {
      why = StrCat(audit_too_long_, " is longer than ", limits::kOdmTextBytesMax, " bytes");
    } else if (audit.time_text.empty()) {
      why = "the AuditRecord has no DateTimeStamp";
    } else {
      audit.time = internal::ParseTimestamp(audit.time_text, &why);
      if (!audit.time) why = StrCat("DateTimeStamp '", audit.time_text, "' is malformed: ", why);
    }
    audit_too_long_.clear();
    if (!audit.time) {
      const int64_t line = audit_time_line_ > 0 ? audit_time_line_ : audit.line;
      status = reporter_.Skip(line, RecordPath(), StrCat(why, "; the data it covers is skipped"));
    }
    audit_time_line_ = 0;
    if (stack_.back().element == Element::kSubjectData) subject_.audit = audit;
    stack_.back().audit = std::move(audit);
    return status;
  }

  absl::Status EndItem(const Frame& item) {
    if (!item.has_value || item.removed) return absl::OkStatus();
    OdmItem counted;
    counted.line = item.line;
    counted.transaction = item.transaction;
    if (item.audit) counted.audit = &*item.audit;
    bool in_visit = false;
    for (auto frame = stack_.rbegin(); frame != stack_.rend(); ++frame) {
      if (frame->removed) return absl::OkStatus();  // inside a removed form, group or visit
      counted.transaction = counted.transaction || frame->transaction;
      if (counted.audit == nullptr && frame->audit) counted.audit = &*frame->audit;
      in_visit = in_visit || frame->element == Element::kStudyEventData;
    }
    if (!in_visit) return absl::OkStatus();
    counted.record = StrCat(RecordPath(), ", ", item.name);
    return builder_.VisitItem(subject_, counted);
  }

  xmlTextReaderPtr reader_;
  const OdmMapping& mapping_;
  ImportReport* report_;
  Reporter reporter_;
  OdmFactBuilder builder_;
  std::vector<Frame> stack_;
  bool seen_root_ = false;
  std::string study_oid_;
  OdmSubject subject_;
  bool subject_status_done_ = false;
  std::optional<OdmAudit> audit_;  // the AuditRecord being read
  int64_t audit_time_line_ = 0;
  std::string audit_too_long_;  // the field that was, if one was
  std::string* text_target_ = nullptr;
  std::string xml_error_;
  int64_t xml_error_line_ = 0;
};

// No network, no DTD loading or entity substitution (ODM 1.1 files name a DTD we do not need),
// and line numbers past 65535 (Rave streams are long).
// Errors go to the reader's structured handler, not to stderr.
constexpr int kXmlOptions = XML_PARSE_NONET | XML_PARSE_BIG_LINES;

absl::StatusOr<ImportReport> Walk(ReaderPtr reader, std::string_view file_name,
                                  const OdmMapping& mapping, const ImportOptions& options,
                                  FactSink& sink) {
  if (reader == nullptr) {
    return absl::InvalidArgumentError(StrCat(file_name, ": cannot start the XML reader"));
  }
  ImportReport report;
  OdmWalker walker(reader.get(), file_name, mapping, options, &report, sink);
  if (absl::Status status = walker.Run(); !status.ok()) return status;
  return report;
}

absl::StatusOr<ImportResult> Collected(absl::StatusOr<ImportReport> report,
                                       FactCollector collector) {
  if (!report.ok()) return report.status();
  return ImportResult{std::move(collector).TakeFacts(), *std::move(report)};
}

}  // namespace

absl::StatusOr<ImportReport> ImportOdmFile(const std::string& path, const OdmMapping& mapping,
                                           const ImportOptions& options, FactSink& sink) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return absl::NotFoundError(StrCat("cannot read ", path, ": not a file"));
  }
  xmlInitParser();
  return Walk(ReaderPtr(xmlReaderForFile(path.c_str(), nullptr, kXmlOptions)), path, mapping,
              options, sink);
}

absl::StatusOr<ImportReport> ImportOdmText(std::string_view xml, std::string_view file_name,
                                           const OdmMapping& mapping, const ImportOptions& options,
                                           FactSink& sink) {
  if (xml.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return absl::InvalidArgumentError(StrCat(file_name, ": too large to read from memory"));
  }
  xmlInitParser();
  const std::string url(file_name);
  return Walk(ReaderPtr(xmlReaderForMemory(xml.data(), static_cast<int>(xml.size()), url.c_str(),
                                           nullptr, kXmlOptions)),
              file_name, mapping, options, sink);
}

absl::StatusOr<ImportResult> ImportOdmFile(const std::string& path, const OdmMapping& mapping,
                                           const ImportOptions& options) {
  FactCollector collector;
  absl::StatusOr<ImportReport> report = ImportOdmFile(path, mapping, options, collector);
  return Collected(std::move(report), std::move(collector));
}

absl::StatusOr<ImportResult> ImportOdmText(std::string_view xml, std::string_view file_name,
                                           const OdmMapping& mapping,
                                           const ImportOptions& options) {
  FactCollector collector;
  absl::StatusOr<ImportReport> report = ImportOdmText(xml, file_name, mapping, options, collector);
  return Collected(std::move(report), std::move(collector));
}

}  // namespace tl::feeds
