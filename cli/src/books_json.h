// What the books' commands share: money as the reports show it, and the --period and --by
// options.
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

// --period and --by mean one thing wherever a command takes them, and are declared here only:
// --period YYYY-MM is an accounting month, --by month|quarter|year groups a report. A bad value is
// a usage error (exit 2) as the command line is read, naming the flag and the value:
//   trialledger: --period: 2026-13 is not a month (YYYY-MM, e.g. 2026-11)
// `name` "--period", or "period" for a positional month (`books close-period 2026-09`).
CLI::Option* AddPeriodOption(CLI::App& command, std::string* period, const std::string& help,
                             const std::string& name = "--period");
CLI::Option* AddByOption(CLI::App& command, std::string* by);
// --by and --period ("only the group holding this YYYY-MM"), which the grouped reports share.
void AddGroupingOptions(CLI::App& command, std::string* by, std::string* period);

// A --by value as the RPCs and the library name it. REQUIRES: AddByOption checked it.
v1::PeriodGrouping GroupingOf(const std::string& by);
books::PeriodGrouping BooksGrouping(const std::string& by);
// --period with --by: the group the period falls in ("2026-10" by quarter: "2026-Q4"), or "".
std::string GroupFilter(const std::string& period, const std::string& by);
// Whether a date (0: none) falls in --period; every date does when no --period was given. The
// month of a date is the books' (books::PeriodOf), as the node's own period filters take it.
bool DatedIn(int64_t date_ms, const std::string& period);

}  // namespace tl::cli
