#include "odm_oracle.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <cstring>
#include <functional>
#include <regex>
#include <stdexcept>

namespace tl::feeds::testing {
namespace {

std::string Prop(xmlNodePtr node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

bool HasProp(xmlNodePtr node, const char* name) {
  return xmlHasProp(node, reinterpret_cast<const xmlChar*>(name)) != nullptr;
}

std::string Text(xmlNodePtr node) {
  xmlChar* value = xmlNodeGetContent(node);
  std::string out = value ? reinterpret_cast<const char*>(value) : "";
  xmlFree(value);
  const size_t first = out.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return out.substr(first, out.find_last_not_of(" \t\r\n") - first + 1);
}

// An ItemData's value without a Value attribute: its own text (ODM 1.3's typed ItemDataString,
// ...) or its Value children's (ODM 2.0), not the text of its AuditRecord.
std::string OwnText(xmlNodePtr item) {
  std::string out;
  for (xmlNodePtr child = item->children; child != nullptr; child = child->next) {
    const bool value = child->type == XML_ELEMENT_NODE &&
                       std::strcmp(reinterpret_cast<const char*>(child->name), "Value") == 0;
    if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE || value) {
      out += Text(child);
    }
  }
  return out;
}

bool Named(xmlNodePtr node, const char* name) {
  return node->type == XML_ELEMENT_NODE &&
         std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

xmlNodePtr Child(xmlNodePtr node, const char* name) {
  for (xmlNodePtr child = node->children; child != nullptr; child = child->next) {
    if (Named(child, name)) return child;
  }
  return nullptr;
}

std::vector<xmlNodePtr> Select(xmlXPathContextPtr context, const char* xpath, xmlNodePtr at) {
  std::vector<xmlNodePtr> nodes;
  xmlXPathObjectPtr result = xmlXPathNodeEval(at, reinterpret_cast<const xmlChar*>(xpath), context);
  if (result == nullptr) throw std::runtime_error(xpath);
  if (result->nodesetval != nullptr) {
    for (int i = 0; i < result->nodesetval->nodeNr; ++i)
      nodes.push_back(result->nodesetval->nodeTab[i]);
  }
  xmlXPathFreeObject(result);
  return nodes;
}

// xs:dateTime as ODM means it: two-digit fields, optional fraction and offset.
bool WellFormedTime(const std::string& text) {
  static const std::regex kDateTime(
      R"(\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})?)");
  return std::regex_match(text, kDateTime);
}

}  // namespace

OdmCounts CountOdm(const std::string& path, const std::string& status_attribute) {
  OdmCounts counts;
  xmlDocPtr doc = xmlReadFile(path.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
  if (doc == nullptr) throw std::runtime_error("cannot parse " + path);
  xmlXPathContextPtr context = xmlXPathNewContext(doc);
  xmlNodePtr root = xmlDocGetRootElement(doc);
  const bool transactional = Prop(root, "FileType") == "Transactional";

  for (xmlNodePtr stamp :
       Select(context, "//*[local-name()='AuditRecord']/*[local-name()='DateTimeStamp']", root)) {
    if (!WellFormedTime(Text(stamp)))
      counts.malformed_timestamp_lines.push_back(xmlGetLineNo(stamp));
  }

  for (xmlNodePtr event : Select(context, "//*[local-name()='StudyEventData']", root)) {
    const std::string subject = Prop(event->parent, "SubjectKey");
    bool counted = false;
    for (xmlNodePtr item : Select(context, ".//*[starts-with(local-name(), 'ItemData')]", event)) {
      if (Prop(item, "IsNull") == "Yes") continue;
      const bool has_value =
          HasProp(item, "Value") ? !Prop(item, "Value").empty() : !OwnText(item).empty();
      if (!has_value) continue;
      // Up from the item to its SubjectData: removed? inside a transaction? which AuditRecord?
      bool removed = false, transaction = false;
      xmlNodePtr audit = nullptr;
      for (xmlNodePtr at = item; at != nullptr && at->type == XML_ELEMENT_NODE; at = at->parent) {
        removed = removed || Prop(at, "TransactionType") == "Remove";
        transaction = transaction || HasProp(at, "TransactionType");
        if (audit == nullptr) audit = Child(at, "AuditRecord");
        if (Named(at, "SubjectData")) break;
      }
      if (removed) continue;
      if (audit != nullptr && !WellFormedTime(Text(Child(audit, "DateTimeStamp")))) continue;
      if (audit == nullptr && transactional && transaction) continue;
      counted = true;
      break;
    }
    if (counted)
      counts.visits[Prop(event, "StudyEventOID")].insert(
          {subject, Prop(event, "StudyEventRepeatKey")});
  }

  if (!status_attribute.empty()) {
    std::map<std::string, std::string> last;
    const std::string xpath =
        "//*[local-name()='SubjectData'][@*[local-name()='" + status_attribute + "']]";
    for (xmlNodePtr subject : Select(context, xpath.c_str(), root)) {
      std::string status;
      for (xmlAttrPtr attr = subject->properties; attr != nullptr; attr = attr->next) {
        if (status_attribute == reinterpret_cast<const char*>(attr->name)) {
          xmlChar* value = xmlNodeListGetString(doc, attr->children, 1);
          status = value ? reinterpret_cast<const char*>(value) : "";
          xmlFree(value);
        }
      }
      const std::string key = Prop(subject, "SubjectKey");
      xmlNodePtr site = Child(subject, "SiteRef");
      if (last[key] == status) continue;
      last[key] = status;
      ++counts.status_changes;
      counts.statuses[{status, site ? Prop(site, "LocationOID") : ""}].insert(key);
    }
  }
  xmlXPathFreeContext(context);
  xmlFreeDoc(doc);
  return counts;
}

}  // namespace tl::feeds::testing
