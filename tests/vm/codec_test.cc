#include <gtest/gtest.h>

#include "test_util.h"
#include "trialledger/vm/value_codec.h"

namespace tl::vm {
namespace {

std::vector<Value> SampleValues() {
  auto shape = std::make_shared<RecordShape>(RecordShape{"milestone", "amount"});
  std::vector<Value> values = {
      Value::MakeBool(true),
      Value::MakeInt(-42),
      Value::MakeTime(1'790'000'000'000),
      Value::MakeDuration(86'400'000),
      *Value::MakeMoney("USD", Amount("-1000000000000000000000000000000")),
      Value::ZeroOf(Type::kMoney),
      *Value::MakeRational(-7, 3),
      *Value::MakeString("first patient in"),
      *Value::MakeBytes(std::string("\0\xff", 2)),
      *Value::MakeList({Value::MakeInt(1), *Value::MakeString("x")}),
      *Value::MakeMap({{*Value::MakeString("b"), Value::MakeInt(2)},
                       {*Value::MakeString("a"), Value::MakeInt(1)}}),
      *Value::MakeRecord(shape, {*Value::MakeString("fpi"), *Value::MakeMoney("EUR", 5)}),
  };
  return values;
}

TEST(ValueCodecTest, RoundTripsEveryType) {
  for (const Value& value : SampleValues()) {
    const std::string bytes = EncodeValue(value);
    absl::StatusOr<Value> decoded = DecodeValue(bytes);
    ASSERT_TRUE(decoded.ok()) << value.DebugString() << ": " << decoded.status();
    EXPECT_EQ(*decoded, value) << value.DebugString();
    EXPECT_EQ(EncodeValue(*decoded), bytes);
  }
}

TEST(ValueCodecTest, MapsEncodeInKeyOrder) {
  const Value map = SampleValues()[10];
  EXPECT_EQ(map.MapEntries()[0].first.AsString(), "a");
}

TEST(ValueCodecTest, RejectsNonCanonicalEncodings) {
  const std::vector<std::string> bad = {
      std::string("\x01\x02", 2),                                   // bool byte 2
      std::string("\x03USD\x00\x01\x00", 7),                        // leading zero byte in amount
      std::string("\x03USD\x01\x00", 6),                            // negative zero
      std::string("\x04\x00\x01\x02\x00\x01\x04", 7),               // 2/4 not reduced
      std::string("\x04\x00\x01\x02\x01\x01\x03", 7),               // negative denominator
      std::string("\x03usd\x00\x00", 6),                            // lower-case currency
      std::string("\x03\x00\x00\x00\x00\x01\x05", 7),               // amount without currency
      std::string("\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00", 10),  // trailing byte
      std::string("\x0a\x02\x00\x00\x00\x02\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x02\x00"
                  "\x00\x00\x00\x00\x00\x00\x01\x00",
                  26),                         // map keys 1, 0 descending
      std::string("\x09\xff\xff\xff\xff", 5),  // list count beyond input
      std::string("\x0d", 1),                  // unknown tag
      std::string(""),                         // empty
  };
  for (const std::string& bytes : bad) {
    EXPECT_FALSE(DecodeValue(bytes).ok()) << testing::PrintToString(bytes);
  }
}

TEST(ValueCodecTest, RejectsDeepNesting) {
  std::string bytes;
  for (int i = 0; i < 40; ++i)
    bytes += std::string("\x09\x01\x00\x00\x00", 5);
  bytes += std::string("\x01\x00", 2);
  EXPECT_FALSE(DecodeValue(bytes).ok());
}

TEST(ValueCodecTest, EncodingStopsAtTheCap) {
  std::string out;
  EXPECT_FALSE(EncodeValue(*Value::MakeString(std::string(100, 'x')), 50, &out));
}

TEST(ModuleCodecTest, RoundTripsAnAssembledModule) {
  absl::StatusOr<Module> module = Assemble(R"(
.const fee money USD:125000
.shape paid milestone amount
.func main n:int -> money
.reg m:money s:string r:record
  loadk m $fee
  loadk s "fpi"
  recnew r paid s
  ret m
.end
.entry main main
)");
  ASSERT_TRUE(module.ok()) << module.status();
  const std::string bytes = EncodeModule(*module);
  absl::StatusOr<Module> decoded = DecodeModule(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(EncodeModule(*decoded), bytes);
  EXPECT_EQ(decoded->functions[0].code, module->functions[0].code);
  EXPECT_EQ(*decoded->constants[1].shape, (RecordShape{"milestone", "amount"}));
}

TEST(ModuleCodecTest, EveryTruncationFailsCleanly) {
  absl::StatusOr<std::string> bytes = AssembleBytes(R"(
.func main a:int -> int
  ret a
.end
.entry main main
)");
  ASSERT_TRUE(bytes.ok());
  for (size_t n = 0; n < bytes->size(); ++n) {
    EXPECT_FALSE(DecodeModule(bytes->substr(0, n)).ok()) << n;
  }
  EXPECT_TRUE(DecodeModule(*bytes).ok());
  EXPECT_FALSE(DecodeModule(*bytes + "x").ok());
}

TEST(ModuleCodecTest, RejectsForeignMagicAndVersions) {
  EXPECT_NE(std::string(DecodeModule("ELF!....").status().message()).find("magic"),
            std::string::npos);
  Module module;
  module.format_version = 2;
  EXPECT_NE(std::string(DecodeModule(EncodeModule(module)).status().message())
                .find("format version 2 is not supported"),
            std::string::npos);
  module.format_version = kFormatVersion;
  module.gas_schedule_version = 9;
  EXPECT_NE(std::string(DecodeModule(EncodeModule(module)).status().message())
                .find("gas schedule version 9"),
            std::string::npos);
}

TEST(ModuleCodecTest, HugeCountsAreRejectedBeforeAllocation) {
  std::string bytes("TLVM\x01\x00\x01\x00", 8);
  bytes += std::string("\xff\xff\xff\x7f", 4);  // 2^31 constants
  EXPECT_NE(std::string(DecodeModule(bytes).status().message()).find("exceed the limit"),
            std::string::npos);
}

TEST(AssemblerTest, ErrorsNameTheLine) {
  absl::StatusOr<Module> module = Assemble(".func main -> none\n  frob x\n.end\n");
  EXPECT_EQ(module.status().message(), "line 2: unknown instruction 'frob'");
  module = Assemble(".func main -> none\n.reg x:int\n  add x x y\n  retv\n.end\n");
  EXPECT_EQ(module.status().message(), "line 3: unknown register 'y'");
  module = Assemble(".func main -> none\n  jmp nowhere\n.end\n");
  EXPECT_EQ(module.status().message(), "line 3: label 'nowhere' never bound");
}

TEST(AssemblerTest, LiteralsOfEveryType) {
  EXPECT_EQ(*ParseLiteral(Type::kTime, "1970-01-02"), Value::MakeTime(86'400'000));
  EXPECT_EQ(*ParseLiteral(Type::kTime, "2000-03-01T00:00:01Z"), Value::MakeTime(951'868'801'000));
  EXPECT_EQ(*ParseLiteral(Type::kDuration, "90m"), Value::MakeDuration(5'400'000));
  EXPECT_EQ(*ParseLiteral(Type::kBytes, "0xcafe"), *Value::MakeBytes("\xca\xfe"));
  EXPECT_EQ(*ParseLiteral(Type::kString, "\"a\\\"b\\x41\""), *Value::MakeString("a\"bA"));
  EXPECT_EQ(*ParseLiteral(Type::kRational, "6/4"), *Value::MakeRational(3, 2));
  EXPECT_FALSE(ParseLiteral(Type::kMoney, "USD100").ok());
  EXPECT_FALSE(ParseLiteral(Type::kTime, "2026-13-01").ok());
}

}  // namespace
}  // namespace tl::vm
