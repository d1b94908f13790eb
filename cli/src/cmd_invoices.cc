// `trialledger invoice ...` and `report invoice-match`: the invoice cycle (docs/books.md). CRO
// invoices are issued by the contract's billing events; the sponsor records invoices from outside
// the ledger, approves any invoice after the three-way match (another finance member than the one
// who recorded it; a line without evidence needs --override), pays it; the CRO confirms receipt.
#include <nlohmann/json.hpp>

#include "books_json.h"
#include "commands.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/sow_text.h"
#include "trialledger/sdk/file_util.h"

namespace tl::cli {
namespace {

std::string StatusName(v1::InvoiceStatus status) {
  switch (status) {
    case v1::INVOICE_STATUS_AWAITING_APPROVAL:
      return "awaiting_approval";
    case v1::INVOICE_STATUS_APPROVED:
      return "approved";
    case v1::INVOICE_STATUS_PAID:
      return "paid";
    default:
      return "unspecified";
  }
}

Json InvoiceJson(const v1::Invoice& invoice, OutputFormat format, bool with_lines) {
  const std::string& currency = invoice.currency();
  Json json = {{"invoice", invoice.invoice_id()},
               {"number", invoice.number()},
               {"contract", invoice.contract_id()},
               {"issuer", invoice.issuer()},
               {"payer", invoice.payer()},
               {"date", FormatIsoDate(invoice.date_ms())},
               {"currency", currency},
               {"total", Amount(invoice.total_minor(), currency, format)},
               {"status", StatusName(invoice.status())},
               {"paid", Amount(invoice.paid_minor(), currency, format)}};
  if (!with_lines) return json;
  json["on_ledger"] = invoice.on_ledger();
  json["recorded_by"] = invoice.recorded_by();
  json["approved_by"] = invoice.approved_by();
  json["override_reason"] = invoice.override_reason();
  json["received"] = Amount(invoice.received_minor(), currency, format);
  Json lines = Json::array();
  for (const v1::InvoiceLine& line : invoice.lines()) {
    lines.push_back({{"line", line.line()},
                     {"item", line.item()},
                     {"amount", Amount(line.amount_minor(), currency, format)},
                     {"holdback", Amount(line.holdback_minor(), currency, format)},
                     {"evidence", line.evidence_fact_ids()},
                     {"entry", line.entry_id()}});
  }
  json["lines"] = std::move(lines);
  return json;
}

Json MatchJson(const v1::InvoiceMatchLine& line, std::string_view currency, OutputFormat format) {
  Json evidence = Json::array();
  for (const v1::EvidenceFact& fact : line.evidence()) {
    evidence.push_back({{"fact", fact.fact_id()},
                        {"kind", fact.kind()},
                        {"date", fact.date_ms() != 0 ? FormatIsoDate(fact.date_ms()) : ""},
                        {"state", fact.state()}});
  }
  return {{"invoice", line.invoice_id()},
          {"line", line.line()},
          {"item", line.item()},
          {"billed", Amount(line.billed_minor(), currency, format)},
          {"accrued", Amount(line.accrued_minor(), currency, format)},
          {"difference", Amount(line.difference_minor(), currency, format)},
          {"status", line.status()},
          {"reason", line.reason()},
          {"needs_override", line.needs_override()},
          {"evidence", std::move(evidence)}};
}

int64_t ParseDate(const std::string& text, std::string_view flag) {
  std::optional<int64_t> date = ParseIsoDate(text);
  if (!date.has_value())
    throw CommandError{StrCat(flag, ": '", text, "' is not a YYYY-MM-DD date")};
  return *date;
}

// "USD 1,250.00" to minor units, naming where it came from on error.
int64_t ParseMoney(const std::string& text, std::string* currency, std::string_view where) {
  std::string why;
  std::optional<int64_t> minor = contracts::ParseMoneyText(text, currency, &why);
  if (!minor.has_value()) throw CommandError{StrCat(where, ": ", why)};
  return *minor;
}

// The lines of an invoice from outside the ledger: {"lines": [{"item", "amount": "USD 1.00",
// "evidence": ["fact id", ...]}]}, every line in the invoice's currency.
std::vector<v1::InvoiceLine> ReadLines(const std::string& path, std::string* currency) {
  const std::string text = Context::Check(ReadWholeFile(path));
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("lines") ||
      !json["lines"].is_array()) {
    throw CommandError{StrCat(path, ": expected {\"lines\": [...]}")};
  }
  std::vector<v1::InvoiceLine> lines;
  for (size_t i = 0; i < json["lines"].size(); ++i) {
    const Json& item = json["lines"][i];
    const std::string where = StrCat(path, ": line ", i + 1);
    if (!item.is_object() || !item.contains("item") || !item["item"].is_string() ||
        !item.contains("amount") || !item["amount"].is_string()) {
      throw CommandError{StrCat(where, ": needs \"item\" and \"amount\" strings")};
    }
    v1::InvoiceLine& line = lines.emplace_back();
    line.set_item(item["item"].get<std::string>());
    std::string line_currency;
    line.set_amount_minor(ParseMoney(item["amount"].get<std::string>(), &line_currency, where));
    if (!currency->empty() && line_currency != *currency) {
      throw CommandError{StrCat(where, ": in ", line_currency, ", the invoice in ", *currency)};
    }
    *currency = line_currency;
    if (item.contains("evidence")) {
      if (!item["evidence"].is_array()) {
        throw CommandError{StrCat(where, ": \"evidence\" is a list of fact ids")};
      }
      for (const Json& fact : item["evidence"]) {
        if (!fact.is_string()) throw CommandError{StrCat(where, ": a fact id is not a string")};
        line.add_evidence_fact_ids(fact.get<std::string>());
      }
    }
  }
  return lines;
}

void AddList(CLI::App& group, Context& context) {
  struct Options {
    std::string contract, period;
  };
  auto options = std::make_shared<Options>();
  CLI::App* list = group.add_subcommand("list", "A contract's invoices, issued and recorded");
  list->add_option("--contract", options->contract, "contract id")->required();
  // As `report invoice-match --period` (which the node filters): the invoice's own date.
  AddPeriodOption(*list, &options->period, "only invoices dated in this month");
  list->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key invoice list --contract "
      "acme-301\n"
      "  trialledger --key net/keys/northwind-cro-finance.key invoice list --contract acme-301 "
      "--period 2026-11");
  list->callback([&context, options] {
    v1::ListInvoicesRequest request;
    request.set_contract_id(options->contract);
    v1::ListInvoicesResponse response = Context::Check(context.client().ListInvoices(request));
    Json rows = Json::array();
    for (const v1::Invoice& invoice : response.invoices()) {
      if (DatedIn(invoice.date_ms(), options->period))
        rows.push_back(InvoiceJson(invoice, context.format(), false));
    }
    Print(rows, context.format());
  });
}

void AddShow(CLI::App& group, Context& context) {
  auto id = std::make_shared<std::string>();
  CLI::App* show = group.add_subcommand(
      "show", "One invoice: its lines and their evidence, the match, approval and payments");
  show->add_option("invoice", *id, "invoice id (northwind-cro/INV-00000001)")->required();
  show->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-finance.key invoice show "
      "northwind-cro/INV-00000001");
  show->callback([&context, id] {
    v1::GetInvoiceRequest request;
    request.set_invoice_id(*id);
    v1::GetInvoiceResponse response = Context::Check(context.client().GetInvoice(request));
    const OutputFormat format = context.format();
    Json json = InvoiceJson(response.invoice(), format, true);
    Json match = Json::array();
    for (const v1::InvoiceMatchLine& line : response.match())
      match.push_back(MatchJson(line, response.invoice().currency(), format));
    json["match"] = std::move(match);
    Json payments = Json::array();
    for (const v1::Payment& payment : response.payments()) {
      payments.push_back(
          {{"payment", payment.seq()},
           {"date", FormatIsoDate(payment.date_ms())},
           {"amount", Amount(payment.amount_minor(), response.invoice().currency(), format)},
           {"reference", payment.reference()},
           {"paid_by", payment.paid_by()},
           {"confirmed_by", payment.confirmed_by()}});
    }
    json["payments"] = std::move(payments);
    Print(json, format);
  });
}

void AddRecord(CLI::App& group, Context& context) {
  struct Options {
    std::string contract, payee, number, date, file;
  };
  auto options = std::make_shared<Options>();
  CLI::App* record = group.add_subcommand(
      "record",
      "Record an invoice from outside the ledger (a site's, a vendor's): sponsor finance");
  record->add_option("--contract", options->contract, "contract id")->required();
  record->add_option("--payee", options->payee, "who sent it")->required();
  record->add_option("--number", options->number, "its own invoice number")->required();
  record->add_option("--date", options->date, "its date, YYYY-MM-DD")->required();
  record
      ->add_option("--file", options->file,
                   "LINES.json: {\"lines\": [{\"item\", \"amount\": \"USD 1,000.00\", "
                   "\"evidence\": [fact ids]}]}")
      ->required();
  record->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-finance.key invoice record --contract "
      "acme-301 --payee site-301 --number S301-2026-11 --date 2026-11-30 --file "
      "site-301-2026-11.json");
  record->callback([&context, options] {
    const int64_t date_ms = ParseDate(options->date, "--date");
    std::string currency;
    std::vector<v1::InvoiceLine> lines = ReadLines(options->file, &currency);
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      v1::RecordInvoice* invoice = body.mutable_record_invoice();
      invoice->set_contract_id(options->contract);
      invoice->set_payee(options->payee);
      invoice->set_number(options->number);
      invoice->set_date_ms(date_ms);
      invoice->set_currency(currency);
      for (const v1::InvoiceLine& line : lines)
        *invoice->add_lines() = line;
    });
    Print(SubmissionJson(response), context.format());
  });
}

void AddApprove(CLI::App& group, Context& context) {
  struct Options {
    std::string id, override_reason;
  };
  auto options = std::make_shared<Options>();
  CLI::App* approve = group.add_subcommand(
      "approve",
      "Approve an invoice for payment after its three-way match (sponsor finance, not who "
      "recorded it)");
  approve->add_option("invoice", options->id, "invoice id")->required();
  approve->add_option("--override", options->override_reason,
                      "approve lines without evidence anyway, and why (kept on the record)");
  approve->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key invoice approve "
      "northwind-cro/INV-00000001\n"
      "  trialledger --key net/keys/acme-bio-finance.key invoice approve acme-bio/REC-00000001 "
      "--override \"visit report received by mail\"");
  approve->callback([&context, options] {
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      body.mutable_approve_invoice()->set_invoice_id(options->id);
      body.mutable_approve_invoice()->set_override_reason(options->override_reason);
    });
    Print(SubmissionJson(response), context.format());
  });
}

void AddPay(CLI::App& group, Context& context) {
  struct Options {
    std::string id, amount, date, reference;
  };
  auto options = std::make_shared<Options>();
  CLI::App* pay = group.add_subcommand(
      "pay", "Pay an approved invoice, in full or in part: cash against payable (sponsor finance)");
  pay->add_option("invoice", options->id, "invoice id")->required();
  pay->add_option("--amount", options->amount, "\"USD 90,000.00\"")->required();
  pay->add_option("--date", options->date, "the payment date, YYYY-MM-DD")->required();
  pay->add_option("--reference", options->reference, "the bank's or the ERP's reference");
  pay->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-finance.key invoice pay "
      "northwind-cro/INV-00000001 --amount \"USD 135,000.00\" --date 2026-11-25 --reference "
      "WIRE-20261125-01");
  pay->callback([&context, options] {
    std::string currency;
    const int64_t amount = ParseMoney(options->amount, &currency, "--amount");
    const int64_t date_ms = ParseDate(options->date, "--date");
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      v1::RecordPayment* payment = body.mutable_record_payment();
      payment->set_invoice_id(options->id);
      payment->set_amount_minor(amount);
      payment->set_date_ms(date_ms);
      payment->set_reference(options->reference);
    });
    Print(SubmissionJson(response), context.format());
  });
}

void AddConfirmReceipt(CLI::App& group, Context& context) {
  struct Options {
    std::string id;
    uint64_t payment = 0;
  };
  auto options = std::make_shared<Options>();
  CLI::App* confirm = group.add_subcommand(
      "confirm-receipt",
      "Confirm a payment of your invoice arrived: cash against receivable (CRO finance)");
  confirm->add_option("invoice", options->id, "invoice id")->required();
  confirm->add_option("--payment", options->payment, "the payment's number (invoice show)")
      ->required();
  confirm->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key invoice confirm-receipt "
      "northwind-cro/INV-00000001 --payment 1");
  confirm->callback([&context, options] {
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      body.mutable_confirm_receipt()->set_invoice_id(options->id);
      body.mutable_confirm_receipt()->set_payment_seq(options->payment);
    });
    Print(SubmissionJson(response), context.format());
  });
}

void AddInvoiceMatch(CLI::App& report, Context& context) {
  struct Options {
    std::string contract, period;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = report.add_subcommand(
      "invoice-match",
      "The three-way match: every invoice line, the evidence that earns it, the accrual it "
      "relieves, and its status");
  command->add_option("--contract", options->contract, "contract id")->required();
  AddPeriodOption(*command, &options->period, "only invoices dated in this month");
  command->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key report invoice-match "
      "--contract acme-301\n"
      "  trialledger --key net/keys/acme-bio-finance.key report invoice-match --contract acme-301 "
      "--period 2026-11");
  command->callback([&context, options] {
    v1::GetInvoiceMatchRequest request;
    request.set_contract_id(options->contract);
    request.set_period(options->period);
    v1::GetInvoiceMatchResponse response =
        Context::Check(context.client().GetInvoiceMatch(request));
    Json lines = Json::array();
    for (const v1::InvoiceMatchLine& line : response.lines())
      lines.push_back(MatchJson(line, response.currency(), context.format()));
    Print(Json{{"contract", response.contract_id()},
               {"currency", response.currency()},
               {"lines", std::move(lines)}},
          context.format());
  });
}

}  // namespace

void AddInvoiceCommands(CLI::App& app, Context& context) {
  CLI::App* group = app.add_subcommand("invoice", "Invoices, their approval and payment");
  group->require_subcommand(1);
  group->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-finance.key invoice list --contract "
      "acme-301");
  AddList(*group, context);
  AddShow(*group, context);
  AddRecord(*group, context);
  AddApprove(*group, context);
  AddPay(*group, context);
  AddConfirmReceipt(*group, context);
  CLI::App* report = app.get_subcommand("report");
  AddInvoiceMatch(*report, context);
}

}  // namespace tl::cli
