// Every command's --help ends with examples, and every example is a command line the CLI accepts:
// each is parsed against a fresh command tree with the callbacks off, so an example that names a
// flag or subcommand that does not exist, leaves out a required option or gives a value a check
// refuses fails here, with the command it belongs to.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "command_tree.h"

namespace tl::cli::testing {
namespace {

// A footer line's words as a shell splits them: '...' and "..." quote, an unquoted '#' starts a
// comment, and a pipe, redirection or ';' ends the command.
std::vector<std::string> ShellWords(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else if ((c == '#' && !in_word) || c == '|' || c == '>' || c == '<' || c == ';' || c == '&') {
      break;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

// The example command lines of a footer: the arguments after `trialledger` of each line that runs
// it (after any NAME=value environment words). "source <(trialledger ...)" is prose, not one.
std::vector<std::vector<std::string>> ExampleArgs(const std::string& footer) {
  std::vector<std::vector<std::string>> examples;
  size_t start = 0;
  while (start <= footer.size()) {
    size_t end = footer.find('\n', start);
    if (end == std::string::npos) end = footer.size();
    std::vector<std::string> words =
        ShellWords(std::string_view(footer).substr(start, end - start));
    auto first = std::find_if(words.begin(), words.end(), [](const std::string& word) {
      return word.find('=') == std::string::npos || word.starts_with("-");
    });
    if (first != words.end() && *first == "trialledger") {
      examples.emplace_back(first + 1, words.end());
    }
    start = end + 1;
  }
  return examples;
}

std::string Joined(const std::vector<std::string>& words) {
  std::string line;
  for (const std::string& word : words)
    line += (line.empty() ? "" : " ") + word;
  return line;
}

// Parses `args` against a fresh tree without running anything: the path of the command it
// selects ("report trial-balance"), or "error: <CLI11's message>".
std::string ParsedCommand(const TreeFactory& make_tree, const std::vector<std::string>& args) {
  std::unique_ptr<CommandTree> tree = make_tree();
  try {
    ParseWithoutRunning(tree->app, args);
  } catch (const CLI::ParseError& error) {
    return std::string("error: ") + error.what();
  }
  std::string path;
  const CLI::App* at = &tree->app;
  while (!at->get_subcommands().empty()) {
    at = at->get_subcommands().front();
    path += (path.empty() ? "" : " ") + at->get_name();
  }
  return path;
}

// Everything wrong with the examples of the tree `make_tree` builds, one line per problem, each
// naming its command.
std::vector<std::string> ExampleProblems(const TreeFactory& make_tree) {
  std::vector<std::string> problems;
  std::unique_ptr<CommandTree> tree = make_tree();
  ForEachCommand(tree->app, "", [&](const std::string& path, CLI::App& command) {
    const std::vector<std::vector<std::string>> examples = ExampleArgs(command.get_footer());
    if (examples.empty()) {
      problems.push_back(path + ": no example in its --help footer");
      return;
    }
    const bool leaf =
        command.get_subcommands([](CLI::App* sub) { return !sub->get_name().empty(); }).empty();
    for (const std::vector<std::string>& args : examples) {
      const std::string parsed = ParsedCommand(make_tree, args);
      const bool runs_it = leaf ? parsed == path : parsed.starts_with(path + " ");
      if (!runs_it) {
        problems.push_back(path + ": example `trialledger " + Joined(args) + "` " +
                           (parsed.starts_with("error: ") ? "is refused: " + parsed.substr(7)
                                                          : "runs `" + parsed + "`"));
      }
    }
  });
  return problems;
}

TEST(HelpExamplesTest, ShellWordsQuoteAndStopWhereAShellWould) {
  EXPECT_THAT(ShellWords("  trialledger tx note \"site 301 done\" --x 'a b'  # why"),
              ::testing::ElementsAre("trialledger", "tx", "note", "site 301 done", "--x", "a b"));
  EXPECT_THAT(ShellWords("trialledger journal follow --book a | jq .entry_id"),
              ::testing::ElementsAre("trialledger", "journal", "follow", "--book", "a"));
  EXPECT_THAT(ShellWords("trialledger export --out x.csv > y"),
              ::testing::ElementsAre("trialledger", "export", "--out", "x.csv"));
  EXPECT_THAT(ShellWords("a --reason \"\""), ::testing::ElementsAre("a", "--reason", ""));
  EXPECT_THAT(ExampleArgs("Examples:\n  TL_CONFIG=x.toml trialledger config show\n"
                          "  source <(trialledger completion bash)\n  trialledger status"),
              ::testing::ElementsAre(::testing::ElementsAre("config", "show"),
                                     ::testing::ElementsAre("status")));
}

TEST(HelpExamplesTest, EveryCommandHasExamplesThatParse) {
  const std::vector<std::string> problems = ExampleProblems(MakeFullTree);
  EXPECT_THAT(problems, ::testing::IsEmpty()) << ::testing::PrintToString(problems);
}

// A tree with one example of each kind of mistake: the checker must name every one.
struct FlawedTree : CommandTree {
  FlawedTree() {
    CLI::App* group = app.add_subcommand("report", "");
    group->footer("Example:\n  trialledger report show --book acme-bio");
    CLI::App* show = group->add_subcommand("show", "");
    show->add_option("--book", book)->required();
    show->footer(
        "Examples:\n  trialledger report show --book acme-bio --perod 2026-11\n"
        "  trialledger report show\n"
        "  trialledger report shwo --book acme-bio\n"
        "  trialledger report show --book acme-bio   # fine");
    app.add_subcommand("status", "")->footer("Status of the node.");
  }
  std::string book;
};

TEST(HelpExamplesTest, TheCheckerNamesAnUnknownFlagAMissingOptionAndAMissingExample) {
  const std::vector<std::string> problems =
      ExampleProblems([] { return std::make_unique<FlawedTree>(); });
  EXPECT_THAT(problems,
              ::testing::UnorderedElementsAre(
                  ::testing::HasSubstr("report show: example `trialledger report show --book "
                                       "acme-bio --perod 2026-11` is refused"),
                  ::testing::HasSubstr("report show: example `trialledger report show` is "
                                       "refused: --book is required"),
                  ::testing::HasSubstr("report show: example `trialledger report shwo --book "
                                       "acme-bio` "),
                  "status: no example in its --help footer"))
      << ::testing::PrintToString(problems);
}

}  // namespace
}  // namespace tl::cli::testing
