#include "commands.h"

#include "ledger_json.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/hex.h"
#include "trialledger/sdk/crypto.h"

namespace tl::cli {
namespace {

std::string_view StatusName(v1::TxStatus status) {
  switch (status) {
    case v1::TX_STATUS_PENDING:
      return "pending";
    case v1::TX_STATUS_COMMITTED:
      return "committed";
    case v1::TX_STATUS_REJECTED:
      return "rejected";
    default:
      return "unknown";
  }
}

}  // namespace

void AddTxCommands(CLI::App& app, Context& context) {
  CLI::App* tx = app.add_subcommand("tx", "Submit and inspect transactions");
  tx->require_subcommand(1);
  tx->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-clinops.key tx note \"site 301 "
      "monitoring visit done\"");

  auto note_text = std::make_shared<std::string>();
  CLI::App* note = tx->add_subcommand("note", "Record a signed free-text note on the ledger");
  note->add_option("text", *note_text, "the note")->required();
  note->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-clinops.key tx note \"site 301 "
      "monitoring visit done\"");
  note->callback([&context, note_text] {
    v1::SubmitTransactionResponse response =
        context.SubmitAndWait([&](v1::TxBody& body) { body.mutable_note()->set_text(*note_text); });
    Print(SubmissionJson(response), context.format());
  });

  auto show_id = std::make_shared<std::string>();
  CLI::App* show = tx->add_subcommand("show", "Show a transaction: status, block, result");
  show->add_option("id", *show_id, "transaction id (64 hex digits)")->required();
  show->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-finance.key tx show "
      "3255b6cd3ee61a5a6e8e8d42a074277c47d0d1b21f44cbfa5ce43ffb7aedd147");
  show->callback([&context, show_id] {
    std::string id = Context::Check(FromHexExact(*show_id, kHashBytes, "transaction id"));
    v1::GetTransactionResponse found = Context::Check(context.client().GetTransaction(id));
    Json json{{"tx_id", ToHex(id)}, {"status", StatusName(found.status())}};
    if (found.height() != 0) {
      json["height"] = found.height();
      json["index"] = found.index();
      json["block_time"] = FormatIsoTimestampMillis(found.block_time_ms());
      Json detail =
          TransactionJson(found.transaction(), &found.result(),
                          [&](const std::string& key) { return context.SignerName(key); });
      for (auto& [key, value] : detail.items()) {
        if (key != "tx_id") json[key] = value;
      }
    }
    Print(json, context.format());
  });
}

}  // namespace tl::cli
