// trialledger: the command line for operators and finance teams. See README.md, "The CLI".
#include <cstdio>

#include "commands.h"
#include "trialledger/sdk/crypto.h"

int main(int argc, char** argv) {
  tl::InitCrypto();
  CLI::App app{"trialledger: inspect and drive a TrialLedger network"};
  app.set_help_all_flag("--help-all", "show every command's help");
  tl::cli::Context context;
  tl::cli::AddAllCommands(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int printed = app.exit(error);  // prints the help, or the usage error
    return printed == 0 ? 0 : tl::cli::kExitUsage;
  } catch (const tl::cli::CommandError& error) {
    std::fprintf(stderr, "trialledger: %s\n", error.message.c_str());
    return error.exit_code;
  }
  return 0;
}
