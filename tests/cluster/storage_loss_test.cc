// Real trialledgerd processes whose disks lost or damaged what they had synced, as an operator
// finds them: a follower whose newest LevelDB log was cut in half, a data dir whose MANIFEST is
// gone, a data dir wiped. Each node must say what it lost, rejoin without voting until it holds
// again what it had acknowledged (its acknowledged mark), and end with the same verified chain.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "local_network.h"

namespace tl {
namespace {

using testing::CommandResult;
using testing::LocalNetwork;

// The data dir's files whose names end in `suffix`, newest (highest number) last.
std::vector<std::filesystem::path> FilesEndingIn(const std::string& dir,
                                                 const std::string& suffix) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Waits up to 20 s for `text` in node `index`'s log.
bool AwaitLogLine(const LocalNetwork& network, int index, const std::string& text) {
  for (int i = 0; i < 200; ++i) {
    if (network.log(index).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

class StorageLossTest : public ::testing::Test {
 protected:
  // Three nodes with `notes` notes committed; returns a follower, stopped.
  int StopAFollowerAfter(int notes) {
    network_.StartAll();
    const int leader = network_.AwaitLeader();
    EXPECT_GE(leader, 0);
    CommandResult written = network_.WriteNotes(leader, "acme-bio-finance", notes);
    EXPECT_EQ(written.exit_code, 0) << written.err;
    const int follower = (leader + 1) % network_.size();
    EXPECT_TRUE(network_.AwaitSameHead({0, 1, 2}));
    EXPECT_EQ(network_.Stop(follower), 0);
    return follower;
  }

  // The restarted node said what it lost, caught up on an idle cluster, voted again, and every
  // node then holds the same chain, which verifies.
  void ExpectRecovered(int node) {
    const std::string log = network_.log(node);
    EXPECT_NE(log.find("msg=\"storage lost acknowledged data\""), std::string::npos) << log;
    EXPECT_NE(log.find("but this node had applied up to height"), std::string::npos) << log;
    ASSERT_TRUE(network_.AwaitSameHead({0, 1, 2}, 30)) << network_.log(node);
    EXPECT_TRUE(AwaitLogLine(network_, node, "caught up after storage loss: voting again"))
        << network_.log(node);
    const int leader = network_.AwaitLeader();
    ASSERT_GE(leader, 0);
    CommandResult more = network_.WriteNotes(leader, "northwind-cro-edc", 2);
    ASSERT_EQ(more.exit_code, 0) << more.err;
    ASSERT_TRUE(network_.AwaitSameHead({0, 1, 2}));
    for (int i = 0; i < network_.size(); ++i)
      ASSERT_EQ(network_.Stop(i), 0) << network_.log(i);
    for (int i = 0; i < network_.size(); ++i) {
      CommandResult verify = network_.Verify(i);
      EXPECT_EQ(verify.exit_code, 0) << network_.name(i) << ": " << verify.err << verify.out;
    }
  }

  LocalNetwork network_{3};
};

TEST_F(StorageLossTest, AFollowerWhoseNewestLogWasCutInHalfSaysSoAndCatchesUp) {
  const int follower = StopAFollowerAfter(30);
  std::vector<std::filesystem::path> logs = FilesEndingIn(network_.data_dir(follower), ".log");
  ASSERT_FALSE(logs.empty());
  const uintmax_t size = std::filesystem::file_size(logs.back());
  ASSERT_GT(size, 4096u) << "the newest log should hold the notes' blocks";
  std::filesystem::resize_file(logs.back(), size / 2);
  network_.Start(follower);
  ExpectRecovered(follower);
}

TEST_F(StorageLossTest, AMissingManifestIsRefusedAndResyncFromPeersRebuildsTheNode) {
  const int follower = StopAFollowerAfter(10);
  const std::string data_dir = network_.data_dir(follower);
  for (const std::filesystem::path& manifest : FilesEndingIn(data_dir, "")) {
    if (manifest.filename().string().starts_with("MANIFEST-")) std::filesystem::remove(manifest);
  }
  CommandResult refused = testing::RunCommand(
      {testing::BinDir() + "/trialledgerd", "--config", network_.config_path(follower)});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("data dir " + data_dir + " is damaged"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("MANIFEST-"), std::string::npos) << "names the file: " << refused.err;
  EXPECT_NE(refused.err.find("--resync-from-peers"), std::string::npos) << refused.err;

  network_.Start(follower, {"--resync-from-peers"});
  EXPECT_NE(network_.log(follower).find("msg=\"resyncing from peers\""), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(data_dir + ".damaged")) << "kept for the investigation";
  ExpectRecovered(follower);
}

TEST_F(StorageLossTest, AWipedDataDirUnderAFoundingNodeRejoinsWithoutVotingUntilCaughtUp) {
  const int follower = StopAFollowerAfter(10);
  std::filesystem::remove_all(network_.data_dir(follower));
  network_.Start(follower);
  ExpectRecovered(follower);
}

}  // namespace
}  // namespace tl
