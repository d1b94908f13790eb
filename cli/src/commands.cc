#include "commands.h"

#include "trialledger/base/str_cat.h"

namespace tl::cli {

void AddAllCommands(CLI::App& app, Context& context) {
  app.add_option("--node", context.node_address,
                 "node to talk to, HOST:PORT; or a list HOST:PORT,HOST:PORT,...: the first "
                 "that answers")
      ->envname("TL_NODE")
      ->capture_default_str();
  app.add_option("--ca", context.ca_path,
                 "the network CA certificate: nodes serve clients over TLS only")
      ->envname("TL_CA");
  app.add_option("--key", context.key_path, "key file to sign with")->envname("TL_KEY");
  app.add_option("-o,--output", context.output,
                 "output format: aligned columns, JSON for programs, CSV for spreadsheets")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  app.add_flag("--wide", context.wide,
               StrCat("tables show every cell whole: full hashes and long text (default: "
                      "hashes cut to ",
                      kShortHashDigits, " digits, cells to ", kCellWidthMax, " characters)"));
  app.add_option("--timeout", context.timeout_s,
                 "seconds to wait for a node's answer; a submission that waits longer for its "
                 "block ends with exit status 3, outcome unknown")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--expiry-blocks", context.expiry_blocks,
                 "a submitted transaction expires this many blocks after the current head")
      ->capture_default_str();
  app.require_subcommand(1);
  // Global options may come after the subcommand too: `trialledger status -o json`.
  app.fallthrough();
  AddKeysCommands(app, context);
  AddNetworkCommands(app, context);
  AddStatusCommand(app, context);
  AddClusterCommands(app, context);
  AddTxCommands(app, context);
  AddBlockCommands(app, context);
  AddMemberCommands(app, context);
  AddAccessCommands(app, context);
  AddContractCommands(app, context);
  AddFactsCommands(app, context);
  AddBooksCommands(app, context);
  AddInvoiceCommands(app, context);
  AddSponsorBooksCommands(app, context);
  AddOracleCommands(app, context);
  AddErpCommands(app, context);
  AddVerifyCommand(app, context);
  AddBenchCommand(app, context);
}

}  // namespace tl::cli
