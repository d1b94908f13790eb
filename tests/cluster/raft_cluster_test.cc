// Real trialledgerd processes agreeing through Raft over mutual TLS on 127.0.0.1: the leader
// killed with SIGKILL under a steady stream of transactions, a restarted node catching up (by
// snapshot once the log is compacted), membership changes, and submissions left waiting by a
// leader that lost its quorum; every data dir verifies.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "local_network.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/tls.h"
#include "trialledger/sdk/tx_builder.h"
#include "trialledger/v1/peer.grpc.pb.h"

namespace tl {
namespace {

using testing::CommandResult;
using testing::LocalNetwork;
using Clock = std::chrono::steady_clock;

// Writers: genesis members of both organisations, each with its own nonce sequence.
const char* kWriters[] = {"acme-bio-finance", "acme-bio-clinops", "northwind-cro-finance",
                          "northwind-cro-edc"};

// Submits notes until stopped, rotating over the nodes, and records every transaction a node
// acknowledged as committed. A failed request (its node killed, an election) is retried with a
// fresh nonce from the ledger: the lost one may or may not have committed, and only
// acknowledgements count.
class Writer {
 public:
  Writer(LocalNetwork& network, const std::string& member)
      : network_(network), key_(network.member_key(member)), member_(member) {}

  void Run(const std::atomic<bool>& stop) {
    std::vector<std::unique_ptr<LedgerClient>> clients;
    for (int i = 0; i < network_.size(); ++i)
      clients.push_back(LedgerClient::Connect(network_.address(i), network_.client_options(5000)));
    uint64_t nonce = 0;
    size_t turn = 0;
    std::string chain_id;
    uint64_t expiry_height = 0;
    while (!stop) {
      LedgerClient& client = *clients[turn++ % clients.size()];
      if (nonce == 0 || chain_id.empty()) {
        absl::StatusOr<v1::GetStatusResponse> status = client.GetStatus();
        absl::StatusOr<v1::GetMemberResponse> member = client.GetMember(key_.keys.public_key);
        if (!status.ok() || !member.ok()) continue;
        chain_id = status->chain_id();
        expiry_height = status->height() + 10000;
        nonce = member->next_nonce();
      }
      v1::TxBody body;
      body.set_chain_id(chain_id);
      body.set_nonce(nonce);
      body.set_expiry_height(expiry_height);
      body.mutable_note()->set_text(member_ + " " + std::to_string(nonce));
      absl::StatusOr<v1::SubmitTransactionResponse> response =
          client.Submit(SignTxBody(std::move(body), key_.keys), /*wait_for_commit=*/true);
      if (response.ok() && response->status() == v1::TX_STATUS_COMMITTED) {
        acknowledged_.push_back(response->tx_id());
        ++nonce;
      } else {
        nonce = 0;  // ask the ledger again
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  }

  const std::vector<std::string>& acknowledged() const { return acknowledged_; }

 private:
  LocalNetwork& network_;
  KeyFile key_;
  std::string member_;
  std::vector<std::string> acknowledged_;
};

void ExpectVerifies(const LocalNetwork& network, int index) {
  CommandResult verify = network.Verify(index);
  EXPECT_EQ(verify.exit_code, 0) << network.name(index) << ": " << verify.err << verify.out;
}

// Submits `count` notes from `member` through node `index`, waiting for each.
void WriteNotes(LocalNetwork& network, int index, const std::string& member, int count) {
  CommandResult result = network.WriteNotes(index, member, count);
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

TEST(RaftCluster, KilledLeaderLosesNoAcknowledgedTransactionAndTheNodesAgree) {
  LocalNetwork network(3);
  network.StartAll();
  int leader = network.AwaitLeader();
  ASSERT_GE(leader, 0);

  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<Writer>> writers;
  std::vector<std::thread> threads;
  for (const char* member : kWriters)
    writers.push_back(std::make_unique<Writer>(network, member));
  for (auto& writer : writers)
    threads.emplace_back([&, w = writer.get()] { w->Run(stop); });

  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  network.Kill(leader);
  int successor = network.AwaitLeader(leader);
  ASSERT_GE(successor, 0) << "no new leader after the old one was killed";
  ASSERT_NE(successor, leader);
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));  // writes go on under the new one
  stop = true;
  for (std::thread& thread : threads)
    thread.join();

  size_t acknowledged = 0;
  std::vector<int> survivors;
  for (int i = 0; i < network.size(); ++i) {
    if (i != leader) survivors.push_back(i);
  }
  ASSERT_TRUE(network.AwaitSameHead(survivors));
  for (const auto& writer : writers) {
    acknowledged += writer->acknowledged().size();
    for (const std::string& id : writer->acknowledged()) {
      for (int i : survivors) {
        absl::StatusOr<v1::GetTransactionResponse> found = network.client(i).GetTransaction(id);
        ASSERT_TRUE(found.ok() && found->status() == v1::TX_STATUS_COMMITTED)
            << "an acknowledged transaction is missing on " << network.name(i);
      }
    }
  }
  EXPECT_GT(acknowledged, 100u) << "too little load to mean anything";

  // The killed node restarts and catches up to the same history.
  network.Start(leader);
  WriteNotes(network, successor, "acme-bio-admin", 3);
  ASSERT_TRUE(network.AwaitSameHead({0, 1, 2}));
  for (int height : {1, 2, 5, 10}) {
    std::set<std::string> hashes;
    for (int i = 0; i < network.size(); ++i) {
      absl::StatusOr<v1::GetBlockResponse> block = network.client(i).GetBlock(height);
      ASSERT_TRUE(block.ok()) << block.status();
      hashes.insert(block->block_hash());
    }
    EXPECT_EQ(hashes.size(), 1u) << "nodes differ at height " << height;
  }
  for (int i = 0; i < network.size(); ++i)
    ASSERT_EQ(network.Stop(i), 0);
  for (int i = 0; i < network.size(); ++i)
    ExpectVerifies(network, i);
}

TEST(RaftCluster, RestartedNodeCatchesUpBySnapshotOnceTheLogIsCompacted) {
  LocalNetwork network(3);
  for (int i = 0; i < network.size(); ++i)
    network.SetConfig(i, "snapshot_interval", "20");
  network.StartAll();
  int leader = network.AwaitLeader();
  ASSERT_GE(leader, 0);
  int lagging = (leader + 1) % 3;
  ASSERT_EQ(network.Stop(lagging), 0);
  WriteNotes(network, leader, "northwind-cro-edc", 60);  // three snapshots' worth
  network.Start(lagging);
  ASSERT_TRUE(network.AwaitSameHead({0, 1, 2}));
  EXPECT_NE(network.log(lagging).find("msg=\"catching up\" from_height="), std::string::npos)
      << "the restarted node did not catch up by snapshot:\n"
      << network.log(lagging);
  for (int i = 0; i < network.size(); ++i)
    ASSERT_EQ(network.Stop(i), 0);
  for (int i = 0; i < network.size(); ++i)
    ExpectVerifies(network, i);
}

TEST(RaftCluster, LearnerJoinsIsPromotedAndAnotherNodeIsRemoved) {
  LocalNetwork network(3);
  network.StartAll();
  int leader = network.AwaitLeader();
  ASSERT_GE(leader, 0);
  WriteNotes(network, leader, "acme-bio-clinops", 5);

  int added = network.AddNode("node4");
  ASSERT_GE(added, 0);
  network.Start(added);
  CommandResult learner = network.Cli(
      leader, {"--key", network.member_key_path("acme-bio-admin"), "cluster", "add-learner",
               "--name", "node4", "--node-key", network.node_key_path("node4"), "--address",
               network.address(added), "--peer-address", network.peer_address(added)});
  ASSERT_EQ(learner.exit_code, 0) << learner.err << "\nleader log:\n" << network.log(leader);
  ASSERT_TRUE(network.AwaitSameHead({0, 1, 2, added}));

  auto raft_role = [&](const std::string& name) {
    CommandResult status = network.Cli(added, {"cluster", "status", "-o", "json"});
    nlohmann::json report = nlohmann::json::parse(status.out);
    for (const auto& node : report["nodes"]) {
      if (node["name"] == name) return node["raft"].get<std::string>();
    }
    return std::string("absent");
  };
  auto await_role = [&](const std::string& name, const std::string& role) {
    auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < deadline && raft_role(name) != role)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return raft_role(name);
  };
  EXPECT_EQ(await_role("node4", "learner"), "learner");

  // A member of the other organisation may not promote acme-bio's node.
  CommandResult foreign = network.Cli(
      leader,
      {"--key", network.member_key_path("northwind-cro-admin"), "cluster", "promote", "node4"});
  EXPECT_NE(foreign.exit_code, 0);
  EXPECT_NE(foreign.err.find("only its own organisation's nodes"), std::string::npos)
      << foreign.err;
  CommandResult promote = network.Cli(
      leader, {"--key", network.member_key_path("acme-bio-admin"), "cluster", "promote", "node4"});
  ASSERT_EQ(promote.exit_code, 0) << promote.err;
  EXPECT_EQ(await_role("node4", "voter"), "voter");

  // Remove one of the founding followers (by an admin of its organisation: network init gives
  // node2 to the CRO, node1 and node3 to the sponsor); three voters remain.
  int removed = leader == 0 ? 1 : 0;
  std::string owner = network.name(removed) == "node2" ? "northwind-cro-admin" : "acme-bio-admin";
  CommandResult remove = network.Cli(leader, {"--key", network.member_key_path(owner), "cluster",
                                              "remove", network.name(removed)});
  ASSERT_EQ(remove.exit_code, 0) << remove.err;
  EXPECT_EQ(await_role(network.name(removed), "-"), "-");
  ASSERT_EQ(network.Stop(removed), 0);

  std::vector<int> remaining;
  for (int i = 0; i < network.size(); ++i) {
    if (i != removed) remaining.push_back(i);
  }
  int now_leader = network.AwaitLeader(removed);
  ASSERT_GE(now_leader, 0);
  WriteNotes(network, added, "acme-bio-clinops", 5);  // through the new node, forwarded
  ASSERT_TRUE(network.AwaitSameHead(remaining));

  // Leadership moves to the new voter on request.
  CommandResult transfer = network.Cli(
      now_leader,
      {"--key", network.member_key_path("acme-bio-admin"), "cluster", "transfer-leader", "node4"});
  ASSERT_EQ(transfer.exit_code, 0) << transfer.err;
  auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline && network.AwaitLeader(removed, 5) != added)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(network.AwaitLeader(removed), added);

  for (int i : remaining)
    ASSERT_EQ(network.Stop(i), 0);
  for (int i = 0; i < network.size(); ++i)
    ExpectVerifies(network, i);
}

// The peer endpoint asks for two things: a certificate from the network's CA, and a name the ledger
// records as a node. A certificate the CA issued for a node that was never admitted gets nowhere.
// The bytes of a note by `member`, signed with its next nonce as `client`'s node knows it.
std::string SignedNote(LocalNetwork& network, LedgerClient& client, const std::string& member,
                       const std::string& text) {
  KeyFile key = network.member_key(member);
  absl::StatusOr<v1::GetStatusResponse> status = client.GetStatus();
  absl::StatusOr<v1::GetMemberResponse> record = client.GetMember(key.keys.public_key);
  EXPECT_TRUE(status.ok() && record.ok());
  if (!status.ok() || !record.ok()) return "";
  v1::TxBody body;
  body.set_chain_id(status->chain_id());
  body.set_nonce(record->next_nonce());
  body.set_expiry_height(status->height() + 10000);
  body.mutable_note()->set_text(text);
  return Encode(SignTxBody(std::move(body), key.keys));
}

// A submission waiting for its commit holds no thread on the node (gRPC's callback API), so
// nothing but the node itself ends the wait: a leader that lost its quorum answers it at its
// deadline, and a node told to stop answers every one still waiting and exits.
TEST(RaftCluster, SubmissionsLeftWaitingByALeaderWithoutQuorumEndAtTheirDeadlineOrTheStop) {
  LocalNetwork network(3);
  network.StartAll();
  int leader = network.AwaitLeader();
  ASSERT_GE(leader, 0);
  for (int i = 0; i < network.size(); ++i) {
    if (i != leader) network.Kill(i);
  }
  std::unique_ptr<LedgerClient> short_wait =
      LedgerClient::Connect(network.address(leader), network.client_options(1500));
  std::string note = SignedNote(network, *short_wait, "acme-bio-finance", "never committed");
  auto start = Clock::now();
  absl::StatusOr<v1::SubmitTransactionResponse> answer =
      short_wait->SubmitBytes(note, /*wait_for_commit=*/true);
  auto waited = Clock::now() - start;
  ASSERT_FALSE(answer.ok());
  // Admitted and then not committed; or refused at once when the leader already stepped down.
  EXPECT_TRUE(answer.status().code() == absl::StatusCode::kDeadlineExceeded ||
              answer.status().code() == absl::StatusCode::kUnavailable)
      << answer.status();
  EXPECT_LT(waited, std::chrono::seconds(5)) << "the wait outlived its 1.5 s deadline";

  // Waits with a long deadline, then the stop: every one is answered and the node exits.
  constexpr int kWaiting = 8;
  std::vector<absl::StatusOr<v1::SubmitTransactionResponse>> answers(
      kWaiting, absl::UnknownError("no answer"));
  std::vector<std::thread> waiting;
  for (int i = 0; i < kWaiting; ++i) {
    waiting.emplace_back([&, i] {
      std::unique_ptr<LedgerClient> client =
          LedgerClient::Connect(network.address(leader), network.client_options(60000));
      answers[static_cast<size_t>(i)] =
          client->SubmitBytes(SignedNote(network, *client, kWriters[i % 4], "waits"), true);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  start = Clock::now();
  EXPECT_EQ(network.Stop(leader), 0) << network.log(leader);
  for (std::thread& thread : waiting)
    thread.join();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(20)) << "the stop waited out the calls";
  for (const auto& each : answers) {
    EXPECT_FALSE(each.ok());
    EXPECT_NE(each.status().code(), absl::StatusCode::kUnknown) << each.status();
  }
}

TEST(RaftCluster, PeerEndpointRefusesACertificateTheLedgerDoesNotRecord) {
  LocalNetwork network(1);
  network.StartAll();
  ASSERT_GE(network.AwaitLeader(), 0);
  ASSERT_GE(network.AddNode("node9"), 0);  // key and CA-signed certificate, never admitted
  std::string tls = network.dir() + "/net/tls/";
  // A peer-endpoint client of node 1 that presents node `name`'s certificate.
  auto peer_client_as = [&](const std::string& name) {
    TlsIdentity identity{testing::ReadFile(tls + "ca.crt"), testing::ReadFile(tls + name + ".crt"),
                         testing::ReadFile(tls + name + ".key")};
    return v1::PeerLedgerService::NewStub(
        grpc::CreateCustomChannel(network.peer_address(0), MutualTlsChannelCredentials(identity),
                                  MutualTlsChannelArguments(network.name(0))));
  };
  auto forward_as = [&](const std::string& name) {
    auto peer = peer_client_as(name);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::ForwardRequest request;
    request.set_transaction("not a transaction");
    v1::SubmitTransactionResponse response;
    return peer->Forward(&context, request, &response);
  };
  grpc::Status stranger = forward_as("node9");
  EXPECT_EQ(stranger.error_code(), grpc::StatusCode::PERMISSION_DENIED) << stranger.error_message();
  EXPECT_TRUE(forward_as("node1").ok()) << "a recorded node's certificate is accepted";

  // A batch over the limit is refused whole, naming the limit, even from a recorded node; one at
  // the limit is taken (each of its transactions answered, here refused as undecodable).
  auto forward_batch_of = [&](size_t count, v1::ForwardBatchResponse* response) {
    auto peer = peer_client_as("node1");
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::ForwardBatchRequest request;
    for (size_t i = 0; i < count; ++i)
      request.add_transactions("not a transaction");
    return peer->ForwardBatch(&context, request, response);
  };
  v1::ForwardBatchResponse over_response;
  grpc::Status over = forward_batch_of(limits::kForwardBatchTxsMax + 1, &over_response);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << over.error_message();
  EXPECT_NE(over.error_message().find(std::to_string(limits::kForwardBatchTxsMax)),
            std::string::npos)
      << over.error_message();
  v1::ForwardBatchResponse at_limit;
  grpc::Status taken = forward_batch_of(limits::kForwardBatchTxsMax, &at_limit);
  ASSERT_TRUE(taken.ok()) << taken.error_message();
  ASSERT_EQ(static_cast<size_t>(at_limit.responses_size()), limits::kForwardBatchTxsMax);
  EXPECT_EQ(at_limit.responses(0).status(), v1::TX_STATUS_REJECTED);
  EXPECT_EQ(at_limit.responses(0).result().code(), v1::TX_MALFORMED);
}

}  // namespace
}  // namespace tl
