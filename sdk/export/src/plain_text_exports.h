// The plain-text journals: Beancount, and ledger and hledger (one syntax, two dialects of its
// balance assertion header).
#pragma once

#include <string>

#include "export_model.h"

namespace tl::journal_export {

std::string Beancount(const ExportModel& model);
// `hledger`: hledger's account directive comments; otherwise ledger's.
std::string LedgerJournal(const ExportModel& model, bool hledger);

}  // namespace tl::journal_export
