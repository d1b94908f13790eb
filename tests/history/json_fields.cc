#include "json_fields.h"

#include <cctype>
#include <limits>
#include <utility>

namespace tl::history {
namespace {

std::string Quoted(std::string_view name) {
  return "'" + std::string(name) + "'";
}

}  // namespace

bool JsonFields::Has(std::string_view name) const {
  return object_.contains(name) && !object_.at(name).is_null();
}

void JsonFields::Fail(std::string message) {
  if (!error_) error_ = std::move(message);
}

const nlohmann::json* JsonFields::Find(std::string_view name) {
  if (!Has(name)) {
    Fail("missing field " + Quoted(name));
    return nullptr;
  }
  return &object_.at(name);
}

int64_t JsonFields::Int(std::string_view name) {
  const nlohmann::json* value = Find(name);
  if (value == nullptr) return 0;
  // number_integer holds negatives; number_unsigned holds values up to 2^64, so check the range.
  if (value->is_number_integer() && !value->is_number_unsigned()) return value->get<int64_t>();
  if (value->is_number_unsigned() &&
      value->get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return static_cast<int64_t>(value->get<uint64_t>());
  Fail("field " + Quoted(name) + " must be an integer (int64), got " + value->dump());
  return 0;
}

std::optional<int64_t> JsonFields::OptionalInt(std::string_view name) {
  if (!Has(name)) return std::nullopt;
  return Int(name);
}

bool JsonFields::Bool(std::string_view name) {
  const nlohmann::json* value = Find(name);
  if (value == nullptr) return false;
  if (value->is_boolean()) return value->get<bool>();
  Fail("field " + Quoted(name) + " must be true or false, got " + value->dump());
  return false;
}

std::string JsonFields::String(std::string_view name) {
  const nlohmann::json* value = Find(name);
  if (value == nullptr) return "";
  if (value->is_string()) return value->get<std::string>();
  Fail("field " + Quoted(name) + " must be a string, got " + value->dump());
  return "";
}

std::string JsonFields::CheckHex(std::string_view name, const std::string& text, HexRule rule) {
  if (text.empty() && rule == HexRule::kNonEmpty) {
    Fail("field " + Quoted(name) + " must not be empty");
    return "";
  }
  std::string lower;
  lower.reserve(text.size());
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      Fail("field " + Quoted(name) + " must be hex, got \"" + text + "\"");
      return "";
    }
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return lower;
}

std::string JsonFields::Hex(std::string_view name, HexRule rule) {
  const nlohmann::json* value = Find(name);
  if (value == nullptr) return "";
  if (!value->is_string()) {
    Fail("field " + Quoted(name) + " must be a hex string, got " + value->dump());
    return "";
  }
  return CheckHex(name, value->get<std::string>(), rule);
}

std::optional<std::string> JsonFields::OptionalHex(std::string_view name, HexRule rule) {
  if (!Has(name)) return std::nullopt;
  return Hex(name, rule);
}

std::vector<std::string> JsonFields::HexArray(std::string_view name) {
  std::vector<std::string> items;
  const nlohmann::json* value = Find(name);
  if (value == nullptr) return items;
  if (!value->is_array()) {
    Fail("field " + Quoted(name) + " must be an array of hex strings, got " + value->dump());
    return items;
  }
  for (const nlohmann::json& item : *value) {
    if (!item.is_string()) {
      Fail("field " + Quoted(name) + " must hold only hex strings, got " + item.dump());
      return {};
    }
    items.push_back(CheckHex(name, item.get<std::string>(), HexRule::kNonEmpty));
  }
  return items;
}

}  // namespace tl::history
