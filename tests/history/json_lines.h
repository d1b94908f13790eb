// Reading JSON Lines: one JSON object per line, blank lines skipped. Internal to the checker.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "input_error.h"

namespace tl::history {

// Called with each line's object and its 1-based line number; returns an error to stop.
using JsonLineVisitor =
    std::function<std::optional<InputError>(const nlohmann::json& object, int64_t line)>;

// Calls `visit` for every non-blank line of `in` in order. A line that is not a JSON object is an
// error naming `source` and the line; so is a read failure of the stream itself.
std::optional<InputError> ForEachJsonLine(std::istream& in, const std::string& source,
                                          const JsonLineVisitor& visit);

}  // namespace tl::history
