#include "export_model.h"

#include <algorithm>
#include <map>
#include <set>

#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/sow_text.h"

namespace tl::journal_export {
namespace {

std::string_view RootOf(books::AccountType type) {
  switch (type) {
    case books::AccountType::kAsset:
      return "Assets";
    case books::AccountType::kLiability:
      return "Liabilities";
    case books::AccountType::kRevenue:
      return "Income";
    case books::AccountType::kExpense:
      return "Expenses";
  }
  return "Equity";
}

}  // namespace

std::string Decimal(int64_t minor, std::string_view currency) {
  return contracts::FormatDecimalMinor(minor, currency, contracts::DigitGrouping::kNone);
}

std::string ToolAccount(std::string_view account, books::AccountType type) {
  std::string name = StrCat(RootOf(type), ":");
  bool upper = true;
  for (char c : account) {
    if (c == '_') {
      upper = true;
      continue;
    }
    name += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return name;
}

std::string Escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' || c == '\r' ? ' ' : c;
  }
  return out;
}

absl::StatusOr<ExportModel> BuildModel(const BookJournal& journal) {
  ExportModel model;
  model.book = journal.record.book();
  std::set<std::string> used;
  std::set<std::string> periods;
  std::set<std::string> currencies;
  for (const v1::JournalEntry& entry : journal.entries) {
    for (const v1::JournalLine& line : entry.lines()) {
      if (journal.period.empty() || entry.period() <= journal.period) {
        currencies.insert(line.currency());
      }
    }
  }
  if (!journal.period.empty()) {
    const CivilDate start = CivilFromMs(books::PeriodStartMs(journal.period));
    const std::string before =
        start.month == 1 ? StrCat(start.year - 1, "-12")
                         : StrCat(start.year, start.month <= 10 ? "-0" : "-", start.month - 1);
    model.opening_date_ms = books::PeriodStartMs(journal.period);
    for (const std::string& currency : currencies) {
      books::TrialBalance balance =
          books::BuildTrialBalance(journal.kind, journal.record, journal.entries, before, currency);
      if (!balance.accounts.empty()) model.opening.push_back(std::move(balance));
    }
    for (const books::TrialBalance& balance : model.opening) {
      for (const books::TrialBalanceLine& line : balance.accounts)
        used.insert(line.account);
    }
  }
  for (const v1::JournalEntry& entry : journal.entries) {
    if (!journal.period.empty() && entry.period() != journal.period) continue;
    ExportEntry& out = model.entries.emplace_back();
    out.entry = &entry;
    out.date_ms = books::PostingDateMs(entry);
    out.kind = std::string(books::EntryKindName(entry.kind()));
    for (const v1::JournalLine& line : entry.lines()) {
      std::optional<books::Account> account = books::FindAccount(journal.kind, line.account());
      if (!account.has_value()) {
        return absl::InvalidArgumentError(StrCat("entry ", entry.entry_id(), " posts to '",
                                                 line.account(), "', not an account of its chart"));
      }
      out.lines.push_back(ExportLine{line.account(), ToolAccount(line.account(), account->type),
                                     books::ErpCodeOf(journal.record, line.account()),
                                     line.currency(), line.debit_minor(), line.credit_minor()});
      used.insert(line.account());
    }
    periods.insert(entry.period());
  }
  for (size_t i = 0; i < model.entries.size(); ++i)
    model.by_date.push_back(i);
  std::stable_sort(model.by_date.begin(), model.by_date.end(), [&](size_t a, size_t b) {
    return model.entries[a].date_ms < model.entries[b].date_ms;
  });
  for (const books::Account& account : books::ChartOf(journal.kind)) {
    if (!used.contains(std::string(account.name))) continue;
    model.accounts.push_back(ExportLine{std::string(account.name),
                                        ToolAccount(account.name, account.type),
                                        books::ErpCodeOf(journal.record, account.name), "", 0, 0});
  }
  for (const std::string& period : periods) {
    PeriodEnd& end = model.period_ends.emplace_back();
    end.period = period;
    end.next_day_ms = books::PeriodEndMs(period);
    for (const std::string& currency : currencies) {
      end.balances.push_back(books::BuildTrialBalance(journal.kind, journal.record, journal.entries,
                                                      period, currency));
    }
  }
  return model;
}

}  // namespace tl::journal_export
