// `trialledger cluster ...`: the Raft cluster as an operator sees it, and membership changes.
//
// Membership changes are signed transactions of an organisation's admin (ChangeNode,
// TransferLeadership): they enter the audit trail like any other, and the leader then moves the
// Raft configuration to match, one change at a time.
#include "commands.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/keyfile.h"

namespace tl::cli {
namespace {

std::string MembershipName(v1::NodeMembership membership) {
  switch (membership) {
    case v1::NODE_MEMBERSHIP_VOTER:
      return "voter";
    case v1::NODE_MEMBERSHIP_LEARNER:
      return "learner";
    case v1::NODE_MEMBERSHIP_REMOVED:
      return "removed";
    default:
      return "unknown";
  }
}

// One row per node the ledger knows: what the ledger wants, what Raft has, and what the node
// itself reports (asked over its own client address; an unreachable node says so).
Json ClusterStatusJson(const v1::GetStatusResponse& asked, const ClientOptions& options) {
  uint64_t leader_commit = 0;
  std::vector<std::pair<const v1::ClusterMember*, absl::StatusOr<v1::GetStatusResponse>>> rows;
  for (const v1::ClusterMember& member : asked.members()) {
    std::unique_ptr<LedgerClient> client = LedgerClient::Connect(member.address(), options);
    absl::StatusOr<v1::GetStatusResponse> status = client->GetStatus();
    if (status.ok() && status->role() == "leader") leader_commit = status->commit_index();
    rows.emplace_back(&member, std::move(status));
  }
  Json nodes = Json::array();
  std::string leader;
  uint64_t term = 0;
  for (auto& [member, status] : rows) {
    Json row{{"name", member->name()},
             {"membership", MembershipName(member->desired())},
             {"raft", member->raft_role().empty() ? "-" : member->raft_role()}};
    if (status.ok()) {
      row["role"] = status->role();
      row["term"] = status->term();
      row["commit_index"] = status->commit_index();
      row["applied_index"] = status->applied_index();
      row["height"] = status->height();
      row["lag"] =
          leader_commit > status->applied_index() ? leader_commit - status->applied_index() : 0;
      if (status->role() == "leader") leader = member->name();
      term = std::max(term, status->term());
    } else {
      row["role"] = "unreachable";
      row["term"] = nullptr;
      row["commit_index"] = nullptr;
      row["applied_index"] = nullptr;
      row["height"] = nullptr;
      row["lag"] = nullptr;
    }
    row["address"] = member->address();
    row["raft_id"] = StrCat(member->raft_id());
    nodes.push_back(std::move(row));
  }
  return Json{{"chain_id", asked.chain_id()},
              {"leader", leader.empty() ? asked.leader() : leader},
              {"term", term},
              {"nodes", std::move(nodes)}};
}

void AddChangeCommand(CLI::App& cluster, Context& context, const std::string& name,
                      const std::string& help, v1::ChangeNode::Action action) {
  auto node_name = std::make_shared<std::string>();
  CLI::App* command = cluster.add_subcommand(name, help);
  command->add_option("node", *node_name, "node name")->required();
  command->footer(StrCat("Example:\n  trialledger --key net/keys/northwind-cro-admin.key cluster ",
                         name, " node4"));
  command->callback([&context, node_name, action] {
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      body.mutable_change_node()->set_action(action);
      body.mutable_change_node()->set_node_name(*node_name);
    });
    Print(SubmissionJson(response), context.format());
  });
}

}  // namespace

void AddClusterCommands(CLI::App& app, Context& context) {
  CLI::App* cluster =
      app.add_subcommand("cluster", "The nodes of the network: Raft roles, lag and membership");
  cluster->require_subcommand(1);
  cluster->footer("Example:\n  trialledger --key net/keys/northwind-cro-admin.key cluster status");

  CLI::App* status = cluster->add_subcommand(
      "status", "Per node: role, term, commit and applied index, lag behind the leader");
  status->footer(
      "Examples:\n  trialledger --key net/keys/northwind-cro-admin.key cluster status\n"
      "  trialledger --node 127.0.0.1:7052 --key net/keys/acme-bio-admin.key cluster status -o "
      "json");
  status->callback([&context] {
    Print(ClusterStatusJson(Context::Check(context.client().GetStatus()),
                            context.client_options(/*deadline_ms=*/2000)),
          context.format());
  });

  struct LearnerOptions {
    std::string name, public_key, node_key, address, peer_address;
  };
  auto learner = std::make_shared<LearnerOptions>();
  CLI::App* add = cluster->add_subcommand(
      "add-learner",
      "Admit a new node of your organisation as a learner (it receives the log, does not vote)");
  add->add_option("--name", learner->name, "node name (its TLS certificate names it)")->required();
  add->add_option("--public-key", learner->public_key, "the node key's public key (64 hex)");
  add->add_option("--node-key", learner->node_key, "or read it from the node's key file");
  add->add_option("--address", learner->address, "host:port of its client API")->required();
  add->add_option("--peer-address", learner->peer_address, "host:port of its mutual-TLS endpoint")
      ->required();
  add->footer(
      "Example (after `network add-node --out net --name node4 --port 7054 --peer-port "
      "7058`):\n"
      "  trialledger --key net/keys/northwind-cro-admin.key cluster add-learner --name node4 "
      "--node-key net/keys/node4.key --address 127.0.0.1:7054 --peer-address 127.0.0.1:7058");
  add->callback([&context, learner] {
    std::string key;
    if (!learner->node_key.empty()) {
      key = Context::Check(ReadKeyFile(learner->node_key)).keys.public_key;
    } else if (!learner->public_key.empty()) {
      key = Context::Check(FromHexExact(learner->public_key, kPublicKeyBytes, "--public-key"));
    } else {
      throw CommandError{"give the node's --public-key or its --node-key file"};
    }
    v1::GetMemberResponse signer =
        Context::Check(context.client().GetMember(context.key().keys.public_key));
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      v1::ChangeNode* change = body.mutable_change_node();
      change->set_action(v1::ChangeNode::ACTION_ADD_LEARNER);
      v1::NodeInfo* node = change->mutable_node();
      node->set_name(learner->name);
      node->set_org(signer.member().org());
      node->set_public_key(key);
      node->set_address(learner->address);
      node->set_peer_address(learner->peer_address);
    });
    Print(SubmissionJson(response), context.format());
  });

  AddChangeCommand(*cluster, context, "promote",
                   "Make a learner a voter (the leader waits until it has caught up)",
                   v1::ChangeNode::ACTION_PROMOTE);
  AddChangeCommand(*cluster, context, "remove",
                   "Take a node out of the cluster (a removed leader steps down)",
                   v1::ChangeNode::ACTION_REMOVE);

  auto target = std::make_shared<std::string>();
  CLI::App* transfer =
      cluster->add_subcommand("transfer-leader", "Ask the leader to hand over to a voter");
  transfer->alias("transfer-leadership");
  transfer->add_option("node", *target, "the voter to lead next")->required();
  transfer->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-admin.key cluster transfer-leader node2");
  transfer->callback([&context, target] {
    v1::SubmitTransactionResponse response = context.SubmitAndWait(
        [&](v1::TxBody& body) { body.mutable_transfer_leadership()->set_node_name(*target); });
    Print(SubmissionJson(response), context.format());
  });
}

}  // namespace tl::cli
