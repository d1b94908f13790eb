#include "cli_config.h"

#include <cstdlib>
#include <filesystem>

#include "context.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/toml_reader.h"

namespace tl::cli {

namespace fs = std::filesystem;

std::string CliConfigPath() {
  if (const char* path = std::getenv("TL_CONFIG"); path != nullptr && *path != '\0') return path;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    return (fs::path(xdg) / "trialledger" / "config.toml").string();
  }
  const char* home = std::getenv("HOME");
  return (fs::path(home != nullptr ? home : ".") / ".config" / "trialledger" / "config.toml")
      .string();
}

absl::Status LoadCliConfig(Context& context, CliConfigFile& loaded) {
  loaded.path = CliConfigPath();
  std::error_code error;
  loaded.exists = fs::exists(loaded.path, error);
  if (!loaded.exists) return absl::OkStatus();
  absl::StatusOr<std::string> text = ReadWholeFile(loaded.path);
  if (!text.ok()) return text.status();
  absl::StatusOr<toml::table> parsed = ParseToml(*text, loaded.path);
  if (!parsed.ok()) return parsed.status();
  if (absl::Status known = RejectUnknownKeys(*parsed, {"node", "ca", "key", "output", "timeout"},
                                             loaded.path, "trialledger config");
      !known.ok()) {
    return known;
  }
  TableReader reader(*parsed, loaded.path, "trialledger config");
  const fs::path base = fs::path(loaded.path).parent_path();
  auto relative = [&](const std::string& path) {
    return path.empty() || fs::path(path).is_absolute() ? path : (base / path).string();
  };
  if (parsed->contains("node"))
    context.node_address = loaded.values["node"] = reader.String("node");
  if (parsed->contains("ca")) context.ca_path = loaded.values["ca"] = relative(reader.String("ca"));
  if (parsed->contains("key")) {
    context.key_path = loaded.values["key"] = relative(reader.String("key"));
  }
  if (parsed->contains("output")) {
    const std::string output = reader.String("output");
    if (output != "table" && output != "json" && output != "csv") {
      reader.Fail(*parsed->get("output"),
                  StrCat("output '", output, "' is not one of table, json, csv"));
    }
    context.output = loaded.values["output"] = output;
  }
  if (parsed->contains("timeout")) {
    context.timeout_s = reader.Integer("timeout", context.timeout_s, 1, 3600);
    loaded.values["timeout"] = std::to_string(context.timeout_s);
  }
  return reader.status();
}

}  // namespace tl::cli
