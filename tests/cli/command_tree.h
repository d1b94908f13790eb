// The `trialledger` command tree as main() builds it, for tests that walk it or parse a command
// line against it without running a command: parsing then only checks the line (names, required
// options, validators) and sends nothing.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_config.h"
#include "commands.h"
#include "context.h"

namespace tl::cli::testing {

struct CommandTree {
  virtual ~CommandTree() = default;
  CLI::App app{"trialledger: inspect and drive a TrialLedger network", "trialledger"};
};

// What main() adds, in its order.
struct FullCommandTree : CommandTree {
  FullCommandTree() {
    AddAllCommands(app, context);
    AddConfigCommands(app, context, config_file, {});
    AddCompletionCommand(app);
  }
  Context context;
  CliConfigFile config_file;
};

using TreeFactory = std::function<std::unique_ptr<CommandTree>()>;

inline std::unique_ptr<CommandTree> MakeFullTree() {
  return std::make_unique<FullCommandTree>();
}

// Every command below `app` (groups and leaves, not option groups) with its path from the top:
// {"report trial-balance", command}.
inline void ForEachCommand(CLI::App& app, const std::string& path,
                           const std::function<void(const std::string&, CLI::App&)>& visit) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_name().empty()) continue;  // an option group
    const std::string sub_path = path.empty() ? sub->get_name() : path + " " + sub->get_name();
    visit(sub_path, *sub);
    ForEachCommand(*sub, sub_path, visit);
  }
}

// Parses `args` (in order, without the program name) as main() would, but runs no command: the
// top's parse-complete callback, which CLI11 runs once every name, requirement and check has
// passed and before any command's own callback, stops it there. (Replacing the commands'
// callbacks would not do: most keep their options' storage alive in the callback's captures.)
// Throws CLI::ParseError as App::parse does.
inline void ParseWithoutRunning(CLI::App& app, const std::vector<std::string>& args) {
  struct Parsed {};
  app.parse_complete_callback([] { throw Parsed{}; });
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const Parsed&) {
    return;
  }
  // Not reached: parse() runs the top's callback whenever it returns.
  throw CLI::ParseError("the parse-complete callback did not run", CLI::ExitCodes::BaseClass);
}

}  // namespace tl::cli::testing
