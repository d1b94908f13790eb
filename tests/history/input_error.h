// Errors in the checker's inputs (a malformed line, an unreadable file). These are not anomalies:
// the checker cannot judge what it cannot read, so main.cc exits 2 with the message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tl::history {

struct InputError {
  std::string source;  // the file name
  int64_t line = 0;    // 1-based; 0 when the error concerns the whole file
  std::string what;

  // "history.jsonl:7: field 'end_us' (10) is before 'start_us' (12)"
  std::string ToString() const {
    return line > 0 ? source + ":" + std::to_string(line) + ": " + what : source + ": " + what;
  }
};

// A parsed value or the first input error found.
template <typename T>
class Parsed {
 public:
  // Implicit, so that a parser can `return value;` or `return InputError{...};`.
  Parsed(T value) : result_(std::move(value)) {}
  Parsed(InputError error) : result_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(result_); }
  // REQUIRES: ok()
  const T& value() const& { return std::get<T>(result_); }
  T&& value() && { return std::get<T>(std::move(result_)); }
  // REQUIRES: !ok()
  const InputError& error() const { return std::get<InputError>(result_); }

 private:
  std::variant<T, InputError> result_;
};

}  // namespace tl::history
