// Map lookups against a reference: MAPGET, MAPHAS, MAPPUT and MAPDEL on maps whose int keys
// take the windowed search of value_ops.cc (dense, offset, sparse runs, the int64 extremes) and
// on maps whose keys mix types, checked against a linear scan of the same entries. Iteration
// order and gas are pinned separately by programs/map_edges.tlasm.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "test_util.h"

namespace tl::vm {
namespace {

using test::RunAsm;

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

constexpr std::string_view kLookups = R"(
.func has m:map k:int -> bool
.reg t:bool
  maphas t m k
  ret t
.end
.func get m:map k:int -> int
.reg v:int
  mapget v m k
  ret v
.end
.func put_then_get m:map k:int -> int
.reg v:int w:int
  loadi w 77
  mapput m k w
  mapget v m k
  ret v
.end
.func del_then_has m:map k:int -> bool
.reg t:bool
  mapdel m k
  maphas t m k
  ret t
.end
.entry has has
.entry get get
.entry put_then_get put_then_get
.entry del_then_has del_then_has
)";

Value IntMap(const std::vector<int64_t>& keys) {
  std::vector<std::pair<Value, Value>> entries;
  for (int64_t key : keys)
    entries.emplace_back(Value::MakeInt(key), Value::MakeInt(key / 2 + 1));
  return *Value::MakeMap(std::move(entries));
}

// The value under `key` by linear scan, or nullptr.
const Value* Scan(const Value& map, const Value& key) {
  for (const auto& [k, v] : map.MapEntries()) {
    if (CompareValues(k, key) == 0) return &v;
  }
  return nullptr;
}

// Every key, its neighbours and the extremes, probed through all four instructions.
void ExpectLookupsMatchScan(const Value& map) {
  std::vector<int64_t> probes = {kMin, kMin + 1, -1, 0, 1, kMax - 1, kMax};
  for (const auto& [key, value] : map.MapEntries()) {
    if (key.type() != Type::kInt) continue;
    for (int64_t delta : {-1, 0, 1}) {
      int64_t probe;
      if (!__builtin_add_overflow(key.AsInt(), delta, &probe)) probes.push_back(probe);
    }
  }
  const size_t size = map.MapEntries().size();
  for (int64_t probe : probes) {
    const Value key = Value::MakeInt(probe);
    const Value* expected = Scan(map, key);
    SCOPED_TRACE("key " + std::to_string(probe) + " in " + map.DebugString().substr(0, 80));
    ExecutionResult has = RunAsm(kLookups, "has", {map, key});
    ASSERT_TRUE(has.ok()) << has.message;
    EXPECT_EQ(has.return_value.AsBool(), expected != nullptr);
    ExecutionResult get = RunAsm(kLookups, "get", {map, key});
    if (expected == nullptr) {
      EXPECT_EQ(get.trap, TrapCode::kKeyNotFound);
      EXPECT_EQ(get.message, "key " + std::to_string(probe) + " not in map");
    } else if (expected->type() == Type::kInt) {
      ASSERT_TRUE(get.ok()) << get.message;
      EXPECT_EQ(get.return_value, *expected);
    } else {
      EXPECT_EQ(get.trap, TrapCode::kTypeError);
    }
    ExecutionResult put = RunAsm(kLookups, "put_then_get", {map, key});
    ASSERT_TRUE(put.ok()) << put.message;
    EXPECT_EQ(put.return_value.AsInt(), 77);
    ExecutionResult del = RunAsm(kLookups, "del_then_has", {map, key});
    ASSERT_TRUE(del.ok()) << del.message;
    EXPECT_FALSE(del.return_value.AsBool());
  }
  EXPECT_EQ(map.MapEntries().size(), size) << "a run changed the caller's map";
}

TEST(MapLookupTest, DenseRunsOfIntKeys) {
  std::vector<int64_t> from_zero, offset, negative;
  for (int64_t i = 0; i < 100; ++i) {
    from_zero.push_back(i);
    offset.push_back(1000 + i);
    negative.push_back(i - 50);
  }
  ExpectLookupsMatchScan(IntMap(from_zero));
  ExpectLookupsMatchScan(IntMap(offset));
  ExpectLookupsMatchScan(IntMap(negative));
  ExpectLookupsMatchScan(IntMap({42}));
}

TEST(MapLookupTest, RunsWithGapsAndSparseKeys) {
  std::vector<int64_t> one_gap, sparse, clustered;
  for (int64_t i = 0; i < 64; ++i) {
    if (i != 17) one_gap.push_back(i);
    sparse.push_back(i * 7 - 200);
    clustered.push_back(i < 32 ? i : 1'000'000 + i);
  }
  ExpectLookupsMatchScan(IntMap(one_gap));
  ExpectLookupsMatchScan(IntMap(sparse));
  ExpectLookupsMatchScan(IntMap(clustered));
}

TEST(MapLookupTest, KeysAtTheInt64Extremes) {
  // The key range here is wider than int64: the window arithmetic must not wrap.
  ExpectLookupsMatchScan(IntMap({kMin, kMax}));
  ExpectLookupsMatchScan(IntMap({kMin, -1, 0, 1, kMax}));
  ExpectLookupsMatchScan(IntMap({kMin, kMin + 1, kMin + 2}));
  ExpectLookupsMatchScan(IntMap({kMax - 2, kMax - 1, kMax}));
  ExpectLookupsMatchScan(IntMap({kMin, kMax - 1, kMax}));
}

TEST(MapLookupTest, KeysOfMixedTypes) {
  // Types order first (bool < int < time < string), so the ints sit between other keys.
  std::vector<std::pair<Value, Value>> entries;
  entries.emplace_back(Value::MakeBool(true), Value::MakeInt(1));
  entries.emplace_back(*Value::MakeString("b"), Value::MakeInt(2));
  entries.emplace_back(Value::MakeTime(5), Value::MakeInt(3));
  for (int64_t i = 0; i < 10; ++i)
    entries.emplace_back(Value::MakeInt(i * 2), Value::MakeInt(i));
  entries.emplace_back(Value::MakeInt(3), *Value::MakeString("three"));
  const Value mixed = *Value::MakeMap(entries);
  ExpectLookupsMatchScan(mixed);
  // A time key equal in bits to an int key is a different key.
  ExecutionResult has = RunAsm(kLookups, "has", {mixed, Value::MakeInt(5)});
  ASSERT_TRUE(has.ok());
  EXPECT_FALSE(has.return_value.AsBool());

  std::vector<std::pair<Value, Value>> int_then_text = {
      {Value::MakeInt(0), Value::MakeInt(0)}, {*Value::MakeString("z"), Value::MakeInt(1)}};
  ExpectLookupsMatchScan(*Value::MakeMap(int_then_text));
}

TEST(MapLookupTest, PutKeepsKeysAscendingAndDeleteClosesTheGap) {
  ExecutionResult result = RunAsm(R"(
.func main -> map
.reg m:map k:int v:int
  loadk k 9223372036854775807
  mapput m k k
  loadk k -9223372036854775808
  mapput m k k
  loadi k 5
  mapput m k k
  loadi k 3
  mapput m k k
  loadi k 4
  mapput m k k
  loadi v -4
  mapput m k v
  loadi k 3
  mapdel m k
  loadi k 6
  mapdel m k
  ret m
.end
.entry main main
)",
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  const Value expected = *Value::MakeMap({{Value::MakeInt(kMin), Value::MakeInt(kMin)},
                                          {Value::MakeInt(4), Value::MakeInt(-4)},
                                          {Value::MakeInt(5), Value::MakeInt(5)},
                                          {Value::MakeInt(kMax), Value::MakeInt(kMax)}});
  EXPECT_EQ(result.return_value, expected) << result.return_value.DebugString();
  std::vector<int64_t> keys;
  for (const auto& [key, value] : result.return_value.MapEntries())
    keys.push_back(key.AsInt());
  EXPECT_EQ(keys, (std::vector<int64_t>{kMin, 4, 5, kMax}));
}

}  // namespace
}  // namespace tl::vm
