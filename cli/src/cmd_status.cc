#include "commands.h"
#include "ledger_json.h"

namespace tl::cli {

void AddStatusCommand(CLI::App& app, Context& context) {
  CLI::App* status = app.add_subcommand("status", "Show a node's chain head and health");
  auto linearizable = std::make_shared<bool>(false);
  status->add_flag("--linearizable", *linearizable,
                   "answer only once the node has applied everything committed before the call, "
                   "as a quorum confirms (fails on a node cut off from the majority)");
  status->footer(
      "Examples:\n  trialledger status\n  trialledger --node 127.0.0.1:7052 status -o json\n"
      "  trialledger --node 127.0.0.1:7052 status --linearizable");
  status->callback([&context, linearizable] {
    Print(StatusJson(Context::Check(context.client().GetStatus(*linearizable))), context.format());
  });
}

}  // namespace tl::cli
