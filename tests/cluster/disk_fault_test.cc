// Real nodes whose disks fail while they run. A follower of three on a disk that fails when the
// test says (an fsync error, a full disk, a torn write; faulty_node_main.cc), and one whose data
// dir is a small tmpfs that really fills up: each stops with exit code 70 and a log line naming
// the file and the error, gives no client an acknowledgement for what it could not sync, and
// once the fault is gone restarts, catches up and verifies.
#include <sys/mount.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>

#include "local_network.h"
#include "trialledger/node/node.h"

namespace tl {
namespace {

using testing::BinDir;
using testing::CommandResult;
using testing::LocalNetwork;

constexpr int kFaulty = 0;  // node1 is the one whose disk fails

class DiskFaultTest : public ::testing::Test {
 protected:
  // node2 and node3 run and commit `notes` notes; returns the leader among them.
  int StartTheOthers(int notes) {
    network_.Start(1);
    network_.Start(2);
    const int leader = network_.AwaitLeader(/*except=*/kFaulty);
    EXPECT_GE(leader, 1);
    CommandResult written = network_.WriteNotes(leader, "acme-bio-finance", notes);
    EXPECT_EQ(written.exit_code, 0) << written.err;
    return leader;
  }

  // node1 stops on its own with the storage fault code, naming `file_pattern` and `error`.
  void ExpectStoppedOnTheFault(const std::string& error) {
    EXPECT_EQ(network_.AwaitExit(kFaulty, 30), node::kStorageFaultExitCode)
        << network_.log(kFaulty);
    const std::string log = network_.log(kFaulty);
    EXPECT_TRUE(std::regex_search(log, std::regex("msg=\"fatal: stopping\" exit_code=70 .*data/"
                                                  "[0-9A-Z_]+(\\.log|\\.ldb)?.*")))
        << log;
    EXPECT_NE(log.find(error), std::string::npos) << log;
  }

  // A note sent through node1 while its disk fails is not acknowledged: node1 stops before it
  // has synced the block that carries it.
  void ExpectNoteThroughTheFaultyNodeNotAcknowledged() {
    CommandResult through = network_.Cli(
        kFaulty, {"--key", network_.member_key_path("northwind-cro-edc"), "tx", "note", "lost?"});
    EXPECT_NE(through.exit_code, 0) << through.out;
  }

  // After the fault: node1 on a good disk catches up with the others, and all verify.
  void ExpectRestartAndCatchUp(int leader) {
    CommandResult more = network_.WriteNotes(leader, "northwind-cro-finance", 3);
    ASSERT_EQ(more.exit_code, 0) << more.err;
    network_.Start(kFaulty);
    ASSERT_TRUE(network_.AwaitSameHead({0, 1, 2}, 60)) << network_.log(kFaulty);
    for (int i = 0; i < network_.size(); ++i)
      ASSERT_EQ(network_.Stop(i), 0) << network_.log(i);
    for (int i = 0; i < network_.size(); ++i) {
      CommandResult verify = network_.Verify(i);
      EXPECT_EQ(verify.exit_code, 0) << network_.name(i) << ": " << verify.err << verify.out;
    }
  }

  void RunWithInjectedFault(const std::string& fault, const std::string& error) {
    const int leader = StartTheOthers(3);
    network_.Start(kFaulty, {},
                   {"/usr/bin/env", "TL_DISK_FAULT=" + fault, BinDir() + "/faulty_trialledgerd"});
    ASSERT_TRUE(network_.AwaitSameHead({0, 1, 2}));
    network_.Signal(kFaulty, SIGUSR1);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ExpectNoteThroughTheFaultyNodeNotAcknowledged();
    ExpectStoppedOnTheFault(error);
    ExpectRestartAndCatchUp(leader);
  }

  LocalNetwork network_{3};
};

TEST_F(DiskFaultTest, AFailedFsyncStopsTheNodeWhichThenCatchesUp) {
  RunWithInjectedFault("fsync", "injected fsync failure");
}

TEST_F(DiskFaultTest, NoSpaceStopsTheNodeWhichThenCatchesUp) {
  RunWithInjectedFault("enospc", "No space left on device");
}

TEST_F(DiskFaultTest, ATornWriteStopsTheNodeWhichThenCatchesUp) {
  RunWithInjectedFault("torn", "injected torn write");
}

// A real full disk: node1's data dir is a 4 MiB tmpfs, filled but for a little room.
TEST_F(DiskFaultTest, ARealFullDiskStopsTheNodeWhichThenCatchesUpOnceThereIsRoom) {
  const std::string data_dir = network_.data_dir(kFaulty);
  std::filesystem::create_directories(data_dir);
  if (::mount("tl-full-disk", data_dir.c_str(), "tmpfs", 0, "size=4m") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs on " << data_dir
                 << " (needs root): " << std::strerror(errno);
  }
  struct Unmount {
    std::string dir;
    ~Unmount() { ::umount2(dir.c_str(), MNT_DETACH); }
  } unmount{data_dir};
  const int leader = StartTheOthers(3);
  network_.Start(kFaulty);
  ASSERT_TRUE(network_.AwaitSameHead({0, 1, 2}));
  // Leave the node a few KiB: LevelDB's next log writes run out of room.
  const std::string filler = data_dir + "/filler";
  {
    std::ofstream fill(filler, std::ios::binary);
    std::string block(4096, 'x');
    while (fill.write(block.data(), block.size()) && fill.flush()) {
    }
  }
  std::filesystem::resize_file(filler, std::filesystem::file_size(filler) - 8 * 1024);
  CommandResult notes;
  for (int i = 0; i < 200 && network_.running(kFaulty); ++i)
    notes = network_.WriteNotes(leader, "acme-bio-finance", 1);
  ExpectStoppedOnTheFault("No space left on device");
  std::filesystem::remove(filler);
  ExpectRestartAndCatchUp(leader);
}

}  // namespace
}  // namespace tl
