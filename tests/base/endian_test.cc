#include "trialledger/base/endian.h"

#include <gtest/gtest.h>

namespace tl {
namespace {

TEST(EndianTest, BigEndianSortsLikeTheNumbers) {
  EXPECT_EQ(EncodeBigEndian64(0x0102030405060708), std::string("\x01\x02\x03\x04\x05\x06\x07\x08"));
  EXPECT_LT(EncodeBigEndian64(255), EncodeBigEndian64(256));
  EXPECT_LT(EncodeBigEndian64(1), EncodeBigEndian64(UINT64_MAX));
  for (uint64_t value : {uint64_t{0}, uint64_t{1}, uint64_t{0x8000000000000000}, UINT64_MAX}) {
    EXPECT_EQ(DecodeBigEndian64(EncodeBigEndian64(value)), value);
  }
}

TEST(EndianTest, LittleEndian) {
  std::string out;
  AppendLittleEndian<uint32_t>(0x01020304, &out);
  AppendLittleEndian<uint16_t>(0xa0b0, &out);
  AppendLittleEndian<int64_t>(-2, &out);
  EXPECT_EQ(out.substr(0, 6), std::string("\x04\x03\x02\x01\xb0\xa0"));
  EXPECT_EQ(DecodeLittleEndian<uint32_t>(out), 0x01020304u);
  EXPECT_EQ(DecodeLittleEndian<uint16_t>(out.substr(4)), 0xa0b0);
  EXPECT_EQ(DecodeLittleEndian<int64_t>(out.substr(6)), -2);
}

TEST(EndianDeathTest, ShortInputIsAProgrammerError) {
  EXPECT_DEATH(DecodeBigEndian64("1234567"), "check failed");
  EXPECT_DEATH(DecodeLittleEndian<uint32_t>("123"), "check failed");
}

}  // namespace
}  // namespace tl
