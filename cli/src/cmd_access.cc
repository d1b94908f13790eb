// `access`: who besides a book's or a contract's own parties may read it (docs/permissions.md).
#include "commands.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"

namespace tl::cli {
namespace {

struct GrantOptions {
  std::string auditor, contract;
};

void AddGrantCommand(CLI::App& access, Context& context, bool revoke) {
  auto options = std::make_shared<GrantOptions>();
  CLI::App* command = access.add_subcommand(
      revoke ? "revoke" : "grant",
      revoke ? "Take back an auditor's read access (signed by finance or admin)"
             : "Let an auditor organisation's auditors read your book, or one contract your "
               "organisation is a party to (signed by finance or admin)");
  command->add_option("--auditor", options->auditor, "the auditor organisation")->required();
  command->add_option("--contract", options->contract,
                      "a contract of yours (default: your organisation's book)");
  const std::string verb = revoke ? "revoke" : "grant";
  command->footer(StrCat(
      "Examples:\n  trialledger --key net/keys/northwind-cro-finance.key access ", verb,
      " --auditor ledger-audit\n", "  trialledger --key net/keys/acme-bio-finance.key access ",
      verb, " --auditor ledger-audit --contract acme-301"));
  command->callback([&context, options, revoke] {
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      v1::GrantAccess* grant = body.mutable_grant_access();
      grant->set_auditor_org(options->auditor);
      grant->set_contract_id(options->contract);
      grant->set_revoke(revoke);
    });
    Print(SubmissionJson(response), context.format());
  });
}

}  // namespace

void AddAccessCommands(CLI::App& app, Context& context) {
  CLI::App* access = app.add_subcommand(
      "access", "Auditors' read access to a book or a contract (docs/permissions.md)");
  access->require_subcommand(1);
  access->footer(
      "Example:\n  trialledger --key net/keys/northwind-cro-finance.key access grant --auditor "
      "ledger-audit");
  AddGrantCommand(*access, context, /*revoke=*/false);
  AddGrantCommand(*access, context, /*revoke=*/true);

  auto book = std::make_shared<std::string>();
  auto contract = std::make_shared<std::string>();
  CLI::App* list = access->add_subcommand("list", "The auditors granted a book or a contract");
  auto* book_option = list->add_option("--book", *book, "an organisation's book");
  list->add_option("--contract", *contract, "a contract")->excludes(book_option);
  list->footer(
      "Examples:\n  trialledger --key net/keys/northwind-cro-finance.key access list --book "
      "northwind-cro\n"
      "  trialledger --key net/keys/acme-bio-finance.key access list --contract acme-301");
  list->callback([&context, book, contract] {
    if (book->empty() == contract->empty()) {
      throw CommandError{"access list: give --book ORG or --contract ID"};
    }
    v1::ListGrantsRequest request;
    request.set_book(*book);
    request.set_contract_id(*contract);
    v1::ListGrantsResponse found = Context::Check(context.client().ListGrants(request));
    Json rows = Json::array();
    for (const v1::AccessGrantRecord& grant : found.grants()) {
      rows.push_back(Json{{"auditor", grant.auditor_org()},
                          {"book", grant.book()},
                          {"contract", grant.contract_id()},
                          {"granted_by", StrCat(grant.granted_by_org(), "/", grant.granted_by())},
                          {"height", grant.height()},
                          {"tx", ToHex(grant.tx_id())}});
    }
    Print(rows, context.format());
  });
}

}  // namespace tl::cli
