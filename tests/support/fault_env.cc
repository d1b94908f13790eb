#include "fault_env.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "leveldb/slice.h"
#include "leveldb/status.h"

namespace tl::testing {

using leveldb::Status;

// Passes writes straight to the base env's file, keeping the env's counts for it up to date.
class FaultInjectionEnv::TrackedFile final : public leveldb::WritableFile {
 public:
  TrackedFile(FaultInjectionEnv* env, std::string fname,
              std::unique_ptr<leveldb::WritableFile> base, std::shared_ptr<FileState> state)
      : env_(env), fname_(std::move(fname)), base_(std::move(base)), state_(std::move(state)) {}

  Status Append(const leveldb::Slice& data) override {
    if (env_->tear_next_write_.exchange(false)) {
      (void)base_->Append(leveldb::Slice(data.data(), data.size() / 2));
      (void)base_->Flush();
      env_->torn_ = true;
      return Status::IOError("injected torn write", fname_);
    }
    if (env_->torn_) return Status::IOError("injected torn write (an earlier one)", fname_);
    Status status = env_->SpendAppendBudget(fname_, data.size());
    if (status.ok()) status = base_->Append(data);
    if (!status.ok()) return status;
    env_->bytes_appended_ += data.size();
    std::lock_guard guard(env_->mutex_);
    state_->appended += data.size();
    return status;
  }

  Status Close() override { return base_->Close(); }
  Status Flush() override { return base_->Flush(); }

  Status Sync() override {
    ++env_->syncs_seen_;
    if (env_->fail_syncs_) return Status::IOError("injected fsync failure", fname_);
    const Status status = base_->Sync();
    if (!status.ok()) return status;
    std::lock_guard guard(env_->mutex_);
    state_->synced = state_->appended;
    return status;
  }

 private:
  FaultInjectionEnv* const env_;
  const std::string fname_;
  const std::unique_ptr<leveldb::WritableFile> base_;
  const std::shared_ptr<FileState> state_;
};

FaultInjectionEnv::FaultInjectionEnv(leveldb::Env* base) : leveldb::EnvWrapper(base) {}

void FaultInjectionEnv::FailSyncs(bool fail) {
  fail_syncs_ = fail;
}

void FaultInjectionEnv::FailWritesWithNoSpace(bool fail) {
  std::lock_guard guard(mutex_);
  append_budget_ = fail ? std::optional<uint64_t>(0) : std::nullopt;
}

void FaultInjectionEnv::FailWritesAfterBytes(uint64_t bytes) {
  std::lock_guard guard(mutex_);
  append_budget_ = bytes;
}

void FaultInjectionEnv::TearNextWrite() {
  tear_next_write_ = true;
}

uint64_t FaultInjectionEnv::syncs_seen() const {
  return syncs_seen_;
}

uint64_t FaultInjectionEnv::bytes_appended() const {
  return bytes_appended_;
}

Status FaultInjectionEnv::SpendAppendBudget(const std::string& fname, uint64_t bytes) {
  std::lock_guard guard(mutex_);
  if (!append_budget_) return Status::OK();
  if (bytes > *append_budget_) {
    append_budget_ = 0;
    return Status::IOError(fname, std::strerror(ENOSPC));
  }
  *append_budget_ -= bytes;
  return Status::OK();
}

Status FaultInjectionEnv::TearUnsyncedTails(uint64_t keep_bytes) {
  std::lock_guard guard(mutex_);
  for (const auto& [fname, state] : files_) {
    const uint64_t kept = state->synced + std::min(keep_bytes, state->appended - state->synced);
    if (kept == state->appended) continue;
    // Rewrite through the base env instead of truncate(2), so any base env works.
    std::string contents;
    Status status = leveldb::ReadFileToString(target(), fname, &contents);
    if (!status.ok()) return status;
    contents.resize(std::min<uint64_t>(contents.size(), kept));
    status = leveldb::WriteStringToFile(target(), contents, fname);
    if (!status.ok()) return status;
    state->appended = state->synced = contents.size();
  }
  return Status::OK();
}

Status FaultInjectionEnv::DropUnsyncedData() {
  return TearUnsyncedTails(0);
}

Status FaultInjectionEnv::NewWritableFile(const std::string& fname,
                                          leveldb::WritableFile** result) {
  leveldb::WritableFile* base_file = nullptr;
  const Status status = target()->NewWritableFile(fname, &base_file);
  if (!status.ok()) {
    *result = nullptr;
    return status;
  }
  auto state = std::make_shared<FileState>();  // The base env truncated the file.
  {
    std::lock_guard guard(mutex_);
    files_[fname] = state;
  }
  *result = new TrackedFile(this, fname, std::unique_ptr<leveldb::WritableFile>(base_file),
                            std::move(state));
  return status;
}

Status FaultInjectionEnv::NewAppendableFile(const std::string& fname,
                                            leveldb::WritableFile** result) {
  uint64_t existing_size = 0;
  if (target()->FileExists(fname)) {
    const Status status = target()->GetFileSize(fname, &existing_size);
    if (!status.ok()) return status;
  }
  leveldb::WritableFile* base_file = nullptr;
  const Status status = target()->NewAppendableFile(fname, &base_file);
  if (!status.ok()) {
    *result = nullptr;
    return status;
  }
  std::shared_ptr<FileState> state;
  {
    std::lock_guard guard(mutex_);
    // A file this env wrote before keeps its counts: what it never synced is still unsynced.
    std::shared_ptr<FileState>& known = files_[fname];
    if (known == nullptr) {
      known = std::make_shared<FileState>(
          FileState{.appended = existing_size, .synced = existing_size});
    }
    state = known;
  }
  *result = new TrackedFile(this, fname, std::unique_ptr<leveldb::WritableFile>(base_file),
                            std::move(state));
  return status;
}

Status FaultInjectionEnv::RemoveFile(const std::string& fname) {
  const Status status = target()->RemoveFile(fname);
  if (status.ok()) {
    std::lock_guard guard(mutex_);
    files_.erase(fname);
  }
  return status;
}

Status FaultInjectionEnv::RenameFile(const std::string& from, const std::string& to) {
  const Status status = target()->RenameFile(from, to);
  if (status.ok()) {
    std::lock_guard guard(mutex_);
    const auto moved = files_.find(from);
    if (moved == files_.end()) {
      files_.erase(to);  // Replaced by a file this env did not write.
    } else {
      files_[to] = std::move(moved->second);
      files_.erase(moved);
    }
  }
  return status;
}

}  // namespace tl::testing
