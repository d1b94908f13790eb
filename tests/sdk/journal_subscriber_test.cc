// The subscriber's parts that need no network (journal_subscriber.h, retry.h,
// network_client.h): the checkpoint file, the callback sink's order of callback and save, which
// errors are tried again, the backoff's budget, the address list.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "test_ledger.h"
#include "trialledger/sdk/journal_subscriber.h"
#include "trialledger/sdk/network_client.h"
#include "trialledger/sdk/retry.h"

namespace tl {
namespace {

v1::JournalStreamItem Item(const std::string& cursor) {
  v1::JournalStreamItem item;
  item.set_cursor(cursor);
  item.mutable_entry()->set_idempotency_key("key-" + cursor);
  return item;
}

TEST(FileCheckpointTest, MissingIsTheStartAndASaveReplacesTheCursorWhole) {
  testing::TempDir dir;
  FileCheckpoint checkpoint(dir.Sub("book.cursor"));
  EXPECT_EQ(*checkpoint.Load(), "");
  ASSERT_TRUE(checkpoint.Save("CURSOR-1").ok());
  EXPECT_EQ(*checkpoint.Load(), "CURSOR-1");
  // A crash mid-save leaves a `.next` beside the file: the old cursor still stands, and the
  // next save does not trip over the leftover.
  std::ofstream(dir.Sub("book.cursor.next")) << "CURS";
  EXPECT_EQ(*checkpoint.Load(), "CURSOR-1");
  ASSERT_TRUE(checkpoint.Save("CURSOR-2").ok());
  EXPECT_EQ(*checkpoint.Load(), "CURSOR-2");
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("book.cursor.next")));
}

TEST(FileCheckpointTest, AFolderThatIsNotThereIsAnErrorNamingThePath) {
  FileCheckpoint checkpoint("/nonexistent-folder/book.cursor");
  absl::Status saved = checkpoint.Save("C");
  EXPECT_FALSE(saved.ok());
  EXPECT_NE(saved.message().find("/nonexistent-folder/book.cursor"), std::string::npos) << saved;
}

TEST(CallbackSinkTest, TheCheckpointMovesOnlyPastEntriesTheCallbackTook) {
  testing::TempDir dir;
  FileCheckpoint checkpoint(dir.Sub("c"));
  std::vector<std::string> handed;
  bool refuse_b = true;
  CallbackSink sink(checkpoint, [&](const v1::JournalStreamItem& item) {
    if (item.cursor() == "b" && refuse_b) return absl::UnavailableError("ERP is down");
    handed.push_back(item.entry().idempotency_key());
    return absl::OkStatus();
  });
  const std::vector<v1::JournalStreamItem> batch = {Item("a"), Item("b"), Item("c")};
  absl::Status first = sink.Deliver(batch);
  EXPECT_TRUE(absl::IsUnavailable(first)) << first;
  EXPECT_EQ(*sink.LoadCursor(), "a");  // after a, before b: b is handed over again
  refuse_b = false;
  const std::vector<v1::JournalStreamItem> again = {Item("b"), Item("c")};
  ASSERT_TRUE(sink.Deliver(again).ok());
  EXPECT_EQ(*sink.LoadCursor(), "c");
  EXPECT_EQ(handed, (std::vector<std::string>{"key-a", "key-b", "key-c"}));
}

TEST(RetryTest, OnlyFailuresAnotherTryCanCureAreTriedAgain) {
  EXPECT_TRUE(IsRetryable(absl::UnavailableError("node down")));
  EXPECT_TRUE(IsRetryable(absl::DeadlineExceededError("slow")));
  EXPECT_TRUE(IsRetryable(absl::OutOfRangeError("node behind the cursor")));
  EXPECT_TRUE(IsRetryable(absl::AbortedError("serialisation failure")));
  EXPECT_FALSE(IsRetryable(absl::PermissionDeniedError("may not read book")));
  EXPECT_FALSE(IsRetryable(absl::InvalidArgumentError("not a journal cursor")));
  EXPECT_FALSE(IsRetryable(absl::UnauthenticatedError("key revoked")));
  EXPECT_FALSE(IsRetryable(absl::FailedPreconditionError("table refused the row")));
}

TEST(RetryTest, TheBackoffGivesUpOnceItsBudgetIsSpentAndAResetRenewsIt) {
  Backoff backoff(
      RetryPolicy{.initial_backoff_ms = 10, .max_backoff_ms = 20, .give_up_after_ms = 45});
  const auto start = std::chrono::steady_clock::now();
  int waits = 0;
  while (backoff.Wait())
    ++waits;
  // 10 + 20 fit in 45 ms and a third wait (20 more) never does; a slow machine's oversleeping
  // may leave room for only one.
  EXPECT_GE(waits, 1);
  EXPECT_LE(waits, 2);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(10));
  backoff.Reset();
  EXPECT_TRUE(backoff.Wait());
}

TEST(NetworkClientTest, AnAddressListIsSplitOnCommasAndMustNameANode) {
  EXPECT_EQ(SplitAddresses("a:1,,b:2,"), (std::vector<std::string>{"a:1", "b:2"}));
  EXPECT_TRUE(SplitAddresses("").empty());
  absl::StatusOr<std::unique_ptr<NetworkClient>> none = NetworkClient::Connect({}, {});
  EXPECT_TRUE(absl::IsInvalidArgument(none.status()));
}

}  // namespace
}  // namespace tl
