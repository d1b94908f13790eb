#include "trialledger/sdk/toml_reader.h"

#include <fmt/format.h>
#include <algorithm>
#include <limits>

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/crypto.h"

namespace tl {

absl::StatusOr<toml::table> ParseToml(std::string_view text, std::string_view origin) {
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& error) {
    return absl::InvalidArgumentError(fmt::format("{}:{}:{}: {}", origin, error.source().begin.line,
                                                  error.source().begin.column,
                                                  error.description()));
  }
}

std::string TableReader::String(std::string_view key, bool required) {
  const toml::node* node = table_.get(key);
  if (node == nullptr) {
    if (required) Fail(table_, StrCat("'", key, "' is missing"));
    return "";
  }
  if (!node->is_string()) {
    Fail(*node, StrCat("'", key, "' must be a string"));
    return "";
  }
  return node->as_string()->get();
}

int64_t TableReader::Integer(std::string_view key, int64_t fallback, int64_t min, int64_t max) {
  const toml::node* node = table_.get(key);
  if (node == nullptr) return fallback;
  if (!node->is_integer()) {
    Fail(*node, StrCat("'", key, "' must be an integer"));
    return fallback;
  }
  int64_t value = node->as_integer()->get();
  if (value < min || value > max) {
    Fail(*node, StrCat("'", key, "' is ", value, "; it must be between ", min, " and ", max));
    return fallback;
  }
  return value;
}

std::string TableReader::Key(std::string_view key) {
  std::string hex = String(key);
  if (!status_.ok()) return "";
  absl::StatusOr<std::string> bytes = FromHexExact(hex, kPublicKeyBytes, key);
  if (!bytes.ok()) {
    Fail(*table_.get(key), MessageOf(bytes.status()));
    return "";
  }
  return *bytes;
}

std::vector<std::string> TableReader::Strings(std::string_view key) {
  std::vector<std::string> values;
  const toml::node* node = table_.get(key);
  if (node == nullptr || !node->is_array()) {
    Fail(node ? *node : table_, StrCat("'", key, "' must be a list of strings"));
    return values;
  }
  for (const toml::node& item : *node->as_array()) {
    if (!item.is_string()) {
      Fail(item, StrCat("'", key, "' must be a list of strings"));
      return values;
    }
    values.push_back(item.as_string()->get());
  }
  return values;
}

absl::Status RejectUnknownKeys(const toml::table& table,
                               const std::vector<std::string_view>& allowed,
                               std::string_view origin, std::string_view what) {
  for (const auto& [key, value] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
    std::string known;
    for (std::string_view name : allowed)
      known += StrCat(known.empty() ? "" : ", ", name);
    return absl::InvalidArgumentError(fmt::format(
        "{}:{}:{}: {}: unknown field '{}' (expected one of {})", origin, value.source().begin.line,
        value.source().begin.column, what, std::string_view(key.str()), known));
  }
  return absl::OkStatus();
}

void TableReader::Check(const absl::Status& status) {
  if (!status.ok()) Fail(table_, MessageOf(status));
}

void TableReader::Fail(const toml::node& where, std::string_view message) {
  if (!status_.ok()) return;
  status_ =
      absl::InvalidArgumentError(fmt::format("{}:{}:{}: {}: {}", origin_, where.source().begin.line,
                                             where.source().begin.column, what_, message));
}

}  // namespace tl
