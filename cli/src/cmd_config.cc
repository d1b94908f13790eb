// `config show`: every global setting's value and where it came from (a flag, the environment,
// the settings file or the default), so a user knows which node and key a command will use.
#include <cstdlib>
#include <cstring>

#include "cli_config.h"
#include "commands.h"

namespace tl::cli {

void AddConfigCommands(CLI::App& app, Context& context, const CliConfigFile& file,
                       const std::vector<std::string>& argv) {
  CLI::App* config =
      app.add_subcommand("config", "The CLI's settings: flags, environment, settings file");
  config->require_subcommand(1);
  config->footer("Example:\n  trialledger config show");
  CLI::App* show = config->add_subcommand(
      "show", "Each setting's value and its source (flag, environment, file or default)");
  show->footer(
      "Examples:\n  trialledger config show\n"
      "  TL_CONFIG=net/trialledger.toml trialledger --key net/keys/acme-bio-finance.key config "
      "show");
  show->callback([&context, &file, argv] {
    struct Setting {
      std::string name, flag, short_flag, env, value;
    };
    const std::vector<Setting> settings = {
        {"node", "--node", "", "TL_NODE", context.node_address},
        {"ca", "--ca", "", "TL_CA", context.ca_path},
        {"key", "--key", "", "TL_KEY", context.key_path},
        {"output", "--output", "-o", "", context.output},
        {"timeout", "--timeout", "", "", std::to_string(context.timeout_s)},
    };
    Json rows = Json::array();
    for (const Setting& setting : settings) {
      bool on_command_line = false;
      for (const std::string& arg : argv) {
        on_command_line = on_command_line || arg == setting.flag ||
                          arg.starts_with(setting.flag + "=") ||
                          (!setting.short_flag.empty() && arg == setting.short_flag);
      }
      const char* env = setting.env.empty() ? nullptr : std::getenv(setting.env.c_str());
      std::string source = "default";
      if (on_command_line) {
        source = "flag " + setting.flag;
      } else if (env != nullptr && *env != '\0') {
        source = "environment " + setting.env;
      } else if (file.values.contains(setting.name)) {
        source = "file " + file.path;
      }
      rows.push_back(Json{{"setting", setting.name},
                          {"value", setting.value.empty() ? "-" : setting.value},
                          {"source", source}});
    }
    Print(Json{{"settings_file", file.path},
               {"settings_file_exists", file.exists},
               {"settings", rows}},
          context.format());
  });
}

}  // namespace tl::cli
