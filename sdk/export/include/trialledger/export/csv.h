// CSV as RFC 4180 writes it: every field quoted by libcsv (quotes doubled), records ending in CRLF.
// The one place the project writes CSV: the ERP exports and the CLI's `-o csv`.
#pragma once

#include <string>
#include <vector>

namespace tl::journal_export {

std::string CsvRecord(const std::vector<std::string>& fields);

}  // namespace tl::journal_export
