// Small file helpers shared by the sdk: whole-file reads and durable exclusive writes.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tl {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path);
// Creates `path` (failing if it exists) with `mode`, writes `contents`, fsyncs the file and its
// directory. Removes the file again if any step fails.
absl::Status WriteNewFile(const std::string& path, std::string_view contents, unsigned mode);
// Fsyncs the directory holding `path`, so a file created or renamed there survives a power cut.
absl::Status SyncDirectoryOf(const std::string& path);

}  // namespace tl
