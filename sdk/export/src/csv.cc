#include "trialledger/export/csv.h"

#include <csv.h>

namespace tl::journal_export {

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    const std::string& field = fields[i];
    std::string quoted(csv_write(nullptr, 0, field.data(), field.size()), '\0');
    csv_write(quoted.data(), quoted.size(), field.data(), field.size());
    out += quoted;
  }
  out += "\r\n";
  return out;
}

}  // namespace tl::journal_export
