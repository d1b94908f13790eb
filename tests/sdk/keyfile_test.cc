#include "trialledger/sdk/keyfile.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "test_ledger.h"
#include "trialledger/base/hex.h"

namespace tl {
namespace {

using ::tl::testing::TempDir;

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

TEST(KeyFile, RoundTripsWithMode0600) {
  TempDir dir;
  KeyFile key{"alice", GenerateKeyPair()};
  std::string path = dir.Sub("alice.key");
  ASSERT_TRUE(WriteKeyFile(path, key).ok());
  struct stat info;
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  absl::StatusOr<KeyFile> read = ReadKeyFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->name, "alice");
  EXPECT_EQ(read->keys.public_key, key.keys.public_key);
  EXPECT_EQ(read->keys.secret_key, key.keys.secret_key);
}

TEST(KeyFile, NeverOverwrites) {
  TempDir dir;
  std::string path = dir.Sub("k.key");
  KeyFile first{"first", GenerateKeyPair()};
  ASSERT_TRUE(WriteKeyFile(path, first).ok());
  absl::Status second = WriteKeyFile(path, KeyFile{"second", GenerateKeyPair()});
  EXPECT_EQ(second.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ReadKeyFile(path)->keys.public_key, first.keys.public_key);
}

TEST(KeyFile, RefusesFilesOthersCanRead) {
  TempDir dir;
  std::string path = dir.Sub("k.key");
  ASSERT_TRUE(WriteKeyFile(path, KeyFile{"k", GenerateKeyPair()}).ok());
  ::chmod(path.c_str(), 0644);
  absl::StatusOr<KeyFile> read = ReadKeyFile(path);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(Message(read.status()).find("chmod 600"), std::string::npos);
}

TEST(KeyFile, NamesTheFaultInDamagedFiles) {
  KeyPair keys = GenerateKeyPair();
  std::string good =
      "format = \"trialledger-key-v1\"\nalgorithm = \"ed25519\"\nname = \"a\"\n"
      "public_key = \"" +
      ToHex(keys.public_key) + "\"\nsecret_seed = \"" + ToHex(SeedOf(keys)) + "\"\n";
  ASSERT_TRUE(ParseKeyFile(good, "a.key").ok());

  auto error_of = [](const std::string& text) {
    absl::StatusOr<KeyFile> parsed = ParseKeyFile(text, "a.key");
    return parsed.ok() ? std::string("accepted") : Message(parsed.status());
  };
  EXPECT_NE(error_of("this is = = not toml").find("a.key:1:"), std::string::npos);
  EXPECT_NE(error_of("format = \"other\"").find("format"), std::string::npos);
  std::string no_seed = good.substr(0, good.find("secret_seed"));
  EXPECT_NE(error_of(no_seed).find("secret_seed"), std::string::npos);
  std::string other_public = good;
  other_public.replace(other_public.find(ToHex(keys.public_key)), 64,
                       ToHex(GenerateKeyPair().public_key));
  EXPECT_NE(error_of(other_public).find("does not match"), std::string::npos);
  std::string short_seed = good;
  short_seed.replace(short_seed.find(ToHex(SeedOf(keys))), 64, "abcd");
  EXPECT_NE(error_of(short_seed).find("secret_seed"), std::string::npos);
}

TEST(KeyFile, MissingFileIsNotFound) {
  EXPECT_EQ(ReadKeyFile("/nonexistent/k.key").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace tl
