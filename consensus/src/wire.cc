#include "trialledger/consensus/wire.h"

#include <string>

namespace tl::raft {
namespace {

namespace v1 = ::trialledger::v1;

constexpr uint32_t kLastEntryType = static_cast<uint32_t>(EntryType::kEmpty);
constexpr uint32_t kLastMessageType = static_cast<uint32_t>(MessageType::kReadIndexResponse);

void ToWire(const ConfState& conf, v1::RaftConfState* wire) {
  for (uint64_t id : conf.voters)
    wire->add_voters(id);
  for (uint64_t id : conf.learners)
    wire->add_learners(id);
}

ConfState FromWire(const v1::RaftConfState& wire) {
  return ConfState{{wire.voters().begin(), wire.voters().end()},
                   {wire.learners().begin(), wire.learners().end()}};
}

}  // namespace

v1::RaftMessage ToWire(const Message& message) {
  v1::RaftMessage wire;
  wire.set_type(static_cast<uint32_t>(message.type));
  wire.set_from(message.from);
  wire.set_to(message.to);
  wire.set_term(message.term);
  wire.set_log_term(message.log_term);
  wire.set_index(message.index);
  for (const Entry& entry : message.entries) {
    v1::RaftEntry* out = wire.add_entries();
    out->set_term(entry.term);
    out->set_index(entry.index);
    out->set_type(static_cast<uint32_t>(entry.type));
    out->set_data(entry.data);
  }
  wire.set_commit(message.commit);
  wire.set_reject(message.reject);
  wire.set_reject_hint(message.reject_hint);
  wire.set_context(message.context);
  if (message.type == MessageType::kSnapshotChunk) {
    const SnapshotChunk& chunk = message.snapshot;
    v1::RaftSnapshotChunk* out = wire.mutable_snapshot();
    out->set_meta_index(chunk.meta.index);
    out->set_meta_term(chunk.meta.term);
    ToWire(chunk.meta.conf_state, out->mutable_conf_state());
    out->set_offset_bytes(chunk.offset_bytes);
    out->set_total_size_bytes(chunk.total_size_bytes);
    out->set_data(chunk.data);
    out->set_chunk_crc32c(chunk.chunk_crc32c);
    out->set_snapshot_crc32c(chunk.snapshot_crc32c);
  }
  return wire;
}

absl::StatusOr<Message> FromWire(const v1::RaftMessage& wire) {
  if (wire.type() > kLastMessageType) {
    return absl::InvalidArgumentError("raft message: unknown type " + std::to_string(wire.type()));
  }
  if (wire.from() == kNoNode || wire.to() == kNoNode) {
    return absl::InvalidArgumentError("raft message: sender and receiver must be set");
  }
  Message message;
  message.type = static_cast<MessageType>(wire.type());
  message.from = wire.from();
  message.to = wire.to();
  message.term = wire.term();
  message.log_term = wire.log_term();
  message.index = wire.index();
  message.entries.reserve(wire.entries_size());
  for (const v1::RaftEntry& entry : wire.entries()) {
    if (entry.type() > kLastEntryType) {
      return absl::InvalidArgumentError("raft message: entry " + std::to_string(entry.index()) +
                                        " has unknown type " + std::to_string(entry.type()));
    }
    message.entries.push_back(
        Entry{entry.term(), entry.index(), static_cast<EntryType>(entry.type()), entry.data()});
  }
  message.commit = wire.commit();
  message.reject = wire.reject();
  message.reject_hint = wire.reject_hint();
  message.context = wire.context();
  if (message.type == MessageType::kSnapshotChunk) {
    const v1::RaftSnapshotChunk& chunk = wire.snapshot();
    if (chunk.offset_bytes() > chunk.total_size_bytes() ||
        chunk.data().size() > chunk.total_size_bytes() - chunk.offset_bytes()) {
      return absl::InvalidArgumentError("raft message: snapshot chunk lies outside its snapshot");
    }
    message.snapshot = SnapshotChunk{
        SnapshotMeta{chunk.meta_index(), chunk.meta_term(), FromWire(chunk.conf_state())},
        chunk.offset_bytes(),
        chunk.total_size_bytes(),
        chunk.data(),
        chunk.chunk_crc32c(),
        chunk.snapshot_crc32c()};
  }
  return message;
}

}  // namespace tl::raft
