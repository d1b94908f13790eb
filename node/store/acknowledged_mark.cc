#include "trialledger/ledger/acknowledged_mark.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "trialledger/base/check.h"
#include "trialledger/base/endian.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/file_util.h"

namespace tl::ledger {
namespace {

// Each copy fills one 512-byte sector: a torn write damages at most the copy being written.
constexpr size_t kCopyBytes = 512;
constexpr size_t kCopies = 2;
constexpr std::string_view kMagic = "TLACKMK1";
constexpr size_t kHashBytes = 32;

std::string Encode(uint64_t sequence, const AcknowledgedMark& mark) {
  TL_CHECK_MSG(mark.head_hash.size() == kHashBytes, "a head hash is 32 bytes");
  std::string body(kMagic);
  for (uint64_t field :
       {sequence, mark.term, mark.vote, mark.last_index, mark.last_term, mark.head_height}) {
    body += EncodeBigEndian64(field);
  }
  body += mark.head_hash;
  body += Blake2b256(body);
  body.resize(kCopyBytes, '\0');
  return body;
}

enum class CopyState { kEmpty, kValid, kDamaged };

struct Copy {
  CopyState state = CopyState::kEmpty;
  uint64_t sequence = 0;
  AcknowledgedMark mark;
};

Copy Decode(std::string_view bytes) {
  Copy copy;
  if (bytes.find_first_not_of('\0') == std::string_view::npos) return copy;
  constexpr size_t kFields = 6;
  const size_t body_size = kMagic.size() + kFields * 8 + kHashBytes;
  std::string_view body = bytes.substr(0, body_size);
  if (!bytes.starts_with(kMagic) || bytes.substr(body_size, kHashBytes) != Blake2b256(body)) {
    copy.state = CopyState::kDamaged;
    return copy;
  }
  auto field = [&](size_t i) { return DecodeBigEndian64(body.substr(kMagic.size() + i * 8, 8)); };
  copy.state = CopyState::kValid;
  copy.sequence = field(0);
  copy.mark.term = field(1);
  copy.mark.vote = field(2);
  copy.mark.last_index = field(3);
  copy.mark.last_term = field(4);
  copy.mark.head_height = field(5);
  copy.mark.head_hash = std::string(body.substr(kMagic.size() + kFields * 8, kHashBytes));
  return copy;
}

absl::Status ErrnoError(std::string_view what, const std::string& path) {
  return absl::InternalError(
      StrCat("acknowledged mark ", path, ": ", what, ": ", std::strerror(errno)));
}

}  // namespace

namespace {

// Raft's "at least as up-to-date" order on a log's last entry.
bool LogAtLeast(const AcknowledgedMark& a, const AcknowledgedMark& b) {
  return a.last_term > b.last_term || (a.last_term == b.last_term && a.last_index >= b.last_index);
}

}  // namespace

std::vector<std::string> WhatWasLost(const AcknowledgedMark& acknowledged,
                                     const AcknowledgedMark& stored) {
  std::vector<std::string> lost;
  if (!LogAtLeast(stored, acknowledged)) {
    lost.push_back(StrCat("the Raft log ends at index ", stored.last_index, " of term ",
                          stored.last_term, ", but this node had acknowledged up to index ",
                          acknowledged.last_index, " of term ", acknowledged.last_term));
  }
  if (stored.term < acknowledged.term) {
    lost.push_back(StrCat("the Raft hard state is at term ", stored.term,
                          ", but this node had reached term ", acknowledged.term));
  }
  if (stored.head_height < acknowledged.head_height) {
    lost.push_back(StrCat("the ledger head is at height ", stored.head_height,
                          ", but this node had applied up to height ", acknowledged.head_height));
  }
  return lost;
}

AcknowledgedMark Covering(const AcknowledgedMark& acknowledged, const AcknowledgedMark& now) {
  AcknowledgedMark mark = now;
  if (acknowledged.term > now.term) {
    mark.term = acknowledged.term;
    mark.vote = acknowledged.vote;
  }
  if (!LogAtLeast(now, acknowledged)) {
    mark.last_index = acknowledged.last_index;
    mark.last_term = acknowledged.last_term;
  }
  if (acknowledged.head_height > now.head_height) {
    mark.head_height = acknowledged.head_height;
    mark.head_hash = acknowledged.head_hash;
  }
  return mark;
}

std::string AcknowledgedMarkPath(const std::string& data_dir) {
  std::filesystem::path dir(data_dir);
  if (!dir.has_filename()) dir = dir.parent_path();  // "data/" names the same dir as "data"
  return dir.string() + ".acknowledged";
}

absl::StatusOr<std::string> SetDataDirAsideForResync(const std::string& data_dir) {
  const std::string mark = AcknowledgedMarkPath(data_dir);
  if (!std::filesystem::exists(mark)) {
    return absl::FailedPreconditionError(StrCat(
        "cannot resync ", data_dir, " from peers: there is no acknowledged mark ", mark,
        ", so this node cannot know what it had acknowledged and would be trusted to vote on a "
        "log it no longer has. Replace the node instead (docs/operations.md, \"Adding and "
        "removing nodes\")"));
  }
  std::filesystem::path dir(data_dir);
  if (!dir.has_filename()) dir = dir.parent_path();
  std::error_code error;
  if (!std::filesystem::exists(dir, error)) return std::string();
  std::string aside = dir.string() + ".damaged";
  for (int n = 2; std::filesystem::exists(aside, error); ++n)
    aside = StrCat(dir.string(), ".damaged.", n);
  std::filesystem::rename(dir, aside, error);
  if (error) {
    return absl::InternalError(
        StrCat("cannot move ", dir.string(), " aside to ", aside, ": ", error.message()));
  }
  absl::Status synced = SyncDirectoryOf(aside);
  if (!synced.ok()) return synced;
  return aside;
}

absl::StatusOr<std::unique_ptr<AcknowledgedMarkFile>> AcknowledgedMarkFile::Open(
    const std::string& path) {
  if (!std::filesystem::exists(path)) {
    absl::Status created = WriteNewFile(path, std::string(kCopyBytes * kCopies, '\0'), 0600);
    if (!created.ok()) return created;
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open", path);
  std::string bytes(kCopyBytes * kCopies, '\0');
  ssize_t read = ::pread(fd, bytes.data(), bytes.size(), 0);
  if (read != static_cast<ssize_t>(bytes.size())) {
    ::close(fd);
    if (read < 0) return ErrnoError("cannot read", path);
    return absl::DataLossError(StrCat("acknowledged mark ", path, " is damaged: ", read,
                                      " bytes, expected ", bytes.size()));
  }
  Copy newest;
  size_t damaged = 0;
  for (size_t i = 0; i < kCopies; ++i) {
    Copy copy = Decode(std::string_view(bytes).substr(i * kCopyBytes, kCopyBytes));
    if (copy.state == CopyState::kDamaged) ++damaged;
    if (copy.state == CopyState::kValid &&
        (newest.state != CopyState::kValid || copy.sequence > newest.sequence)) {
      newest = copy;
    }
  }
  if (newest.state != CopyState::kValid && damaged > 0) {
    ::close(fd);
    return absl::DataLossError(
        StrCat("acknowledged mark ", path,
               " is damaged: no copy passes its checksum, so this node cannot know what it had "
               "acknowledged (docs/operations.md, \"A damaged store\")"));
  }
  std::optional<AcknowledgedMark> at_open;
  if (newest.state == CopyState::kValid) at_open = newest.mark;
  return std::unique_ptr<AcknowledgedMarkFile>(
      new AcknowledgedMarkFile(path, fd, newest.sequence, std::move(at_open)));
}

AcknowledgedMarkFile::AcknowledgedMarkFile(std::string path, int fd, uint64_t sequence,
                                           std::optional<AcknowledgedMark> at_open)
    : path_(std::move(path)), fd_(fd), sequence_(sequence), at_open_(at_open), newest_(at_open) {}

AcknowledgedMarkFile::~AcknowledgedMarkFile() {
  ::close(fd_);
}

absl::Status AcknowledgedMarkFile::Write(const AcknowledgedMark& mark) {
  if (newest_ == mark) return absl::OkStatus();
  const uint64_t sequence = sequence_ + 1;
  const std::string bytes = Encode(sequence, mark);
  const off_t offset = static_cast<off_t>((sequence % kCopies) * kCopyBytes);
  if (::pwrite(fd_, bytes.data(), bytes.size(), offset) != static_cast<ssize_t>(bytes.size())) {
    return ErrnoError("cannot write", path_);
  }
  if (::fdatasync(fd_) != 0) return ErrnoError("cannot sync", path_);
  sequence_ = sequence;
  newest_ = mark;
  return absl::OkStatus();
}

}  // namespace tl::ledger
