// Reading TOML files (genesis, node configs, key files) with errors that name the file, line,
// column and field. Debian's toml++ is built with exceptions; they are caught here.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tl {

absl::StatusOr<toml::table> ParseToml(std::string_view text, std::string_view origin);

// Reads fields of one TOML table, keeping the first error with its source position:
//   TableReader reader(table, "node.toml", "node config");
//   std::string name = reader.String("name");
//   if (!reader.status().ok()) return reader.status();
class TableReader {
 public:
  TableReader(const toml::table& table, std::string origin, std::string what)
      : table_(table), origin_(std::move(origin)), what_(std::move(what)) {}

  std::string String(std::string_view key, bool required = true);
  // `fallback` when absent; an error when present but not an integer in [min, max].
  int64_t Integer(std::string_view key, int64_t fallback, int64_t min, int64_t max);
  // 32 bytes written as 64 hex digits.
  std::string Key(std::string_view key);
  std::vector<std::string> Strings(std::string_view key);
  // Records `status` (if an error) against the table as a whole.
  void Check(const absl::Status& status);
  void Fail(const toml::node& where, std::string_view message);
  const absl::Status& status() const { return status_; }

 private:
  const toml::table& table_;
  std::string origin_;
  std::string what_;
  absl::Status status_;
};

// Calls `read(table, index)` for each table of the array `key` (absent: none); an error if `key`
// is not an array of tables.
template <typename Read>
absl::Status ForEachTable(const toml::table& root, std::string_view key, std::string_view origin,
                          Read read) {
  const toml::node* node = root.get(key);
  if (node == nullptr) return absl::OkStatus();
  const toml::array* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    return absl::InvalidArgumentError(
        std::string(origin) + ":" + std::to_string(node->source().begin.line) + ":" +
        std::to_string(node->source().begin.column) + ": '" + std::string(key) + "' must be [[" +
        std::string(key) + "]] tables");
  }
  for (size_t i = 0; i < array->size(); ++i) {
    absl::Status status = read(*array->get(i)->as_table(), i);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// An error naming origin:line:column of the first key of `table` not in `allowed` (a typo in a
// file is refused rather than ignored).
absl::Status RejectUnknownKeys(const toml::table& table,
                               const std::vector<std::string_view>& allowed,
                               std::string_view origin, std::string_view what);

}  // namespace tl
