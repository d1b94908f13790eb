#include "json_lines.h"

#include <string_view>

namespace tl::history {
namespace {

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// nlohmann's message counts lines within the one string it was given (always "line 1"); keep
// only the column onwards, since the file line is ours to report.
std::string SyntaxErrorText(const nlohmann::json::parse_error& error) {
  std::string what = error.what();
  size_t column = what.find("column");
  return "not valid JSON: " + (column == std::string::npos ? what : what.substr(column));
}

}  // namespace

std::optional<InputError> ForEachJsonLine(std::istream& in, const std::string& source,
                                          const JsonLineVisitor& visit) {
  std::string text;
  int64_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (IsBlank(text)) continue;
    nlohmann::json object;
    // nlohmann reports syntax errors only by exception; it stops here, at the line it concerns.
    try {
      object = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& error) {
      return InputError{source, line, SyntaxErrorText(error)};
    }
    if (!object.is_object())
      return InputError{source, line, "must be a JSON object, got " + object.dump()};
    if (std::optional<InputError> error = visit(object, line)) return error;
  }
  if (in.bad()) return InputError{source, line + 1, "read failed"};
  return std::nullopt;
}

}  // namespace tl::history
