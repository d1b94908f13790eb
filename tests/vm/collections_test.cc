#include <gtest/gtest.h>

#include "test_util.h"
#include "trialledger/vm/limits.h"

namespace tl::vm {
namespace {

using test::Main;
using test::RunAsm;

TEST(CollectionsTest, MapIteratesInAscendingKeyOrder) {
  // Insert keys 30, 10, 20 and concatenate the values while iterating by index.
  ExecutionResult result = RunAsm(Main("string", R"(m:map k:int v:string i:int n:int s:string)",
                                       R"(
  loadi k 30
  loadk v "c"
  mapput m k v
  loadi k 10
  loadk v "a"
  mapput m k v
  loadi k 20
  loadk v "b"
  mapput m k v
  maplen n m
  jle n i done
loop:
  mapval v m i
  scat s s v
  addi i i 1
  jlt i n loop
done:
  ret s)"),
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.return_value.AsString(), "abc");
}

TEST(CollectionsTest, MapGetHasDeleteAndKeyAt) {
  ExecutionResult result = RunAsm(Main("int", R"(m:map k:string v:int h:bool n:int)", R"(
  loadk k "fpi"
  loadi v 7
  mapput m k v
  loadk k "sit"
  loadi v 9
  mapput m k v
  mapdel m k
  maphas h m k
  jt h bad
  loadk k "fpi"
  mapget n m k
  ret n
bad:
  loadi n -1
  ret n)"),
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.return_value.AsInt(), 7);
}

TEST(CollectionsTest, MissingKeyAndWrongTypeTrap) {
  EXPECT_EQ(RunAsm(Main("int", "m:map k:int n:int", "mapget n m k\nret n"), "main").trap,
            TrapCode::kKeyNotFound);
  EXPECT_EQ(
      RunAsm(Main("string", "m:map k:int s:string", "mapput m k k\nmapget s m k\nret s"), "main")
          .trap,
      TrapCode::kTypeError);
}

TEST(CollectionsTest, ListsGrowIndexAndBoundCheck) {
  ExecutionResult result = RunAsm(Main("int", "l:list x:int i:int n:int", R"(
  loadi x 5
  lpush l x
  loadi x 6
  lpush l x
  loadi i 1
  loadi x 60
  lset l i x
  lget n l i
  llen x l
  add n n x
  ret n)"),
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.return_value.AsInt(), 62);
  EXPECT_EQ(RunAsm(Main("int", "l:list i:int n:int", "loadi i 3\nlget n l i\nret n"), "main").trap,
            TrapCode::kIndexOutOfRange);
}

TEST(CollectionsTest, ValuesAreCopiedOnWrite) {
  // b = a; push to b; a keeps its length.
  ExecutionResult result = RunAsm(Main("int", "a:list b:list x:int n:int", R"(
  lpush a x
  move b a
  lpush b x
  llen n a
  ret n)"),
                                  "main");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.return_value.AsInt(), 1);
}

TEST(CollectionsTest, CollectionSizeIsLimited) {
  const std::string body = "loadk n " + std::to_string(kCollectionEntriesMax + 1) + R"(
loop:
  lpush l i
  addi i i 1
  jlt i n loop
  ret i)";
  ExecutionResult result = RunAsm(Main("int", "l:list i:int n:int", body), "main");
  EXPECT_EQ(result.trap, TrapCode::kLimitExceeded);
}

TEST(CollectionsTest, NestingDepthIsLimited) {
  // l = [l] repeatedly: depth grows by one per iteration.
  ExecutionResult result = RunAsm(Main("int", "l:list m:list i:int n:int", R"(
  loadi n 100
loop:
  lnew m
  lpush m l
  move l m
  addi i i 1
  jlt i n loop
  ret i)"),
                                  "main");
  EXPECT_EQ(result.trap, TrapCode::kLimitExceeded);
}

TEST(CollectionsTest, SharedSubvaluesCountTowardTheNodeLimit) {
  // l = [l, l] doubles the logical size each step, though memory stays small.
  ExecutionResult result = RunAsm(Main("int", "l:list m:list i:int n:int", R"(
  loadi n 15
loop:
  lnew m
  lpush m l
  lpush m l
  move l m
  addi i i 1
  jlt i n loop
  ret i)"),
                                  "main");
  EXPECT_EQ(result.trap, TrapCode::kLimitExceeded);
}

TEST(CollectionsTest, RecordsHaveNamedFields) {
  ExecutionResult result = RunAsm(R"(
.shape visit subject site fee
.func main -> record
.reg r:record s:string t:string f:money n:int
  loadk s "1001"
  loadk t "site-7"
  loadk f USD:25000
  recnew r visit s
  loadk f USD:30000
  recset r 2 f
  ret r
.end
.entry main main
)",
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  const Value& record = result.return_value;
  ASSERT_EQ(record.type(), Type::kRecord);
  EXPECT_EQ(record.RecordField("site")->AsString(), "site-7");
  EXPECT_EQ(*record.RecordField("fee"), *Value::MakeMoney("USD", 30000));
}

TEST(CollectionsTest, RecordFieldAccessChecksIndexAndType) {
  constexpr std::string_view kText = R"(
.shape pair a b
.func main -> int
.reg r:record x:int y:int z:string
  recnew r pair x
  recget z r 0
  ret x
.end
.entry main main
)";
  EXPECT_EQ(RunAsm(kText, "main").trap, TrapCode::kTypeError);
  EXPECT_EQ(RunAsm(Main("int", "r:record x:int", "recget x r 0\nret x"), "main").trap,
            TrapCode::kIndexOutOfRange);
}

TEST(CollectionsTest, GenericEqualityAndOrder) {
  ExecutionResult result = RunAsm(Main("bool", "a:string b:string c:bool d:bool", R"(
  loadk a "abc"
  loadk b "abd"
  ltv c a b
  eqv d a b
  not d d
  and c c d
  ret c)"),
                                  "main");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.return_value.AsBool());
}

TEST(CollectionsTest, StringsAreBounded) {
  const std::string body = "loadk s \"" + std::string(1024, 'x') + R"("
  loadi n 20
loop:
  scat s s s
  addi i i 1
  jlt i n loop
  ret i)";
  EXPECT_EQ(RunAsm(Main("int", "s:string i:int n:int", body), "main").trap,
            TrapCode::kLimitExceeded);
}

}  // namespace
}  // namespace tl::vm

namespace tl::vm {
namespace {

// Copy-on-write must not let a cheap instruction copy a big collection for free: each copy
// pays per element, so a loop that keeps copying a 4000-element list runs out of gas quickly.
TEST(CollectionsGasTest, CopyingASharedCollectionPaysPerElement) {
  const std::string text = test::Main("int", "a:list b:list i:int n:int x:int", R"(
  loadi n 4000
fill:
  lpush a i
  addi i i 1
  jlt i n fill
  loadi i 0
copy:
  move b a
  lpush b x
  addi i i 1
  jlt i n copy
  ret i)");
  ExecutionResult result = test::RunAsm(text, "main", {}, nullptr, 1'000'000);
  EXPECT_EQ(result.trap, TrapCode::kOutOfGas);
}

TEST(CollectionsGasTest, DeepEqualityPaysForTheBytesItCompares) {
  // Two distinct 8 KiB strings that differ only at the end.
  const std::string body = "loadk a \"" + std::string(8191, 'x') + "a\"\nloadk b \"" +
                           std::string(8191, 'x') + "b\"\neqv c a b\nret c";
  ExecutionResult result =
      test::RunAsm(test::Main("bool", "a:string b:string c:bool", body), "main");
  ASSERT_TRUE(result.ok());
  EXPECT_GE(result.gas_used, 1024);
}

}  // namespace
}  // namespace tl::vm
