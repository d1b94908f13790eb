#include <chrono>

#include "commands.h"
#include "network_init.h"

namespace tl::cli {

void AddNetworkCommands(CLI::App& app, Context& context) {
  CLI::App* network = app.add_subcommand("network", "Create local networks");
  network->require_subcommand(1);

  auto options = std::make_shared<NetworkInitOptions>();
  CLI::App* init = network->add_subcommand(
      "init", "Write keys, genesis and node configs for a network on this machine");
  init->add_option("--out", options->out_dir, "folder to create (must be absent or empty)")
      ->required();
  init->add_option("--nodes", options->nodes, "number of nodes")->capture_default_str();
  init->add_option("--orgs", options->orgs,
                   "organisations as kind:name (kind: sponsor, cro, auditor)")
      ->delimiter(',')
      ->capture_default_str();
  init->add_option("--chain-id", options->chain_id, "network name")->capture_default_str();
  init->add_option("--host", options->host, "address the nodes listen on")->capture_default_str();
  init->add_option("--base-port", options->base_port, "port of node1; node N gets base+N-1")
      ->capture_default_str();
  init->callback([&context, options] {
    options->genesis_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    NetworkLayout layout = Context::Check(InitNetwork(*options));
    Json nodes = Json::array();
    for (const auto& node : layout.nodes) {
      nodes.push_back(Json{{"name", node.name},
                           {"org", node.org},
                           {"config", node.config},
                           {"address", node.address},
                           {"data_dir", node.data_dir},
                           {"tls_cert", node.tls_cert},
                           {"tls_key", node.tls_key}});
    }
    Json members = Json::array();
    for (const auto& member : layout.members) {
      members.push_back(Json{{"name", member.name},
                             {"org", member.org},
                             {"roles", member.roles},
                             {"key", member.key},
                             {"public_key", member.public_key}});
    }
    Print(Json{{"genesis", layout.genesis},
               {"tls_ca", layout.tls_ca},
               {"nodes", nodes},
               {"members", members}},
          context.format());
  });
}

}  // namespace tl::cli
