#include <filesystem>

#include "commands.h"
#include "trialledger/base/hex.h"

namespace tl::cli {
namespace {

Json KeyJson(const KeyFile& key, const std::string& path) {
  return Json{{"name", key.name}, {"public_key", ToHex(key.keys.public_key)}, {"file", path}};
}

}  // namespace

void AddKeysCommands(CLI::App& app, Context& context) {
  CLI::App* keys = app.add_subcommand("keys", "Create and inspect Ed25519 key files");
  keys->require_subcommand(1);
  keys->footer("Example:\n  trialledger keys show net/keys/acme-bio-finance.key");

  struct GenOptions {
    std::string out, name;
  };
  auto gen_options = std::make_shared<GenOptions>();
  CLI::App* gen = keys->add_subcommand("gen", "Write a new key file, mode 0600; never overwrites");
  gen->add_option("--out", gen_options->out, "key file to create")->required();
  gen->add_option("--name", gen_options->name, "who the key is for (default: the file's stem)");
  gen->footer(
      "Example:\n  trialledger keys gen --out net/keys/acme-bio-analyst.key --name "
      "acme-bio-analyst");
  gen->callback([&context, gen_options] {
    const GenOptions& options = *gen_options;
    std::string name =
        options.name.empty() ? std::filesystem::path(options.out).stem().string() : options.name;
    KeyFile key{name, GenerateKeyPair()};
    Context::Check(WriteKeyFile(options.out, key));
    Print(KeyJson(key, options.out), context.format());
  });

  auto show_file = std::make_shared<std::string>();
  CLI::App* show = keys->add_subcommand("show", "Show a key file's name and public key");
  show->add_option("file", *show_file, "key file (default: --key)");
  show->footer(
      "Examples:\n  trialledger keys show net/keys/northwind-cro-finance.key\n"
      "  trialledger --key net/keys/acme-bio-admin.key keys show -o json");
  show->callback([&context, show_file] {
    std::string path = show_file->empty() ? context.key_path : *show_file;
    if (path.empty()) throw CommandError{"give a key file, or --key FILE"};
    Print(KeyJson(Context::Check(ReadKeyFile(path)), path), context.format());
  });
}

}  // namespace tl::cli
