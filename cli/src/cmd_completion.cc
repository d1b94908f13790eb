// `completion bash`: a bash completion script for every command, subcommand and flag, made from
// the command tree itself so that it never falls behind it.
//   source <(trialledger completion bash)      # or save it under /etc/bash_completion.d/
#include <iostream>
#include <map>

#include "commands.h"

namespace tl::cli {
namespace {

// "path" ("trialledger", "trialledger network up") -> the words that may come next there.
void Collect(const CLI::App& app, const std::string& path,
             std::map<std::string, std::vector<std::string>>& words) {
  std::vector<std::string>& here = words[path];
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames())
      here.push_back("--" + name);
    for (const std::string& name : option->get_snames())
      here.push_back("-" + name);
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    here.push_back(sub->get_name());
    Collect(*sub, path + " " + sub->get_name(), words);
  }
}

std::string BashScript(const CLI::App& app) {
  std::map<std::string, std::vector<std::string>> words;
  // Bash's associative arrays take no empty key: the top is "trialledger", below it
  // "trialledger network", ...
  Collect(app, "trialledger", words);
  std::string script =
      "# bash completion for trialledger: source <(trialledger completion bash)\n"
      "declare -gA _trialledger_words=(\n";
  for (const auto& [path, next] : words) {
    std::string list;
    for (const std::string& word : next)
      list += (list.empty() ? "" : " ") + word;
    script += "  [\"" + path + "\"]=\"" + list + "\"\n";
  }
  script +=
      ")\n"
      "_trialledger() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=trialledger i word next\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    word=\"${COMP_WORDS[i]}\"\n"
      "    next=\"$path $word\"\n"
      "    [[ -n \"${_trialledger_words[$next]+set}\" ]] && path=\"$next\"\n"
      "  done\n"
      "  COMPREPLY=($(compgen -W \"${_trialledger_words[$path]}\" -- \"$cur\"))\n"
      "  # A flag's value (a file, a folder) is completed as a path.\n"
      "  [[ ${#COMPREPLY[@]} -eq 0 && \"$cur\" != -* ]] && COMPREPLY=($(compgen -f -- \"$cur\"))\n"
      "  return 0\n"
      "}\n"
      "complete -F _trialledger trialledger\n";
  return script;
}

}  // namespace

void AddCompletionCommand(CLI::App& app) {
  CLI::App* completion =
      app.add_subcommand("completion", "Shell completion for every command and flag");
  completion->require_subcommand(1);
  completion->footer(
      "Example:\n  trialledger completion bash > "
      "~/.local/share/bash-completion/completions/trialledger");
  CLI::App* bash = completion->add_subcommand("bash", "A bash completion script");
  bash->footer(
      "Examples:\n  source <(trialledger completion bash)\n"
      "  trialledger completion bash > ~/.local/share/bash-completion/completions/trialledger");
  bash->callback([&app] { std::cout << BashScript(app); });
}

}  // namespace tl::cli
