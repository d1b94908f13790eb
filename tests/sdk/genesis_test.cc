#include "trialledger/sdk/genesis.h"

#include <gtest/gtest.h>

#include "test_ledger.h"
#include "trialledger/sdk/codec.h"

namespace tl {
namespace {

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<GenesisDocument> parsed = ParseGenesis(text, "g.toml");
  return parsed.ok() ? "accepted" : std::string(parsed.status().message());
}

TEST(Genesis, FormatParsesBackToTheSameGenesis) {
  testing::TestNetwork network;
  const GenesisDocument& document = network.genesis();
  absl::StatusOr<GenesisDocument> again = ParseGenesis(FormatGenesis(document.genesis), "again");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(Encode(again->genesis), Encode(document.genesis));
  EXPECT_EQ(again->hash, document.hash);
  EXPECT_EQ(document.hash, Blake2b256(document.text));
}

TEST(Genesis, ErrorsNameFileLineAndField) {
  testing::TestNetwork network;
  std::string text = network.genesis().text;
  EXPECT_NE(ErrorOf("chain_id = ").find("g.toml:1:"), std::string::npos);

  std::string bad_role = text;
  bad_role.replace(bad_role.find("'finance'"), 9, "'treasurer'");
  EXPECT_NE(ErrorOf(bad_role).find("unknown role 'treasurer'"), std::string::npos);

  std::string bad_key = text;
  size_t key_at = bad_key.find("public_key = \"") + 14;
  bad_key.replace(key_at, 64, "abcd");
  std::string error = ErrorOf(bad_key);
  EXPECT_NE(error.find("members[0]"), std::string::npos) << error;
  EXPECT_NE(error.find("public_key"), std::string::npos) << error;

  std::string bad_kind = text;
  bad_kind.replace(bad_kind.find("\"sponsor\""), 9, "\"pharma\"");
  EXPECT_NE(ErrorOf(bad_kind).find("kind"), std::string::npos);
}

TEST(Genesis, ARuleAcrossRecordsNamesTheLineOfTheRecordThatBreaksIt) {
  testing::TestNetwork network;
  std::string text = network.genesis().text;
  // The second member takes the first one's key: the error names the second's [[members]] line.
  const size_t first = text.find("public_key = \"") + 14;
  const std::string key = text.substr(first, 64);
  const size_t second = text.find("public_key = \"", first) + 14;
  text.replace(second, 64, key);
  size_t line = 1;
  const size_t table = text.rfind("[[members]]", second);
  for (size_t i = 0; i < table; ++i)
    line += text[i] == '\n';
  const std::string error = ErrorOf(text);
  EXPECT_EQ(error.find("g.toml:" + std::to_string(line) + ":1: members[1]: member '"), 0u) << error;
  EXPECT_NE(error.find("public_key is already used"), std::string::npos) << error;
}

TEST(Genesis, CrossRecordRules) {
  testing::TestNetwork network;
  v1::Genesis base = network.genesis().genesis;
  auto error_of = [](const v1::Genesis& genesis) {
    absl::Status status = ValidateGenesis(genesis);
    return status.ok() ? std::string("accepted") : std::string(status.message());
  };
  ASSERT_EQ(error_of(base), "accepted");

  v1::Genesis duplicate_key = base;
  duplicate_key.mutable_members(1)->set_public_key(base.members(0).public_key());
  EXPECT_NE(error_of(duplicate_key).find("already used"), std::string::npos);

  v1::Genesis unknown_org = base;
  unknown_org.mutable_members(0)->set_org("nobody");
  EXPECT_NE(error_of(unknown_org).find("unknown organization"), std::string::npos);

  v1::Genesis no_admin = base;
  no_admin.mutable_members(0)->clear_roles();
  no_admin.mutable_members(0)->add_roles("finance");
  no_admin.mutable_members(1)->clear_roles();
  no_admin.mutable_members(1)->add_roles("clinops");
  EXPECT_NE(error_of(no_admin).find("has no member with the admin role"), std::string::npos);

  v1::Genesis no_nodes = base;
  no_nodes.clear_nodes();
  EXPECT_NE(error_of(no_nodes).find("no [[nodes]]"), std::string::npos);

  v1::Genesis bad_name = base;
  bad_name.mutable_organizations(0)->set_name("Acme Bio");
  EXPECT_NE(error_of(bad_name).find("lower-case"), std::string::npos);
}

}  // namespace
}  // namespace tl
