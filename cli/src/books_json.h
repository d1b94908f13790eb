// What the books' commands share: money as the reports show it and the --period check.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "output.h"

namespace tl::cli {

// Money as the reports show it: "1400000.00" in JSON, "1,400,000.00" in tables.
std::string Amount(int64_t minor, std::string_view currency, OutputFormat format);

// Throws CommandError naming `flag` unless `period` is empty or a valid "YYYY-MM".
void CheckPeriod(const std::string& period, std::string_view flag);

}  // namespace tl::cli
