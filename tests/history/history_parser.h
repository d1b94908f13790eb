// Parses a client history: JSON Lines, one operation per line (README.md has the format).
//
// Usage:
//   std::ifstream in(path);
//   Parsed<History> history = ParseHistory(in, path);
//   if (!history.ok()) { std::cerr << history.error().ToString() << "\n"; return 2; }
#pragma once

#include <istream>
#include <string>

#include "history.h"
#include "input_error.h"

namespace tl::history {

// Fails on the first line that is not valid JSON, lacks a field its op needs, has a field of the
// wrong type, an unknown op or outcome, a non-hex tx_id, a negative height or end_us < start_us.
// Fields the format does not name are ignored, so recorders may add their own.
Parsed<History> ParseHistory(std::istream& in, const std::string& source);

}  // namespace tl::history
