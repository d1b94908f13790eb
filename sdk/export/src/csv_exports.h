// The ERP import files: NetSuite's journal CSV (one group of rows per entry, keyed by External ID)
// and Oracle's GL_INTERFACE CSV (one row per line). Every field is quoted by libcsv.
#pragma once

#include <string>

#include "export_model.h"

namespace tl::journal_export {

std::string NetSuiteCsv(const ExportModel& model);
std::string OracleGlCsv(const ExportModel& model);

}  // namespace tl::journal_export
