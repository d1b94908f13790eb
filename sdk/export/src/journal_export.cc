#include "trialledger/export/journal_export.h"

#include <nlohmann/json.hpp>

#include "csv_exports.h"
#include "export_model.h"
#include "plain_text_exports.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"

namespace tl::journal_export {
namespace {

constexpr std::pair<Format, std::string_view> kFormats[] = {
    {Format::kBeancount, "beancount"},       {Format::kLedger, "ledger"},
    {Format::kHledger, "hledger"},           {Format::kNetSuiteCsv, "csv-netsuite"},
    {Format::kOracleGlCsv, "csv-oracle-gl"}, {Format::kJsonLines, "jsonl"},
};

// One entry a line, money as decimal strings in the currency's digits (never a float).
std::string JsonLines(const ExportModel& model) {
  std::string out;
  for (const ExportEntry& entry : model.entries) {
    const v1::JournalEntry& e = *entry.entry;
    nlohmann::ordered_json lines = nlohmann::ordered_json::array();
    for (const ExportLine& line : entry.lines) {
      lines.push_back({{"account", line.account},
                       {"erp_code", line.erp_code},
                       {"currency", line.currency},
                       {"debit", Decimal(line.debit_minor, line.currency)},
                       {"credit", Decimal(line.credit_minor, line.currency)}});
    }
    nlohmann::ordered_json json = {{"entry_id", e.entry_id()},
                                   {"idempotency_key", e.idempotency_key()},
                                   {"book", e.book()},
                                   {"date", FormatIsoDate(entry.date_ms)},
                                   {"effective_date", FormatIsoDate(e.effective_date_ms())},
                                   {"period", e.period()},
                                   {"kind", entry.kind},
                                   {"contract", e.contract_id()},
                                   {"payee", e.payee()},
                                   {"invoice", e.invoice_id()},
                                   {"memo", e.memo()},
                                   {"tx_id", ToHex(e.tx_id())},
                                   {"height", e.height()},
                                   {"lines", std::move(lines)}};
    out += json.dump() + "\n";
  }
  return out;
}

}  // namespace

absl::StatusOr<Format> ParseFormat(std::string_view name) {
  for (const auto& [format, known] : kFormats) {
    if (known == name) return format;
  }
  std::string names;
  for (std::string_view known : FormatNames())
    names += StrCat(names.empty() ? "" : ", ", known);
  return absl::InvalidArgumentError(StrCat("unknown export format '", name, "' (", names, ")"));
}

std::string_view FormatName(Format format) {
  for (const auto& [known, name] : kFormats) {
    if (known == format) return name;
  }
  return "?";
}

const std::vector<std::string_view>& FormatNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> all;
    for (const auto& [format, name] : kFormats)
      all.push_back(name);
    return all;
  }();
  return names;
}

absl::StatusOr<std::string> Export(Format format, const BookJournal& journal) {
  absl::StatusOr<ExportModel> model = BuildModel(journal);
  if (!model.ok()) return model.status();
  switch (format) {
    case Format::kBeancount:
      return Beancount(*model);
    case Format::kLedger:
      return LedgerJournal(*model, /*hledger=*/false);
    case Format::kHledger:
      return LedgerJournal(*model, /*hledger=*/true);
    case Format::kNetSuiteCsv:
      return NetSuiteCsv(*model);
    case Format::kOracleGlCsv:
      return OracleGlCsv(*model);
    case Format::kJsonLines:
      return JsonLines(*model);
  }
  return absl::InternalError("unknown export format");
}

}  // namespace tl::journal_export
