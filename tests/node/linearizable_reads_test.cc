// LinearizableReads: a read is served only once Raft confirmed an index for it and the node has
// applied up to that index; a refusal, the deadline and the stop end it with their own status.
#include "trialledger/node/linearizable_reads.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace tl::node {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Runs the Raft thread's side by hand: collects what the reads ask Raft.
class RaftSide {
 public:
  LinearizableReads reads{7, [] {}};

  // Waits until a read has asked; returns its context.
  std::string NextRequest() {
    for (int i = 0; i < 2000; ++i) {
      std::string asked;
      reads.SendRequests([&](std::string context) {
        asked = std::move(context);
        return answer_;
      });
      if (!asked.empty()) return asked;
      std::this_thread::sleep_for(milliseconds(1));
    }
    ADD_FAILURE() << "no read asked Raft";
    return "";
  }
  void Answer(absl::Status status) { answer_ = std::move(status); }

 private:
  absl::Status answer_ = absl::OkStatus();
};

std::future<absl::Status> ReadAsync(LinearizableReads& reads, milliseconds timeout) {
  return std::async(std::launch::async,
                    [&reads, timeout] { return reads.Await(steady_clock::now() + timeout); });
}

TEST(LinearizableReads, AReadWaitsUntilTheConfirmedIndexIsApplied) {
  RaftSide raft;
  raft.reads.OnApplied(4);
  std::future<absl::Status> read = ReadAsync(raft.reads, milliseconds(5000));
  const std::string context = raft.NextRequest();
  raft.reads.OnReadStates({raft::ReadState{.index = 6, .request_context = context}});
  raft.reads.OnApplied(5);
  EXPECT_EQ(read.wait_for(milliseconds(50)), std::future_status::timeout) << "served at 5 of 6";
  raft.reads.OnApplied(6);
  EXPECT_TRUE(read.get().ok());
}

TEST(LinearizableReads, AnIndexAlreadyAppliedServesAtOnce) {
  RaftSide raft;
  raft.reads.OnApplied(9);
  std::future<absl::Status> read = ReadAsync(raft.reads, milliseconds(5000));
  const std::string context = raft.NextRequest();
  raft.reads.OnReadStates({raft::ReadState{.index = 8, .request_context = context}});
  EXPECT_TRUE(read.get().ok());
}

TEST(LinearizableReads, AnAnswerForAnotherReadServesNothing) {
  RaftSide raft;
  raft.reads.OnApplied(9);
  std::future<absl::Status> read = ReadAsync(raft.reads, milliseconds(300));
  const std::string context = raft.NextRequest();
  raft.reads.OnReadStates({raft::ReadState{.index = 1, .request_context = context + "x"}});
  EXPECT_TRUE(absl::IsDeadlineExceeded(read.get()));
}

TEST(LinearizableReads, WithoutAQuorumTheReadEndsAtItsDeadlineAndIsAskedAgainMeanwhile) {
  RaftSide raft;
  std::future<absl::Status> read = ReadAsync(raft.reads, milliseconds(1000));
  const std::string first = raft.NextRequest();
  // Raft dropped it (no leader, a lost message): the read asks again after kResendAfter.
  EXPECT_EQ(raft.NextRequest(), first);
  absl::Status status = read.get();
  EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
  EXPECT_NE(status.message().find("no quorum"), std::string::npos) << status;
}

TEST(LinearizableReads, ARefusalOtherThanUnavailableEndsTheRead) {
  RaftSide raft;
  raft.Answer(absl::InvalidArgumentError("bad context"));
  std::future<absl::Status> read = ReadAsync(raft.reads, milliseconds(5000));
  raft.NextRequest();
  EXPECT_TRUE(absl::IsInvalidArgument(read.get()));
}

TEST(LinearizableReads, StopEndsWaitingReadsAndRefusesNewOnes) {
  RaftSide raft;
  std::future<absl::Status> read = ReadAsync(raft.reads, milliseconds(5000));
  raft.NextRequest();
  raft.reads.Stop();
  EXPECT_TRUE(absl::IsUnavailable(read.get()));
  EXPECT_TRUE(absl::IsUnavailable(raft.reads.Await(steady_clock::now() + milliseconds(100))));
}

TEST(LinearizableReads, ContextsAreUniqueAcrossInstancesOfOneNode) {
  RaftSide one, other;
  std::future<absl::Status> a = ReadAsync(one.reads, milliseconds(200));
  std::future<absl::Status> b = ReadAsync(other.reads, milliseconds(200));
  EXPECT_NE(one.NextRequest(), other.NextRequest()) << "a restarted node must not reuse contexts";
  EXPECT_TRUE(absl::IsDeadlineExceeded(a.get()));
  EXPECT_TRUE(absl::IsDeadlineExceeded(b.get()));
}

}  // namespace
}  // namespace tl::node
