// history_checker: decides whether a fault test lost, duplicated or diverged anything, from what
// its clients saw and what every node's ledger holds afterwards (README.md).
//
//   history_checker --history history.jsonl --ledger n1=n1.jsonl --ledger n2=n2.jsonl
//                   [--require-same-head]
//
// Prints a summary JSON object on stdout. Exit status: 0 no anomalies, 1 anomalies found,
// 2 a usage or input error (on stderr, naming the file and line).
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "checker.h"
#include "history_parser.h"
#include "input_error.h"
#include "ledger_parser.h"
#include "summary_json.h"

namespace {

constexpr int kExitNoAnomalies = 0;
constexpr int kExitAnomalies = 1;
constexpr int kExitInputError = 2;

using tl::history::InputError;
using tl::history::NodeLedger;
using tl::history::Parsed;

struct LedgerSpec {
  std::string name;
  std::string path;
};

// "n1=ledgers/n1.jsonl" -> {n1, ledgers/n1.jsonl}; names must be non-empty and distinct.
Parsed<std::vector<LedgerSpec>> LedgerSpecs(const std::vector<std::string>& arguments) {
  std::vector<LedgerSpec> specs;
  std::set<std::string> names;
  for (const std::string& argument : arguments) {
    size_t equals = argument.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == argument.size())
      return InputError{"--ledger", 0, "expected NAME=FILE, got \"" + argument + "\""};
    LedgerSpec spec{argument.substr(0, equals), argument.substr(equals + 1)};
    if (!names.insert(spec.name).second)
      return InputError{"--ledger", 0, "node name \"" + spec.name + "\" given twice"};
    specs.push_back(std::move(spec));
  }
  return specs;
}

// Opens `path` and hands the stream to `parse`; a file that will not open is an input error.
template <typename T, typename ParseFunction>
Parsed<T> ParseFile(const std::string& path, ParseFunction parse) {
  std::ifstream in(path);
  if (!in) return InputError{path, 0, "cannot open for reading"};
  return parse(in);
}

int InputErrorExit(const InputError& error) {
  std::cerr << "history_checker: " << error.ToString() << "\n";
  return kExitInputError;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Checks a fault test's client history against every node's ledger: nothing acknowledged "
      "lost, nothing committed twice, no node diverged, reads linearizable. Prints a JSON "
      "summary; exits 0 (no anomalies), 1 (anomalies) or 2 (usage or input error).",
      "history_checker"};
  std::string history_path;
  std::vector<std::string> ledger_arguments;
  tl::history::CheckOptions options;
  app.add_option("--history", history_path, "Client operations, JSON Lines")->required();
  app.add_option("--ledger", ledger_arguments, "A node's chain dump as NAME=FILE (repeatable)")
      ->required();
  app.add_flag("--require-same-head", options.require_same_head,
               "Every node must end at the same height");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help exits 0 through CLI11; every other parse error is a usage error.
    return app.exit(error) == 0 ? kExitNoAnomalies : kExitInputError;
  }

  Parsed<std::vector<LedgerSpec>> specs = LedgerSpecs(ledger_arguments);
  if (!specs.ok()) return InputErrorExit(specs.error());

  Parsed<tl::history::History> history = ParseFile<tl::history::History>(
      history_path, [&](std::istream& in) { return tl::history::ParseHistory(in, history_path); });
  if (!history.ok()) return InputErrorExit(history.error());

  std::vector<NodeLedger> nodes;
  for (const LedgerSpec& spec : specs.value()) {
    Parsed<NodeLedger> ledger = ParseFile<NodeLedger>(spec.path, [&](std::istream& in) {
      return tl::history::ParseLedger(in, spec.name, spec.path);
    });
    if (!ledger.ok()) return InputErrorExit(ledger.error());
    nodes.push_back(std::move(ledger).value());
  }

  tl::history::Report report = tl::history::Check(history.value(), nodes, options);
  std::cout << tl::history::SummaryJson(report).dump(2) << "\n";
  return report.anomalies.empty() ? kExitNoAnomalies : kExitAnomalies;
}
