// Key files: one Ed25519 key per file, TOML, mode 0600. Format (docs/key-files.md):
//
//   # TrialLedger key file: whoever holds this file signs as this key.
//   format = "trialledger-key-v1"
//   algorithm = "ed25519"
//   name = "alice"
//   public_key = "<64 hex digits>"
//   secret_seed = "<64 hex digits>"
//
// Writing never replaces an existing file; reading refuses a file others can read, checks that
// the seed derives the stated public key, and names the file and field in every error.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trialledger/sdk/crypto.h"

namespace tl {

inline constexpr std::string_view kKeyFileFormat = "trialledger-key-v1";

struct KeyFile {
  std::string name;  // who or what the key is for: a member or a node
  KeyPair keys;
};

// Fails with AlreadyExists if `path` exists. Written 0600 and fsynced; nothing is left behind on
// failure.
absl::Status WriteKeyFile(const std::string& path, const KeyFile& key);
absl::StatusOr<KeyFile> ReadKeyFile(const std::string& path);
// Parses key-file text; `origin` names the source in errors.
absl::StatusOr<KeyFile> ParseKeyFile(std::string_view text, std::string_view origin);

}  // namespace tl
