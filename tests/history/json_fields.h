// Typed reads of one JSON Lines record's fields, shared by the history and ledger parsers so both
// word their errors the same way. Internal to the checker.
//
// Usage:
//   JsonFields fields(object);
//   int64_t height = fields.Int("height");
//   std::string hash = fields.Hex("hash", HexRule::kNonEmpty);
//   if (fields.error()) return InputError{source, line, *fields.error()};
//
// A read that fails records the first error and returns a default value, so a parser reads all
// its fields straight through and checks once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tl::history {

enum class HexRule { kNonEmpty, kMayBeEmpty };

class JsonFields {
 public:
  // REQUIRES: object outlives this; object.is_object()
  explicit JsonFields(const nlohmann::json& object) : object_(object) {}

  bool Has(std::string_view name) const;
  int64_t Int(std::string_view name);
  std::optional<int64_t> OptionalInt(std::string_view name);
  bool Bool(std::string_view name);
  std::string String(std::string_view name);
  // Lower-cased; digits and a-f only.
  std::string Hex(std::string_view name, HexRule rule);
  std::optional<std::string> OptionalHex(std::string_view name, HexRule rule);
  std::vector<std::string> HexArray(std::string_view name);

  // Records a parser's own complaint (e.g. a value out of range) unless an error came first.
  void Fail(std::string message);
  const std::optional<std::string>& error() const { return error_; }

 private:
  const nlohmann::json* Find(std::string_view name);  // records "missing field" when absent
  std::string CheckHex(std::string_view name, const std::string& text, HexRule rule);

  const nlohmann::json& object_;
  std::optional<std::string> error_;
};

}  // namespace tl::history
