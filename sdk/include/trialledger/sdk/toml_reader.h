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

}  // namespace tl
