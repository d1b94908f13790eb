#include "commands.h"
#include "ledger_json.h"

namespace tl::cli {

void AddStatusCommand(CLI::App& app, Context& context) {
  CLI::App* status = app.add_subcommand("status", "Show a node's chain head and health");
  status->footer(
      "Examples:\n  trialledger status\n  trialledger --node 127.0.0.1:7052 status -o json");
  status->callback([&context] {
    Print(StatusJson(Context::Check(context.client().GetStatus())), context.format());
  });
}

}  // namespace tl::cli
