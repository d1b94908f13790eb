// trialledger: the command line for operators and finance teams. See README.md, "The CLI".
#include <cstdio>

#include "cli_config.h"
#include "commands.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/grpc_process.h"

int main(int argc, char** argv) {
  tl::ConfigureGrpcProcess();
  tl::InitCrypto();
  CLI::App app{"trialledger: inspect and drive a TrialLedger network"};
  app.set_help_all_flag("--help-all", "show every command's help");
  tl::cli::Context context;
  // The settings file sets the defaults before the flags and environment are read over them.
  tl::cli::CliConfigFile config;
  if (absl::Status loaded = tl::cli::LoadCliConfig(context, config); !loaded.ok()) {
    std::fprintf(stderr, "trialledger: %s\n", std::string(loaded.message()).c_str());
    return tl::cli::kExitFailed;
  }
  tl::cli::AddAllCommands(app, context);
  tl::cli::AddConfigCommands(app, context, config, std::vector<std::string>(argv + 1, argv + argc));
  tl::cli::AddCompletionCommand(app);
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
