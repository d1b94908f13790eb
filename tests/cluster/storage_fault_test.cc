// A real node on a disk that fails: the store's Env seam (ledger::StoreOptions) lets the test put
// a FaultInjectionEnv under an in-process node. A failed fsync or a full disk must stop the node
// with the documented exit code and the reason, before it acknowledges anything.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "fault_env.h"
#include "local_network.h"
#include "trialledger/base/check.h"
#include "trialledger/node/config.h"
#include "trialledger/node/node.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/tx_builder.h"

namespace tl {
namespace {

using testing::FaultInjectionEnv;
using testing::LocalNetwork;

enum class Fault { kFsync, kFullDisk };

// Runs a one-node network in this process on a faulty disk, turns the fault on once the node
// leads, and submits a note. Returns only if the node did not stop.
void RunUntilTheDiskFails(const LocalNetwork& network, Fault fault) {
  FaultInjectionEnv disk(leveldb::Env::Default());
  absl::StatusOr<node::NodeConfig> config = node::ReadNodeConfig(network.config_path(0));
  TL_CHECK(config.ok());
  absl::StatusOr<std::unique_ptr<node::Node>> opened =
      node::Node::Open(*config, ledger::StoreOptions{&disk});
  TL_CHECK(opened.ok());
  node::Node& replica = **opened;
  replica.Start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!replica.raft_view().accepting && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  TL_CHECK(replica.raft_view().accepting);
  if (fault == Fault::kFsync) disk.FailSyncs(true);
  if (fault == Fault::kFullDisk) disk.FailWritesWithNoSpace(true);

  KeyFile member = network.member_key("northwind-cro-edc");
  v1::TxBody body;
  body.set_chain_id(replica.Status().chain_id());
  body.set_nonce(1);
  body.set_expiry_height(1000);
  body.mutable_note()->set_text("written to a failing disk");
  v1::Transaction tx = SignTxBody(std::move(body), member.keys);
  // The block that carries the note is appended to the synced Raft log: that write fails, and
  // the node must stop rather than acknowledge the note.
  std::promise<absl::StatusOr<v1::SubmitTransactionResponse>> answered;
  replica.SubmitAsync(Encode(tx), /*wait_for_commit=*/true,
                      std::chrono::steady_clock::now() + std::chrono::seconds(10),
                      [&](absl::StatusOr<v1::SubmitTransactionResponse> answer) {
                        answered.set_value(std::move(answer));
                      });
  absl::StatusOr<v1::SubmitTransactionResponse> answer = answered.get_future().get();
  std::fprintf(stderr, "the node went on: %s\n",
               answer.ok() ? v1::TxStatus_Name(answer->status()).c_str()
                           : std::string(answer.status().message()).c_str());
}

class StorageFaultTest : public ::testing::Test {
 protected:
  StorageFaultTest() : network_(1) {}
  LocalNetwork network_;
};

TEST_F(StorageFaultTest, AFailedFsyncStopsTheNodeWithExitCode70) {
  EXPECT_EXIT(RunUntilTheDiskFails(network_, Fault::kFsync),
              ::testing::ExitedWithCode(node::kStorageFaultExitCode),
              "fatal: .*injected fsync failure");
}

TEST_F(StorageFaultTest, AFullDiskStopsTheNodeWithExitCode70) {
  EXPECT_EXIT(RunUntilTheDiskFails(network_, Fault::kFullDisk),
              ::testing::ExitedWithCode(node::kStorageFaultExitCode),
              "fatal: .*No space left on device");
}

}  // namespace
}  // namespace tl
