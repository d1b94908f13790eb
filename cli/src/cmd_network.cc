#include <chrono>

#include "commands.h"
#include "network_init.h"

namespace tl::cli {

void AddNetworkCommands(CLI::App& app, Context& context) {
  CLI::App* network = app.add_subcommand("network", "Create local networks");
  network->require_subcommand(1);
  network->footer(
      "Examples:\n  trialledger network init --spec network-config/two-party-3-nodes.toml --out "
      "net\n"
      "  trialledger network up net");

  auto options = std::make_shared<NetworkInitOptions>();
  CLI::App* init = network->add_subcommand(
      "init", "Write keys, genesis and node configs for a network on this machine");
  init->add_option("--out", options->out_dir, "folder to create (must be absent or empty)")
      ->required();
  CLI::Option* spec = init->add_option(
      "--spec", options->spec_path,
      "a network spec file: organisations, members, nodes, account maps, auditor grants "
      "(network-config/, docs/network-config.md); instead of the flags below");
  init->add_option("--nodes", options->nodes, "number of nodes")
      ->capture_default_str()
      ->excludes(spec);
  init->add_option("--orgs", options->orgs,
                   "organisations as kind:name (kind: sponsor, cro, auditor)")
      ->delimiter(',')
      ->capture_default_str()
      ->excludes(spec);
  init->add_option("--chain-id", options->chain_id, "network name")
      ->capture_default_str()
      ->excludes(spec);
  CLI::Option* host = init->add_option("--host", options->host, "address the nodes listen on")
                          ->capture_default_str()
                          ->excludes(spec);
  init->add_option("--hosts", options->hosts,
                   "one address per node, node1 first (nodes on separate machines)")
      ->delimiter(',')
      ->excludes(spec)
      ->excludes(host);
  init->add_option("--base-port", options->base_port,
                   "client port of node1; node N gets base+N-1, and peer port base+nodes+N-1")
      ->capture_default_str()
      ->excludes(spec);
  init->footer(
      "Examples:\n  trialledger network init --out net --nodes 3\n"
      "  trialledger network init --spec network-config/two-party-3-nodes.toml --out net");
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
                           {"peer_address", node.peer_address},
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
    Json out{{"genesis", layout.genesis},
             {"tls_ca", layout.tls_ca},
             {"nodes", nodes},
             {"members", members}};
    if (!layout.accrual_grids.empty()) {
      Json grids = Json::array();
      for (const auto& grid : layout.accrual_grids) {
        grids.push_back(Json{
            {"contract", grid.contract}, {"file", grid.file}, {"signer_key", grid.signer_key}});
      }
      out["accrual_grids"] = grids;
    }
    Print(out, context.format());
  });

  AddNetworkProcessCommands(*network, context);

  auto add_node = std::make_shared<AddNodeOptions>();
  CLI::App* add = network->add_subcommand(
      "add-node",
      "Write a key, a CA-signed certificate and a config for a node joining the network later");
  add->add_option("--out", add_node->network_dir, "the folder `network init --out` created")
      ->required();
  add->add_option("--name", add_node->name, "node name")->required();
  add->add_option("--host", add_node->host, "address it listens on")->capture_default_str();
  add->add_option("--port", add_node->port, "client API port")->required();
  add->add_option("--peer-port", add_node->peer_port, "mutual-TLS peer port")->required();
  add->footer(
      "Example:\n  trialledger network add-node --out net --name node4 --port 7054 --peer-port "
      "7064");
  add->callback([&context, add_node] {
    AddedNode added = Context::Check(AddNodeFiles(*add_node));
    Print(Json{{"name", added.node.name},
               {"config", added.node.config},
               {"address", added.node.address},
               {"peer_address", added.node.peer_address},
               {"data_dir", added.node.data_dir},
               {"node_key", added.node_key},
               {"public_key", added.public_key},
               {"tls_cert", added.node.tls_cert},
               {"next",
                "start it, then: trialledger --key <your admin key> cluster add-learner "
                "--name " +
                    added.node.name + " --node-key " + added.node_key + " --address " +
                    added.node.address + " --peer-address " + added.node.peer_address}},
          context.format());
  });
}

}  // namespace tl::cli
