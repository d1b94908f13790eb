#include "copy_on_write_env.h"

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <utility>

#include "leveldb/slice.h"
#include "leveldb/status.h"

namespace tl::ledger {
namespace {

using leveldb::Slice;
using leveldb::Status;

// The POSIX env's words for a missing file, so callers see the same message from either env.
Status NotFoundError(const std::string& fname) {
  return Status::NotFound(fname, std::strerror(ENOENT));
}

// Memory files are shared between their writer and any readers, so every file object below locks
// the env's mutex around each access to the bytes.

class MemorySequentialFile final : public leveldb::SequentialFile {
 public:
  MemorySequentialFile(std::mutex* mutex, std::shared_ptr<const std::string> contents)
      : mutex_(mutex), contents_(std::move(contents)) {}

  Status Read(size_t n, Slice* result, char* scratch) override {
    std::lock_guard guard(*mutex_);
    n = std::min(n, contents_->size() - position_);
    std::memcpy(scratch, contents_->data() + position_, n);
    position_ += n;
    *result = Slice(scratch, n);
    return Status::OK();
  }

  Status Skip(uint64_t n) override {
    std::lock_guard guard(*mutex_);
    position_ += std::min<uint64_t>(n, contents_->size() - position_);
    return Status::OK();
  }

 private:
  std::mutex* const mutex_;
  const std::shared_ptr<const std::string> contents_;
  size_t position_ = 0;  // Never past the end, since contents only grow.
};

class MemoryRandomAccessFile final : public leveldb::RandomAccessFile {
 public:
  MemoryRandomAccessFile(std::mutex* mutex, std::shared_ptr<const std::string> contents)
      : mutex_(mutex), contents_(std::move(contents)) {}

  // Like pread, a read at or past the end returns no bytes rather than an error.
  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    std::lock_guard guard(*mutex_);
    offset = std::min<uint64_t>(offset, contents_->size());
    n = std::min<uint64_t>(n, contents_->size() - offset);
    std::memcpy(scratch, contents_->data() + offset, n);
    *result = Slice(scratch, n);
    return Status::OK();
  }

 private:
  std::mutex* const mutex_;
  const std::shared_ptr<const std::string> contents_;
};

class MemoryWritableFile final : public leveldb::WritableFile {
 public:
  MemoryWritableFile(std::mutex* mutex, std::shared_ptr<std::string> contents)
      : mutex_(mutex), contents_(std::move(contents)) {}

  Status Append(const Slice& data) override {
    std::lock_guard guard(*mutex_);
    contents_->append(data.data(), data.size());
    return Status::OK();
  }

  // Appended bytes are visible to readers at once and are never meant to be durable.
  Status Close() override { return Status::OK(); }
  Status Flush() override { return Status::OK(); }
  Status Sync() override { return Status::OK(); }

 private:
  std::mutex* const mutex_;
  const std::shared_ptr<std::string> contents_;
};

// Writes LevelDB's info log lines into a memory file. Lines carry the message only, without the
// POSIX logger's time and thread prefix: the copy exists so that recovery has somewhere to log,
// and a reader of it wants the messages.
class MemoryLogger final : public leveldb::Logger {
 public:
  MemoryLogger(std::mutex* mutex, std::shared_ptr<std::string> contents)
      : mutex_(mutex), contents_(std::move(contents)) {}

  void Logv(const char* format, std::va_list ap) override {
    std::va_list ap_for_length;
    va_copy(ap_for_length, ap);
    const int length = std::vsnprintf(nullptr, 0, format, ap_for_length);
    va_end(ap_for_length);
    if (length < 0) return;

    std::string line(static_cast<size_t>(length) + 1, '\0');  // + 1 for vsnprintf's terminator.
    std::vsnprintf(line.data(), line.size(), format, ap);
    line.pop_back();
    if (line.empty() || line.back() != '\n') line.push_back('\n');

    std::lock_guard guard(*mutex_);
    contents_->append(line);
  }

 private:
  std::mutex* const mutex_;
  const std::shared_ptr<std::string> contents_;
};

}  // namespace

CopyOnWriteEnv::CopyOnWriteEnv(leveldb::Env* base) : leveldb::EnvWrapper(base) {}

std::shared_ptr<std::string> CopyOnWriteEnv::FindMemoryFile(const std::string& fname) const {
  const auto it = memory_files_.find(fname);
  return it == memory_files_.end() ? nullptr : it->second;
}

bool CopyOnWriteEnv::RealFileVisible(const std::string& fname) {
  return !hidden_real_files_.contains(fname) && target()->FileExists(fname);
}

Status CopyOnWriteEnv::MemoryFileForAppend(const std::string& fname,
                                           std::shared_ptr<std::string>* contents) {
  *contents = FindMemoryFile(fname);
  if (*contents != nullptr) return Status::OK();

  auto copy = std::make_shared<std::string>();
  if (RealFileVisible(fname)) {
    const Status status = leveldb::ReadFileToString(target(), fname, copy.get());
    if (!status.ok()) return status;
  }
  memory_files_[fname] = copy;
  *contents = std::move(copy);
  return Status::OK();
}

Status CopyOnWriteEnv::NewSequentialFile(const std::string& fname,
                                         leveldb::SequentialFile** result) {
  std::lock_guard guard(mutex_);
  if (auto contents = FindMemoryFile(fname)) {
    *result = new MemorySequentialFile(&mutex_, std::move(contents));
    return Status::OK();
  }
  if (hidden_real_files_.contains(fname)) {
    *result = nullptr;
    return NotFoundError(fname);
  }
  return target()->NewSequentialFile(fname, result);
}

Status CopyOnWriteEnv::NewRandomAccessFile(const std::string& fname,
                                           leveldb::RandomAccessFile** result) {
  std::lock_guard guard(mutex_);
  if (auto contents = FindMemoryFile(fname)) {
    *result = new MemoryRandomAccessFile(&mutex_, std::move(contents));
    return Status::OK();
  }
  if (hidden_real_files_.contains(fname)) {
    *result = nullptr;
    return NotFoundError(fname);
  }
  return target()->NewRandomAccessFile(fname, result);
}

Status CopyOnWriteEnv::NewWritableFile(const std::string& fname, leveldb::WritableFile** result) {
  std::lock_guard guard(mutex_);
  auto contents = std::make_shared<std::string>();
  memory_files_[fname] = contents;
  *result = new MemoryWritableFile(&mutex_, std::move(contents));
  return Status::OK();
}

Status CopyOnWriteEnv::NewAppendableFile(const std::string& fname, leveldb::WritableFile** result) {
  std::lock_guard guard(mutex_);
  std::shared_ptr<std::string> contents;
  const Status status = MemoryFileForAppend(fname, &contents);
  *result = status.ok() ? new MemoryWritableFile(&mutex_, std::move(contents)) : nullptr;
  return status;
}

// Appends like the POSIX logger, which opens its file with O_APPEND. (LevelDB renames LOG to
// LOG.old just before, so in practice the memory LOG starts empty.)
Status CopyOnWriteEnv::NewLogger(const std::string& fname, leveldb::Logger** result) {
  std::lock_guard guard(mutex_);
  std::shared_ptr<std::string> contents;
  const Status status = MemoryFileForAppend(fname, &contents);
  *result = status.ok() ? new MemoryLogger(&mutex_, std::move(contents)) : nullptr;
  return status;
}

bool CopyOnWriteEnv::FileExists(const std::string& fname) {
  std::lock_guard guard(mutex_);
  return memory_files_.contains(fname) || RealFileVisible(fname);
}

Status CopyOnWriteEnv::GetChildren(const std::string& dir, std::vector<std::string>* result) {
  std::lock_guard guard(mutex_);
  std::vector<std::string> real_children;
  const Status status = target()->GetChildren(dir, &real_children);
  if (!status.ok() && !memory_dirs_.contains(dir)) return status;

  result->clear();
  const std::string prefix = dir + "/";
  for (std::string& child : real_children) {
    const std::string path = prefix + child;
    if (!hidden_real_files_.contains(path) && !memory_files_.contains(path)) {
      result->push_back(std::move(child));
    }
  }
  for (const auto& [path, contents] : memory_files_) {
    if (path.starts_with(prefix) && path.find('/', prefix.size()) == std::string::npos) {
      result->push_back(path.substr(prefix.size()));
    }
  }
  return Status::OK();
}

Status CopyOnWriteEnv::GetFileSize(const std::string& fname, uint64_t* file_size) {
  std::lock_guard guard(mutex_);
  if (auto contents = FindMemoryFile(fname)) {
    *file_size = contents->size();
    return Status::OK();
  }
  if (hidden_real_files_.contains(fname)) {
    *file_size = 0;
    return NotFoundError(fname);
  }
  return target()->GetFileSize(fname, file_size);
}

Status CopyOnWriteEnv::RemoveFile(const std::string& fname) {
  std::lock_guard guard(mutex_);
  const bool existed = memory_files_.erase(fname) > 0 || RealFileVisible(fname);
  // Hidden even when only a memory file was removed: that file may have shadowed a real one.
  hidden_real_files_.insert(fname);
  return existed ? Status::OK() : NotFoundError(fname);
}

Status CopyOnWriteEnv::RenameFile(const std::string& from, const std::string& to) {
  std::lock_guard guard(mutex_);
  std::shared_ptr<std::string> contents = FindMemoryFile(from);
  if (contents == nullptr) {
    if (hidden_real_files_.contains(from)) return NotFoundError(from);
    contents = std::make_shared<std::string>();
    const Status status = leveldb::ReadFileToString(target(), from, contents.get());
    if (!status.ok()) return status;
  }
  memory_files_.erase(from);
  hidden_real_files_.insert(from);
  memory_files_[to] = std::move(contents);
  return Status::OK();
}

Status CopyOnWriteEnv::CreateDir(const std::string& dirname) {
  std::lock_guard guard(mutex_);
  memory_dirs_.insert(dirname);
  return Status::OK();
}

Status CopyOnWriteEnv::RemoveDir(const std::string& dirname) {
  std::lock_guard guard(mutex_);
  memory_dirs_.erase(dirname);
  return Status::OK();
}

Status CopyOnWriteEnv::LockFile(const std::string& fname, leveldb::FileLock** lock) {
  std::lock_guard guard(mutex_);
  if (target()->FileExists(fname)) return target()->LockFile(fname, lock);

  if (memory_locks_.contains(fname)) {
    *lock = nullptr;
    return Status::IOError("lock " + fname, "already held by process");
  }
  auto memory_lock = std::make_unique<leveldb::FileLock>();
  *lock = memory_lock.get();
  memory_locks_.emplace(fname, std::move(memory_lock));
  return Status::OK();
}

Status CopyOnWriteEnv::UnlockFile(leveldb::FileLock* lock) {
  std::lock_guard guard(mutex_);
  const auto held = std::ranges::find_if(memory_locks_, [lock](const auto& name_and_lock) {
    return name_and_lock.second.get() == lock;
  });
  if (held == memory_locks_.end()) return target()->UnlockFile(lock);
  memory_locks_.erase(held);
  return Status::OK();
}

}  // namespace tl::ledger
