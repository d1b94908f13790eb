// The sponsor's side of the books: `report mirror` (one contract's two books side by side),
// `report accruals` (a sponsor's accruals per contract and payee) and `books set-accrual-grid`
// (accrue a contract by the sponsor's own unit-cost grid). docs/books.md.
#include "books_json.h"
#include "commands.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/sow_text.h"
#include "trialledger/sdk/file_util.h"

namespace tl::cli {
namespace {

// A grid file, every fault named with its place: "GRID.json: rate 2: ...".
v1::SetAccrualGrid ReadGrid(const std::string& path) {
  const std::string text = Context::Check(ReadWholeFile(path));
  const Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("rates") ||
      !json["rates"].is_array()) {
    throw CommandError{StrCat(path, ": expected {\"rates\": [...]}")};
  }
  v1::SetAccrualGrid grid;
  if (json.contains("holdback_released_by")) {
    if (!json["holdback_released_by"].is_string()) {
      throw CommandError{StrCat(path, ": holdback_released_by is a fact kind")};
    }
    grid.set_holdback_released_by(json["holdback_released_by"].get<std::string>());
  }
  for (size_t i = 0; i < json["rates"].size(); ++i) {
    const Json& item = json["rates"][i];
    const std::string where = StrCat(path, ": rate ", i + 1);
    auto text_of = [&](const char* key, bool required) -> std::string {
      if (!item.contains(key)) {
        if (required) throw CommandError{StrCat(where, ": \"", key, "\" is missing")};
        return "";
      }
      if (!item[key].is_string()) throw CommandError{StrCat(where, ": \"", key, "\" is text")};
      return item[key].get<std::string>();
    };
    if (!item.is_object()) throw CommandError{StrCat(where, ": not an object")};
    v1::GridRate* rate = grid.add_rates();
    rate->set_kind(text_of("kind", true));
    rate->set_visit_type(text_of("visit_type", false));
    rate->set_site(text_of("site", false));
    rate->set_payee(text_of("payee", true));
    std::string currency, why;
    std::optional<int64_t> minor =
        contracts::ParseMoneyText(text_of("rate", true), &currency, &why);
    if (!minor.has_value()) throw CommandError{StrCat(where, ": rate: ", why)};
    if (!grid.currency().empty() && currency != grid.currency()) {
      throw CommandError{StrCat(where, ": in ", currency, ", the grid in ", grid.currency())};
    }
    grid.set_currency(currency);
    rate->set_rate_minor(*minor);
    if (item.contains("holdback_percent")) {
      if (!item["holdback_percent"].is_number_integer()) {
        throw CommandError{StrCat(where, ": holdback_percent is a whole number")};
      }
      const int64_t percent = item["holdback_percent"].get<int64_t>();
      if (percent < 0 || percent > 100) {
        throw CommandError{StrCat(where, ": holdback_percent is 0 to 100")};
      }
      rate->set_holdback_percent(static_cast<int32_t>(percent));
    }
  }
  return grid;
}

void AddMirror(CLI::App& report, Context& context) {
  struct Options {
    std::string contract, by = "month", period;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = report.add_subcommand(
      "mirror",
      "One contract's two books side by side: sponsor R&D expense vs CRO revenue, accrued "
      "liability vs contract asset, prepaid vs contract liability, every difference explained");
  command->add_option("--contract", options->contract, "contract id")->required();
  AddGroupingOptions(*command, &options->by, &options->period);
  command->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key report mirror --contract "
      "acme-301\n"
      "  trialledger --key net/keys/northwind-cro-finance.key report mirror --contract acme-301 "
      "--period 2026-11");
  command->callback([&context, options] {
    const std::string only = GroupFilter(options->period, options->by);
    v1::GetMirrorRequest request;
    request.set_contract_id(options->contract);
    request.set_by(GroupingOf(options->by));
    v1::GetMirrorResponse mirror = Context::Check(context.client().GetMirror(request));
    const OutputFormat format = context.format();
    const std::string& currency = mirror.currency();
    Json periods = Json::array();
    for (const v1::MirrorPeriod& p : mirror.periods()) {
      if (!only.empty() && p.period() != only) continue;
      Json differences = Json::array();
      for (const v1::MirrorDifference& d : p.differences()) {
        differences.push_back({{"measure", d.measure()},
                               {"amount", Amount(d.amount_minor(), currency, format)},
                               {"reason", d.reason()}});
      }
      periods.push_back(
          {{"period", p.period()},
           {"sponsor_expense", Amount(p.sponsor_expense_minor(), currency, format)},
           {"cro_revenue", Amount(p.cro_revenue_minor(), currency, format)},
           {"sponsor_accrued_liability",
            Amount(p.sponsor_accrued_liability_minor(), currency, format)},
           {"cro_contract_asset", Amount(p.cro_contract_asset_minor(), currency, format)},
           {"sponsor_prepaid", Amount(p.sponsor_prepaid_minor(), currency, format)},
           {"cro_contract_liability", Amount(p.cro_contract_liability_minor(), currency, format)},
           {"differences", std::move(differences)}});
    }
    Print(Json{{"contract", mirror.contract_id()},
               {"currency", currency},
               {"by", options->by},
               {"sponsor", mirror.sponsor()},
               {"cro", mirror.cro()},
               {"periods", std::move(periods)}},
          format);
  });
}

Json AccrualJson(const v1::AccrualRow& row, OutputFormat format) {
  const std::string& currency = row.currency();
  return {{"contract", row.contract_id()},
          {"payee", row.payee()},
          {"currency", currency},
          {"opening_accrual", Amount(row.opening_accrual_minor(), currency, format)},
          {"expense", Amount(row.expense_minor(), currency, format)},
          {"invoiced", Amount(row.invoiced_minor(), currency, format)},
          {"paid", Amount(row.paid_minor(), currency, format)},
          {"true_ups", Amount(row.true_ups_minor(), currency, format)},
          {"closing_accrual", Amount(row.closing_accrual_minor(), currency, format)},
          {"opening_holdback", Amount(row.opening_holdback_minor(), currency, format)},
          {"holdback", Amount(row.holdback_minor(), currency, format)},
          {"payable", Amount(row.payable_minor(), currency, format)}};
}

void AddAccruals(CLI::App& report, Context& context) {
  struct Options {
    std::string book, by = "month", period;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = report.add_subcommand(
      "accruals",
      "A sponsor's accruals per contract and payee: opening accrual, expense, invoiced, paid, "
      "true-ups, closing accrual, holdback and payable (accrual: accrued less prepaid)");
  command->add_option("--book", options->book, "the sponsor whose book")->required();
  AddGroupingOptions(*command, &options->by, &options->period);
  command->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key report accruals --book "
      "acme-bio --by quarter\n"
      "  trialledger --key net/keys/acme-bio-finance.key report accruals --book acme-bio --period "
      "2026-11 -o csv");
  command->callback([&context, options] {
    v1::GetAccrualsRequest request;
    request.set_book(options->book);
    request.set_by(GroupingOf(options->by));
    request.set_period(options->period);
    v1::GetAccrualsResponse accruals = Context::Check(context.client().GetAccruals(request));
    const OutputFormat format = context.format();
    Json periods = Json::array(), table = Json::array();
    for (const v1::AccrualPeriod& period : accruals.periods()) {
      Json rows = Json::array();
      for (const v1::AccrualRow& row : period.rows()) {
        rows.push_back(AccrualJson(row, format));
        Json flat = {{"period", period.period()}};
        flat.update(rows.back());
        table.push_back(std::move(flat));
      }
      periods.push_back({{"period", period.period()}, {"accruals", std::move(rows)}});
    }
    // Tables cannot nest: one row per period, contract and payee.
    Print(Json{{"book", accruals.book()},
               {"by", options->by},
               {format == OutputFormat::kJson ? "periods" : "accruals",
                format == OutputFormat::kJson ? std::move(periods) : std::move(table)}},
          format);
  });
}

}  // namespace

void AddSponsorBooksCommands(CLI::App& app, Context& context) {
  CLI::App* report = app.get_subcommand("report");
  AddMirror(*report, context);
  AddAccruals(*report, context);
  CLI::App& books = *app.get_subcommand("books");
  struct GridOptions {
    std::string contract, file;
  };
  auto grid_options = std::make_shared<GridOptions>();
  CLI::App* grid = books.add_subcommand(
      "set-accrual-grid",
      "Accrue a contract by your own unit-cost grid instead of the CRO's progress (sponsor "
      "finance): GRID.json {\"holdback_released_by\", \"rates\": [{\"kind\", \"visit_type\", "
      "\"site\", \"rate\": \"USD 800.00\", \"payee\", \"holdback_percent\"}]}");
  grid->add_option("--contract", grid_options->contract, "contract id")->required();
  grid->add_option("--file", grid_options->file, "GRID.json")->required();
  grid->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-finance.key books set-accrual-grid "
      "--contract acme-301 --file acme-301-grid.json");
  grid->callback([&context, grid_options] {
    v1::SetAccrualGrid payload = ReadGrid(grid_options->file);
    payload.set_contract_id(grid_options->contract);
    v1::SubmitTransactionResponse response = context.SubmitAndWait(
        [&](v1::TxBody& body) { *body.mutable_set_accrual_grid() = payload; });
    Print(SubmissionJson(response), context.format());
  });
}

}  // namespace tl::cli
