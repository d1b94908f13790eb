#include "trialledger/consensus/wire.h"

#include <gtest/gtest.h>

namespace tl::raft {
namespace {

Message Make(MessageType type, uint64_t from, uint64_t to) {
  Message message;
  message.type = type;
  message.from = from;
  message.to = to;
  return message;
}

Message Roundtrip(const Message& message) {
  std::string bytes = ToWire(message).SerializeAsString();
  trialledger::v1::RaftMessage parsed;
  EXPECT_TRUE(parsed.ParseFromString(bytes));
  absl::StatusOr<Message> back = FromWire(parsed);
  EXPECT_TRUE(back.ok()) << back.status();
  return back.ok() ? *back : Message();
}

TEST(RaftWire, AppendRoundTripsExactly) {
  Message append{MessageType::kAppend, 1, 2, 7, 6, 41, {}, 40, false, 0, "ctx", {}};
  append.entries.push_back(Entry{7, 42, EntryType::kNormal, std::string("block\0bytes", 11)});
  append.entries.push_back(Entry{7, 43, EntryType::kConfChange, "cc"});
  append.entries.push_back(Entry{7, 44, EntryType::kEmpty, ""});
  EXPECT_EQ(Roundtrip(append), append);
  Message response{MessageType::kAppendResponse, 2, 1, 7, 0, 41, {}, 0, true, 39, "", {}};
  EXPECT_EQ(Roundtrip(response), response);
}

TEST(RaftWire, SnapshotChunkRoundTripsExactly) {
  Message chunk;
  chunk.type = MessageType::kSnapshotChunk;
  chunk.from = 1;
  chunk.to = 3;
  chunk.term = 9;
  chunk.snapshot = SnapshotChunk{SnapshotMeta{100, 8, ConfState{{1, 2, 3}, {4}}},
                                 10,
                                 30,
                                 "0123456789",
                                 0xdeadbeef,
                                 0x12345678};
  EXPECT_EQ(Roundtrip(chunk), chunk);
}

TEST(RaftWire, RejectsWhatTheCoreCannotTrust) {
  trialledger::v1::RaftMessage wire = ToWire(Make(MessageType::kVote, 1, 2));
  wire.set_type(99);
  EXPECT_FALSE(FromWire(wire).ok());
  wire = ToWire(Make(MessageType::kVote, 1, 2));
  wire.set_from(0);
  EXPECT_FALSE(FromWire(wire).ok());
  Message append = Make(MessageType::kAppend, 1, 2);
  append.entries.push_back(Entry{1, 1, EntryType::kNormal, "x"});
  wire = ToWire(append);
  wire.mutable_entries(0)->set_type(7);
  EXPECT_FALSE(FromWire(wire).ok());
  Message chunk = Make(MessageType::kSnapshotChunk, 1, 2);
  chunk.snapshot.total_size_bytes = 5;
  chunk.snapshot.offset_bytes = 3;
  chunk.snapshot.data = "abc";  // 3 + 3 > 5
  EXPECT_FALSE(FromWire(ToWire(chunk)).ok());
}

}  // namespace
}  // namespace tl::raft
