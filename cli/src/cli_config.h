// The CLI's own settings file, so a user does not repeat --node, --ca and --key: TOML at
// $TL_CONFIG, else $XDG_CONFIG_HOME/trialledger/config.toml, else
// ~/.config/trialledger/config.toml (README, "The CLI"):
//
//   node = "127.0.0.1:7051"        # --node (TL_NODE)
//   ca = "net/tls/ca.crt"          # --ca (TL_CA); relative to this file
//   key = "net/keys/me.key"        # --key (TL_KEY); relative to this file
//   output = "table"               # -o: table, json or csv
//   timeout = 30                   # --timeout, seconds
//
// A flag beats its environment variable, which beats the file, which beats the default.
#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"

namespace tl::cli {

class Context;

struct CliConfigFile {
  std::string path;
  bool exists = false;
  std::map<std::string, std::string> values;  // setting -> value as the file gives it
};

// Where the settings file is looked for.
std::string CliConfigPath();
// Reads the file (if there is one) and sets the Context's defaults from it. Errors name the
// file, line and key; an unknown key or a bad value is refused, not ignored.
absl::Status LoadCliConfig(Context& context, CliConfigFile& loaded);

}  // namespace tl::cli
