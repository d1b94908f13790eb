// What the books' commands share: money as the reports show it, the --period check and the
// --by grouping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "output.h"
#include "trialledger/books/books.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/v1/ledger_service.pb.h"

namespace tl::cli {

// Money as the reports show it: "1400000.00" in JSON, "1,400,000.00" in tables.
std::string Amount(int64_t minor, std::string_view currency, OutputFormat format);

// One journal entry as `journal list` (without lines) and `journal show` (with them) print it.
Json EntryJson(const v1::JournalEntry& entry, OutputFormat format, bool with_lines);

// Throws CommandError naming `flag` unless `period` is empty or a valid "YYYY-MM".
void CheckPeriod(const std::string& period, std::string_view flag);

// --by month|quarter|year as the RPCs and the library name it.
v1::PeriodGrouping GroupingOf(const std::string& by);
books::PeriodGrouping BooksGrouping(const std::string& by);
// --period with --by: the group the period falls in ("2026-10" by quarter: "2026-Q4"), or "".
std::string GroupFilter(const std::string& period, const std::string& by);
// --by month|quarter|year and --period, which the grouped reports share.
void AddGroupingOptions(CLI::App& command, std::string* by, std::string* period);

}  // namespace tl::cli
