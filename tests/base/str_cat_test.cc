#include "trialledger/base/str_cat.h"

#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "trialledger/base/hex.h"

namespace tl {
namespace {

TEST(StrCatTest, JoinsEveryKindOfPiece) {
  std::string text = "text";
  std::string_view view = "view";
  absl::string_view absl_view = "absl";
  EXPECT_EQ(StrCat("a", text, view, absl_view, 'c', 42, -7, uint64_t{18446744073709551615u}),
            "atextviewabslc42-718446744073709551615");
  EXPECT_EQ(StrCat(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
  std::string out = "x";
  StrAppend(&out, "=", 3);
  EXPECT_EQ(out, "x=3");
}

TEST(StrCatTest, Join) {
  EXPECT_EQ(Join(std::vector<std::string>{"finance", "clinops"}, ", "), "finance, clinops");
  EXPECT_EQ(Join(std::vector<std::string>{}, ", "), "");
  EXPECT_EQ(Join(std::vector<std::string>{"", "b"}, "/"), "/b");
}

TEST(StrCatTest, MessageOf) {
  EXPECT_EQ(MessageOf(absl::InvalidArgumentError("bad date")), "bad date");
}

TEST(HexTest, RoundTripAndErrors) {
  EXPECT_EQ(ToHex(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(*FromHex("00FF10", "id"), std::string("\x00\xff\x10", 3));
  EXPECT_EQ(FromHex("abc", "tx id").status().message(),
            "tx id: hex has an odd number of digits (3)");
  EXPECT_EQ(FromHex("zz", "key").status().message(), "key: not a hex digit at position 0");
  EXPECT_FALSE(FromHexExact("00", 2, "key").ok());
}

}  // namespace
}  // namespace tl
