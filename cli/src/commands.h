// Each group of subcommands registers itself on the app; commands print through output.h and
// fail by throwing CommandError.
#pragma once

#include <CLI/CLI.hpp>

#include "context.h"

namespace tl::cli {

void AddKeysCommands(CLI::App& app, Context& context);
void AddNetworkCommands(CLI::App& app, Context& context);
void AddStatusCommand(CLI::App& app, Context& context);
void AddTxCommands(CLI::App& app, Context& context);
void AddBlockCommands(CLI::App& app, Context& context);
void AddMemberCommands(CLI::App& app, Context& context);
// `access grant`, `access revoke`, `access list` (docs/permissions.md).
void AddAccessCommands(CLI::App& app, Context& context);
void AddVerifyCommand(CLI::App& app, Context& context);
void AddBenchCommand(CLI::App& app, Context& context);
void AddClusterCommands(CLI::App& app, Context& context);
void AddContractCommands(CLI::App& app, Context& context);
// `facts` and `milestones`.
void AddFactsCommands(CLI::App& app, Context& context);
// `report`, `journal` and `books`.
void AddBooksCommands(CLI::App& app, Context& context);
// `invoice` and `report invoice-match`. REQUIRES: AddBooksCommands ran (it adds `report`).
void AddInvoiceCommands(CLI::App& app, Context& context);
// `report mirror`, `report accruals` and `books set-accrual-grid`. REQUIRES: AddBooksCommands ran.
void AddSponsorBooksCommands(CLI::App& app, Context& context);
// `journal follow` (and the exports of docs/erp.md). REQUIRES: called on the `journal` group.
void AddJournalStreamCommands(CLI::App& journal, Context& context);
// `network up|down|status DIR`: the local nodes of a `network init` folder as background
// processes (cmd_network_up.cc).
void AddNetworkProcessCommands(CLI::App& network, Context& context);
// `completion bash` (cmd_completion.cc). REQUIRES: every other command was added first.
void AddCompletionCommand(CLI::App& app);
struct CliConfigFile;
// `config show` (cmd_config.cc): `file` is the settings file main() loaded, `argv` the command
// line.
void AddConfigCommands(CLI::App& app, Context& context, const CliConfigFile& file,
                       const std::vector<std::string>& argv);
// `erp sync`: a book into a PostgreSQL GL interface table (docs/erp.md).
void AddErpCommands(CLI::App& app, Context& context);
void AddOracleCommands(CLI::App& app, Context& context);  // `oracle import` (docs/feeds.md)

// Builds the whole command tree (used by main and by tests).
void AddAllCommands(CLI::App& app, Context& context);

}  // namespace tl::cli
