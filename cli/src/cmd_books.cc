// `trialledger report ...`, `journal ...` and `books ...`: the books as a finance team reads and
// keeps them (docs/books.md). Reports are computed by the node from its journal; money in JSON is
// a decimal string in major units with the currency's decimals ("1400000.00"), never a float.
#include <optional>

#include "books_json.h"
#include "commands.h"
#include "contract_json.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/books/books.h"
#include "trialledger/contracts/sow_text.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/genesis.h"

namespace tl::cli {
namespace {

void AddTrialBalance(CLI::App& report, Context& context) {
  struct Options {
    std::string book, period, currency;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = report.add_subcommand(
      "trial-balance", "Every account's debits, credits and balance as of the end of a period");
  command->add_option("--book", options->book, "the organisation whose book")->required();
  AddPeriodOption(*command, &options->period, "through the end of this month")->required();
  command->add_option("--currency", options->currency, "when the book posts in several");
  command->footer(
      "Examples:\n  trialledger --key net/keys/northwind-cro-finance.key report trial-balance "
      "--book northwind-cro --period 2026-11\n"
      "  trialledger --key net/keys/acme-bio-finance.key report trial-balance --book acme-bio "
      "--period 2026-11 --currency USD -o csv");
  command->callback([&context, options] {
    v1::GetTrialBalanceRequest request;
    request.set_book(options->book);
    request.set_period(options->period);
    request.set_currency(options->currency);
    v1::GetTrialBalanceResponse balance = Context::Check(context.client().GetTrialBalance(request));
    const OutputFormat format = context.format();
    const std::string& currency = balance.currency();
    Json accounts = Json::array();
    for (const v1::TrialBalanceAccount& account : balance.accounts()) {
      accounts.push_back({{"account", account.account()},
                          {"erp_code", account.erp_code()},
                          {"debit", Amount(account.debit_minor(), currency, format)},
                          {"credit", Amount(account.credit_minor(), currency, format)},
                          {"balance", Amount(account.balance_minor(), currency, format)}});
    }
    Print(Json{{"book", balance.book()},
               {"period", balance.period()},
               {"currency", currency},
               {"accounts", std::move(accounts)},
               {"total_debit", Amount(balance.total_debit_minor(), currency, format)},
               {"total_credit", Amount(balance.total_credit_minor(), currency, format)}},
          format);
  });
}

void AddRollforward(CLI::App& report, Context& context) {
  struct Options {
    std::string contract, by = "month", period;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = report.add_subcommand(
      "rollforward",
      "A contract's balance period by period: opening asset or liability, revenue (catch-ups "
      "included), billings, closing");
  command->add_option("--contract", options->contract, "contract id")->required();
  AddGroupingOptions(*command, &options->by, &options->period);
  command->footer(
      "Examples:\n  trialledger --key net/keys/northwind-cro-finance.key report rollforward "
      "--contract acme-301\n"
      "  trialledger --key net/keys/northwind-cro-finance.key report rollforward --contract "
      "acme-301 --by quarter --period 2026-11    # 2026-Q4 only");
  command->callback([&context, options] {
    const std::string only = GroupFilter(options->period, options->by);
    v1::GetRollforwardRequest request;
    request.set_contract_id(options->contract);
    request.set_by(GroupingOf(options->by));
    v1::GetRollforwardResponse rollforward =
        Context::Check(context.client().GetRollforward(request));
    const OutputFormat format = context.format();
    const std::string& currency = rollforward.currency();
    Json periods = Json::array();
    for (const v1::RollforwardPeriod& p : rollforward.periods()) {
      if (!only.empty() && p.period() != only) continue;
      periods.push_back(
          {{"period", p.period()},
           {"opening_contract_asset", Amount(p.opening_contract_asset_minor(), currency, format)},
           {"opening_contract_liability",
            Amount(p.opening_contract_liability_minor(), currency, format)},
           {"revenue", Amount(p.revenue_minor(), currency, format)},
           {"catch_up", Amount(p.catch_up_minor(), currency, format)},
           {"billed", Amount(p.billed_minor(), currency, format)},
           {"closing_contract_asset", Amount(p.closing_contract_asset_minor(), currency, format)},
           {"closing_contract_liability",
            Amount(p.closing_contract_liability_minor(), currency, format)},
           {"revenue_to_date", Amount(p.revenue_to_date_minor(), currency, format)},
           {"billed_to_date", Amount(p.billed_to_date_minor(), currency, format)}});
    }
    Print(Json{{"contract", rollforward.contract_id()},
               {"book", rollforward.book()},
               {"currency", currency},
               {"by", options->by},
               {"periods", std::move(periods)}},
          format);
  });
}

void AddDisclosures(CLI::App& report, Context& context) {
  struct Options {
    std::string book, contract, by = "quarter", period;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = report.add_subcommand(
      "disclosures",
      "ASC 606 disclosures: revenue from the opening contract liability, from obligations "
      "satisfied in earlier periods (catch-ups), remaining performance obligations");
  command->add_option("--book", options->book, "the CRO whose book")->required();
  command->add_option("--contract", options->contract, "one contract only");
  AddGroupingOptions(*command, &options->by, &options->period);
  command->footer(
      "Examples:\n  trialledger --key net/keys/northwind-cro-finance.key report disclosures "
      "--book northwind-cro\n"
      "  trialledger --key net/keys/northwind-cro-finance.key report disclosures --book "
      "northwind-cro --contract acme-301 --by year");
  command->callback([&context, options] {
    const std::string only = GroupFilter(options->period, options->by);
    v1::GetDisclosuresRequest request;
    request.set_book(options->book);
    request.set_contract_id(options->contract);
    request.set_by(GroupingOf(options->by));
    v1::GetDisclosuresResponse disclosures =
        Context::Check(context.client().GetDisclosures(request));
    const OutputFormat format = context.format();
    const std::string& currency = disclosures.currency();
    Json periods = Json::array();
    for (const v1::DisclosurePeriod& p : disclosures.periods()) {
      if (!only.empty() && p.period() != only) continue;
      periods.push_back(
          {{"period", p.period()},
           {"revenue_from_opening_contract_liability",
            Amount(p.revenue_from_opening_contract_liability_minor(), currency, format)},
           {"revenue_from_prior_period_obligations",
            Amount(p.revenue_from_prior_period_obligations_minor(), currency, format)},
           {"remaining_performance_obligations",
            Amount(p.remaining_performance_obligations_minor(), currency, format)}});
    }
    Json json = {{"book", disclosures.book()},
                 {"currency", currency},
                 {"by", options->by},
                 {"periods", std::move(periods)}};
    if (!options->contract.empty()) json["contract"] = options->contract;
    Print(json, format);
  });
}

void AddJournal(CLI::App& app, Context& context) {
  CLI::App* journal = app.add_subcommand("journal", "A book's journal entries");
  journal->require_subcommand(1);
  journal->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key journal list --book "
      "northwind-cro --period 2026-11");
  struct ListOptions {
    std::string book, contract, period;
  };
  auto list_options = std::make_shared<ListOptions>();
  CLI::App* list = journal->add_subcommand("list", "Entries of a book, in order");
  list->add_option("--book", list_options->book, "the organisation whose book")->required();
  list->add_option("--contract", list_options->contract, "only this contract's entries");
  AddPeriodOption(*list, &list_options->period, "only entries posted in this month");
  list->footer(
      "Examples:\n  trialledger --key net/keys/northwind-cro-finance.key journal list --book "
      "northwind-cro --contract acme-301\n"
      "  trialledger --key net/keys/acme-bio-finance.key journal list --book acme-bio --period "
      "2026-11 -o csv");
  list->callback([&context, list_options] {
    v1::ListJournalRequest request;
    request.set_book(list_options->book);
    request.set_contract_id(list_options->contract);
    request.set_period(list_options->period);
    Json entries = Json::array();
    // Every page, in order.
    while (true) {
      v1::ListJournalResponse page = Context::Check(context.client().ListJournal(request));
      for (const v1::JournalEntry& entry : page.entries())
        entries.push_back(EntryJson(entry, context.format(), false));
      if (page.next_seq() == 0) break;
      request.set_from_seq(page.next_seq());
    }
    Print(entries, context.format());
  });
  auto entry_id = std::make_shared<std::string>();
  CLI::App* show = journal->add_subcommand(
      "show", "One entry: its lines, the transaction and fact behind it, the contract event");
  show->add_option("entry", *entry_id, "entry id, e.g. northwind-cro/00000042")->required();
  show->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key journal show "
      "northwind-cro/00000042");
  show->callback([&context, entry_id] {
    v1::GetJournalEntryRequest request;
    request.set_entry_id(*entry_id);
    v1::GetJournalEntryResponse found = Context::Check(context.client().GetJournalEntry(request));
    Json json = EntryJson(found.entry(), context.format(), true);
    if (found.has_fact()) json["source_fact"] = FactRecordJson(found.fact());
    if (found.has_event()) json["source_event"] = EventRecordJson(found.event());
    Print(json, context.format());
  });
  AddJournalStreamCommands(*journal, context);
}

void AddBooks(CLI::App& app, Context& context) {
  CLI::App* group = app.add_subcommand("books", "Keep a book: its ERP account map and periods");
  group->require_subcommand(1);
  group->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key books show --book "
      "northwind-cro");
  auto book = std::make_shared<std::string>();
  CLI::App* show = group->add_subcommand("show", "A book's account map and closed periods");
  show->add_option("--book", *book, "the organisation whose book")->required();
  show->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key books show --book "
      "northwind-cro");
  show->callback([&context, book] {
    v1::GetBookRequest request;
    request.set_book(*book);
    v1::GetBookResponse found = Context::Check(context.client().GetBook(request));
    Json map = Json::array();
    for (const v1::AccountCode& code : found.book().account_map())
      map.push_back({{"account", code.account()}, {"erp_code", code.erp_code()}});
    Json changes = Json::array();
    for (const v1::PeriodChange& change : found.period_changes()) {
      changes.push_back({{"period", change.period()},
                         {"change", change.closed() ? "closed" : "reopened"},
                         {"by", change.signer_name()},
                         {"reason", change.reason()},
                         {"height", change.height()},
                         {"time", FormatIsoTimestampMillis(change.time_ms())}});
    }
    Json currencies = Json::array();
    for (const std::string& currency : found.currencies())
      currencies.push_back(currency);
    Print(Json{{"book", found.book().book()},
               {"closed_through", found.book().closed_through()},
               {"entries", found.book().entry_count()},
               {"currencies", std::move(currencies)},
               {"account_map", std::move(map)},
               {"period_changes", std::move(changes)}},
          context.format());
  });

  auto file = std::make_shared<std::string>();
  CLI::App* set_map = group->add_subcommand(
      "set-account-map",
      "Replace your organisation's ERP codes: a file of `account = \"code\"` lines (finance)");
  set_map->add_option("file", *file, "ACCOUNTS.toml")->required();
  set_map->footer(
      "Example (lines such as `revenue = \"4000\"`):\n"
      "  trialledger --key net/keys/northwind-cro-finance.key books set-account-map "
      "northwind-cro-accounts.toml");
  set_map->callback([&context, file] {
    std::string text = Context::Check(ReadWholeFile(*file));
    google::protobuf::RepeatedPtrField<v1::AccountCode> map =
        Context::Check(ParseAccountMap(text, *file));
    v1::SubmitTransactionResponse response = context.SubmitAndWait(
        [&](v1::TxBody& body) { *body.mutable_set_account_map()->mutable_account_map() = map; });
    Print(SubmissionJson(response), context.format());
  });

  auto period = std::make_shared<std::string>();
  CLI::App* close = group->add_subcommand(
      "close-period", "Close the next period of your organisation's book (finance)");
  AddPeriodOption(*close, period.get(), "the month to close: the one after the last closed",
                  "period")
      ->required();
  close->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key books close-period "
      "2026-09");
  close->callback([&context, period] {
    v1::SubmitTransactionResponse response = context.SubmitAndWait(
        [&](v1::TxBody& body) { body.mutable_close_period()->set_period(*period); });
    Print(SubmissionJson(response), context.format());
  });

  struct ReopenOptions {
    std::string period, reason;
  };
  auto reopen_options = std::make_shared<ReopenOptions>();
  CLI::App* reopen = group->add_subcommand(
      "reopen-period", "Reopen the last closed period of your organisation's book (admin)");
  AddPeriodOption(*reopen, &reopen_options->period, "the last closed month", "period")->required();
  reopen->add_option("--reason", reopen_options->reason, "why, for the record")->required();
  reopen->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-admin.key books reopen-period 2026-09 "
      "--reason \"audit adjustment\"");
  reopen->callback([&context, reopen_options] {
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      body.mutable_reopen_period()->set_period(reopen_options->period);
      body.mutable_reopen_period()->set_reason(reopen_options->reason);
    });
    Print(SubmissionJson(response), context.format());
  });
}

}  // namespace

void AddBooksCommands(CLI::App& app, Context& context) {
  CLI::App* report = app.add_subcommand("report", "The books' reports (docs/books.md)");
  report->require_subcommand(1);
  report->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key report trial-balance "
      "--book northwind-cro --period 2026-11");
  AddTrialBalance(*report, context);
  AddRollforward(*report, context);
  AddDisclosures(*report, context);
  AddJournal(app, context);
  AddBooks(app, context);
}

}  // namespace tl::cli
