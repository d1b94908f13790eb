#include "trialledger/sdk/keyfile.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/toml_reader.h"

namespace tl {
namespace {

absl::StatusOr<std::string> RequiredString(const toml::table& table, std::string_view field,
                                           std::string_view origin) {
  const std::string* value = table[field].as_string() ? &table[field].as_string()->get() : nullptr;
  if (value == nullptr) {
    return absl::InvalidArgumentError(
        StrCat(origin, ": field '", field, "' is missing or not a string"));
  }
  return *value;
}

}  // namespace

absl::StatusOr<KeyFile> ParseKeyFile(std::string_view text, std::string_view origin) {
  absl::StatusOr<toml::table> parsed = ParseToml(text, origin);
  if (!parsed.ok()) return parsed.status();
  const toml::table& table = *parsed;
  absl::StatusOr<std::string> format = RequiredString(table, "format", origin);
  if (!format.ok()) return format.status();
  if (*format != kKeyFileFormat) {
    return absl::InvalidArgumentError(
        StrCat(origin, ": format is '", *format, "', expected '", kKeyFileFormat, "'"));
  }
  absl::StatusOr<std::string> algorithm = RequiredString(table, "algorithm", origin);
  if (!algorithm.ok()) return algorithm.status();
  if (*algorithm != "ed25519") {
    return absl::InvalidArgumentError(
        StrCat(origin, ": algorithm '", *algorithm, "' is not supported (only ed25519)"));
  }
  absl::StatusOr<std::string> name = RequiredString(table, "name", origin);
  absl::StatusOr<std::string> public_hex = RequiredString(table, "public_key", origin);
  absl::StatusOr<std::string> seed_hex = RequiredString(table, "secret_seed", origin);
  for (const auto* field : {&name, &public_hex, &seed_hex}) {
    if (!field->ok()) return field->status();
  }
  absl::StatusOr<std::string> public_key =
      FromHexExact(*public_hex, kPublicKeyBytes, StrCat(origin, ": public_key"));
  if (!public_key.ok()) return public_key.status();
  absl::StatusOr<std::string> seed =
      FromHexExact(*seed_hex, kSeedBytes, StrCat(origin, ": secret_seed"));
  if (!seed.ok()) return seed.status();
  KeyFile key{*name, KeyPairFromSeed(*seed)};
  if (key.keys.public_key != *public_key) {
    return absl::InvalidArgumentError(StrCat(
        origin, ": public_key does not match the key derived from secret_seed (file damaged?)"));
  }
  return key;
}

absl::StatusOr<KeyFile> ReadKeyFile(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    return absl::NotFoundError(StrCat("key file ", path, " does not exist"));
  }
  if ((info.st_mode & 077) != 0) {
    return absl::PermissionDeniedError(
        fmt::format("key file {} is readable by others (mode {:04o}); run: chmod 600 {}", path,
                    info.st_mode & 07777, path));
  }
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ParseKeyFile(*text, path);
}

absl::Status WriteKeyFile(const std::string& path, const KeyFile& key) {
  toml::table table{
      {"format", std::string(kKeyFileFormat)},
      {"algorithm", "ed25519"},
      {"name", key.name},
      {"public_key", ToHex(key.keys.public_key)},
      {"secret_seed", ToHex(SeedOf(key.keys))},
  };
  std::ostringstream out;
  out << "# TrialLedger key file: whoever holds this file signs as this key. Keep it secret.\n"
      << toml::toml_formatter(table, toml::toml_formatter::default_flags &
                                         ~toml::format_flags::allow_literal_strings)
      << "\n";
  return WriteNewFile(path, out.str(), 0600);
}

}  // namespace tl
