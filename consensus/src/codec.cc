#include "trialledger/consensus/codec.h"

#include <array>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "trialledger/base/endian.h"
#include "trialledger/consensus/limits.h"

namespace tl::raft {
namespace {

std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    table[i] = crc;
  }
  return table;
}

class Writer {
 public:
  void U8(uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void U32(uint32_t value) { AppendLittleEndian(value, &out_); }
  void U64(uint64_t value) { AppendLittleEndian(value, &out_); }
  void Bytes(std::string_view value) {
    U64(value.size());
    out_.append(value);
  }
  void Ids(const std::vector<uint64_t>& ids) {
    U64(ids.size());
    for (uint64_t id : ids)
      U64(id);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads fail soft: once out of bytes every read returns zero and ok() turns false.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint8_t U8() {
    if (in_.empty()) return Fail();
    const uint8_t value = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return value;
  }
  uint32_t U32() { return Fixed<uint32_t>(); }
  uint64_t U64() { return Fixed<uint64_t>(); }
  std::string Bytes() {
    const uint64_t size = U64();
    if (size > in_.size()) return Fail(), std::string();
    std::string value(in_.substr(0, size));
    in_.remove_prefix(size);
    return value;
  }
  std::vector<uint64_t> Ids() {
    const uint64_t count = U64();
    if (count > limits::kCodecIdsMax || count * 8 > in_.size())
      return Fail(), std::vector<uint64_t>();
    std::vector<uint64_t> ids(count);
    for (uint64_t& id : ids)
      id = U64();
    return ids;
  }
  absl::Status Finish(std::string_view what) const {
    if (!ok_ || !in_.empty()) {
      return absl::DataLossError(absl::StrCat("malformed ", std::string(what), " encoding"));
    }
    return absl::OkStatus();
  }

 private:
  template <typename T>
  T Fixed() {
    if (in_.size() < sizeof(T)) return Fail();
    const T value = DecodeLittleEndian<T>(in_);
    in_.remove_prefix(sizeof(T));
    return value;
  }
  uint8_t Fail() {
    ok_ = false;
    in_ = {};
    return 0;
  }
  std::string_view in_;
  bool ok_ = true;
};

void WriteConfState(Writer& writer, const ConfState& conf_state) {
  writer.Ids(conf_state.voters);
  writer.Ids(conf_state.learners);
}

ConfState ReadConfState(Reader& reader) {
  ConfState conf_state;
  conf_state.voters = reader.Ids();
  conf_state.learners = reader.Ids();
  return conf_state;
}

}  // namespace

uint32_t Crc32c(std::string_view data, uint32_t seed) {
  static const std::array<uint32_t, 256> kTable = MakeCrcTable();
  uint32_t crc = ~seed;
  for (char c : data)
    crc = kTable[(crc ^ static_cast<uint8_t>(c)) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::string EncodeEntry(const Entry& entry) {
  Writer writer;
  writer.U64(entry.term);
  writer.U64(entry.index);
  writer.U8(static_cast<uint8_t>(entry.type));
  writer.Bytes(entry.data);
  return writer.Take();
}

absl::StatusOr<Entry> DecodeEntry(std::string_view bytes) {
  Reader reader(bytes);
  Entry entry;
  entry.term = reader.U64();
  entry.index = reader.U64();
  const uint8_t type = reader.U8();
  entry.data = reader.Bytes();
  if (absl::Status status = reader.Finish("entry"); !status.ok()) return status;
  if (type > static_cast<uint8_t>(EntryType::kEmpty)) {
    return absl::DataLossError(absl::StrCat("entry ", entry.index, " has unknown type ", type));
  }
  entry.type = static_cast<EntryType>(type);
  return entry;
}

std::string EncodeHardState(const HardState& hard_state) {
  Writer writer;
  writer.U64(hard_state.term);
  writer.U64(hard_state.vote);
  writer.U64(hard_state.commit);
  return writer.Take();
}

absl::StatusOr<HardState> DecodeHardState(std::string_view bytes) {
  Reader reader(bytes);
  HardState hard_state;
  hard_state.term = reader.U64();
  hard_state.vote = reader.U64();
  hard_state.commit = reader.U64();
  if (absl::Status status = reader.Finish("hard state"); !status.ok()) return status;
  return hard_state;
}

std::string EncodeConfChange(const ConfChange& change) {
  Writer writer;
  writer.U8(static_cast<uint8_t>(change.type));
  writer.U64(change.node_id);
  writer.Bytes(change.context);
  return writer.Take();
}

absl::StatusOr<ConfChange> DecodeConfChange(std::string_view bytes) {
  Reader reader(bytes);
  ConfChange change;
  const uint8_t type = reader.U8();
  change.node_id = reader.U64();
  change.context = reader.Bytes();
  if (absl::Status status = reader.Finish("conf change"); !status.ok()) return status;
  if (type > static_cast<uint8_t>(ConfChangeType::kRemoveNode) || change.node_id == kNoNode) {
    return absl::DataLossError("conf change has an unknown type or no node id");
  }
  change.type = static_cast<ConfChangeType>(type);
  return change;
}

std::string EncodeSnapshot(const Snapshot& snapshot) {
  Writer writer;
  writer.U64(snapshot.meta.index);
  writer.U64(snapshot.meta.term);
  WriteConfState(writer, snapshot.meta.conf_state);
  writer.Bytes(snapshot.data);
  return writer.Take();
}

absl::StatusOr<Snapshot> DecodeSnapshot(std::string_view bytes) {
  Reader reader(bytes);
  Snapshot snapshot;
  snapshot.meta.index = reader.U64();
  snapshot.meta.term = reader.U64();
  snapshot.meta.conf_state = ReadConfState(reader);
  snapshot.data = reader.Bytes();
  if (absl::Status status = reader.Finish("snapshot"); !status.ok()) return status;
  return snapshot;
}

std::string EncodeRecord(std::string_view payload) {
  Writer writer;
  writer.U32(static_cast<uint32_t>(payload.size()));
  writer.U32(Crc32c(payload));
  std::string record = writer.Take();
  record.append(payload);
  return record;
}

absl::StatusOr<std::string> DecodeRecord(std::string_view record) {
  if (record.size() < 8) return absl::DataLossError("record shorter than its 8-byte header");
  Reader header(record.substr(0, 8));
  const uint32_t size = header.U32();
  const uint32_t crc = header.U32();
  std::string_view payload = record.substr(8);
  if (payload.size() != size) {
    return absl::DataLossError(
        absl::StrCat("record torn: header says ", size, " bytes, found ", payload.size()));
  }
  if (Crc32c(payload) != crc) return absl::DataLossError("record checksum mismatch");
  return std::string(payload);
}

}  // namespace tl::raft
