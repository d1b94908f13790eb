#include "plain_text_exports.h"

#include <set>

#include "trialledger/base/civil_date.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"

namespace tl::journal_export {
namespace {

// A line's signed amount: debits positive, credits negative, as the tools add them.
int64_t Signed(const ExportLine& line) {
  return line.debit_minor - line.credit_minor;
}

std::string Description(const ExportEntry& entry) {
  const v1::JournalEntry& e = *entry.entry;
  return e.memo().empty() ? entry.kind : StrCat(entry.kind, ": ", e.memo());
}

// Walks the entries in date order with every period end in its place: a period's balances come
// after its last entry and before any entry dated on or after the day that follows it.
template <typename OnPeriodEnd, typename OnEntry>
void WalkByDate(const ExportModel& model, OnPeriodEnd on_period_end, OnEntry on_entry) {
  size_t next = 0;
  auto ends_up_to = [&](int64_t date_ms) {
    while (next < model.period_ends.size() && model.period_ends[next].next_day_ms <= date_ms) {
      on_period_end(model.period_ends[next++]);
    }
  };
  for (size_t index : model.by_date) {
    ends_up_to(model.entries[index].date_ms);
    on_entry(model.entries[index]);
  }
  ends_up_to(INT64_MAX);
}

int64_t FirstDate(const ExportModel& model) {
  if (model.opening_date_ms != 0) return model.opening_date_ms;
  return model.by_date.empty() ? 0 : model.entries[model.by_date.front()].date_ms;
}

const std::string& ToolAccountOf(const ExportModel& model, std::string_view account) {
  for (const ExportLine& known : model.accounts) {
    if (known.account == account) return known.tool_account;
  }
  static const std::string none;
  return none;
}

// The opening balances of a one-period export, as postings (indent, account, amount); a
// balanced trial balance sums to zero, so they need no balancing account.
std::string OpeningPostings(const ExportModel& model, std::string_view indent) {
  std::string out;
  for (const books::TrialBalance& balance : model.opening) {
    for (const books::TrialBalanceLine& line : balance.accounts) {
      if (line.balance_minor == 0) continue;
      out += StrCat(indent, ToolAccountOf(model, line.account), "  ",
                    Decimal(line.balance_minor, balance.currency), " ", balance.currency, "\n");
    }
  }
  return out;
}

}  // namespace

std::string Beancount(const ExportModel& model) {
  std::string out = StrCat("; The journal of book ", model.book,
                           ", exported by trialledger (docs/erp.md).\n; Balances are asserted at "
                           "the end of every period, as `report trial-balance` gives them.\n");
  std::set<std::string> currencies;
  for (const ExportEntry& entry : model.entries) {
    for (const ExportLine& line : entry.lines)
      currencies.insert(line.currency);
  }
  out += StrCat("option \"title\" \"", Escaped(model.book), "\"\n");
  for (const std::string& currency : currencies)
    out += StrCat("option \"operating_currency\" \"", currency, "\"\n");
  out += "\n";
  const std::string opened = FormatIsoDate(FirstDate(model));
  for (const ExportLine& account : model.accounts) {
    out +=
        StrCat(opened, " open ", account.tool_account, "\n  account: \"", account.account, "\"\n");
    if (!account.erp_code.empty())
      out += StrCat("  erp_code: \"", Escaped(account.erp_code), "\"\n");
  }
  out += "\n";
  if (const std::string opening = OpeningPostings(model, "  "); !opening.empty()) {
    out += StrCat(FormatIsoDate(model.opening_date_ms), " * \"", Escaped(model.book),
                  "\" \"Opening balances\"\n", opening, "\n");
  }
  auto emit = [&](const PeriodEnd& end) {
    for (const books::TrialBalance& balance : end.balances) {
      for (const books::TrialBalanceLine& line : balance.accounts) {
        // "~ 0": exact. Beancount would otherwise allow half the last digit shown, and more.
        out += StrCat(
            FormatIsoDate(end.next_day_ms), " balance ", ToolAccountOf(model, line.account), "  ",
            Decimal(line.balance_minor, balance.currency), " ~ 0 ", balance.currency, "\n");
      }
    }
    out += "\n";
  };
  WalkByDate(model, emit, [&](const ExportEntry& entry) {
    const v1::JournalEntry& e = *entry.entry;
    out += StrCat(FormatIsoDate(entry.date_ms), " * \"", Escaped(model.book), "\" \"",
                  Escaped(Description(entry)), "\"\n");
    out += StrCat("  entry_id: \"", e.entry_id(), "\"\n  idempotency_key: \"",
                  Escaped(e.idempotency_key()), "\"\n  period: \"", e.period(), "\"\n");
    if (!e.contract_id().empty()) out += StrCat("  contract: \"", e.contract_id(), "\"\n");
    if (!e.payee().empty()) out += StrCat("  payee_org: \"", Escaped(e.payee()), "\"\n");
    if (!e.invoice_id().empty()) out += StrCat("  invoice: \"", Escaped(e.invoice_id()), "\"\n");
    out += StrCat("  source_tx: \"", ToHex(e.tx_id()), "\"\n  height: ", e.height(), "\n");
    for (const ExportLine& line : entry.lines) {
      out += StrCat("  ", line.tool_account, "  ", Decimal(Signed(line), line.currency), " ",
                    line.currency, "\n");
    }
    out += "\n";
  });
  return out;
}

std::string LedgerJournal(const ExportModel& model, bool hledger) {
  std::string out = StrCat("; The journal of book ", model.book,
                           ", exported by trialledger (docs/erp.md).\n; Balances are asserted at "
                           "the end of every period, as `report trial-balance` gives them.\n\n");
  for (const ExportLine& account : model.accounts) {
    out += StrCat("account ", account.tool_account, "\n");
    if (hledger) {
      out += StrCat("  ; account: ", account.account,
                    account.erp_code.empty() ? "" : StrCat(", erp_code: ", account.erp_code), "\n");
    } else {
      out += StrCat("    ; account: ", account.account, "\n");
      if (!account.erp_code.empty()) out += StrCat("    ; erp_code: ", account.erp_code, "\n");
    }
  }
  out += "\n";
  if (const std::string opening = OpeningPostings(model, "    "); !opening.empty()) {
    out += StrCat(FormatIsoDate(model.opening_date_ms), " * Opening balances\n", opening, "\n");
  }
  auto emit = [&](const PeriodEnd& end) {
    bool any = false;
    for (const books::TrialBalance& balance : end.balances)
      any = any || !balance.accounts.empty();
    if (!any) return;
    out += StrCat(FormatIsoDate(end.next_day_ms), " * Balances at the end of ", end.period, "\n");
    for (const books::TrialBalance& balance : end.balances) {
      for (const books::TrialBalanceLine& line : balance.accounts) {
        out += StrCat("    ", ToolAccountOf(model, line.account), "    0 ", balance.currency, " = ",
                      Decimal(line.balance_minor, balance.currency), " ", balance.currency, "\n");
      }
    }
    out += "\n";
  };
  WalkByDate(model, emit, [&](const ExportEntry& entry) {
    const v1::JournalEntry& e = *entry.entry;
    out += StrCat(FormatIsoDate(entry.date_ms), " * (", e.entry_id(), ") ",
                  Escaped(Description(entry)), "\n");
    out += StrCat("    ; idempotency_key: ", e.idempotency_key(), "\n    ; period: ", e.period(),
                  "\n");
    if (!e.contract_id().empty()) out += StrCat("    ; contract: ", e.contract_id(), "\n");
    out += StrCat("    ; source_tx: ", ToHex(e.tx_id()), "\n");
    for (const ExportLine& line : entry.lines) {
      out += StrCat("    ", line.tool_account, "    ", Decimal(Signed(line), line.currency), " ",
                    line.currency, "\n");
    }
    out += "\n";
  });
  return out;
}

}  // namespace tl::journal_export
