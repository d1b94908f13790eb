#include <gtest/gtest.h>

#include "test_util.h"
#include "trialledger/vm/value_codec.h"

namespace tl::vm {
namespace {

using test::Load;
using test::Main;
using test::RunAsm;

// Counts visits per subject in storage and emits an event per visit; aborts on the third.
constexpr std::string_view kVisits = R"(
.shape visit subject count
.func record_visit -> int
.reg p:bytes key:bytes subject:string count:int zero:int limit:int ev:record msg:string
  payload p
  decode subject p
  stob key subject
  sget count key zero
  addi count count 1
  sput key count
  recnew ev visit subject
  emit "visit_recorded" ev
  loadi limit 3
  jlt count limit ok
  loadk msg "third visit needs a protocol deviation"
  abort msg
ok:
  ret count
.end
.entry record_visit record_visit
)";

ExecutionResult RunVisit(const Program& program, MemoryHost& host, std::string_view subject) {
  host.payload = EncodeValue(*Value::MakeString(subject));
  absl::StatusOr<ExecutionResult> result = Execute(program, "record_visit", {}, host);
  EXPECT_TRUE(result.ok()) << result.status();
  return *std::move(result);
}

TEST(HostTest, StorageWritesCommitOnSuccess) {
  std::shared_ptr<const Program> program = Load(kVisits);
  MemoryHost host;
  ExecutionResult first = RunVisit(*program, host, "1001");
  ASSERT_TRUE(first.ok()) << first.message;
  EXPECT_EQ(first.return_value.AsInt(), 1);
  ASSERT_EQ(first.writes.size(), 1u);
  EXPECT_EQ(first.writes[0].key, "1001");
  EXPECT_EQ(host.storage.at("1001"), EncodeValue(Value::MakeInt(1)));
  EXPECT_EQ(RunVisit(*program, host, "1001").return_value.AsInt(), 2);
  EXPECT_EQ(RunVisit(*program, host, "1002").return_value.AsInt(), 1);
  EXPECT_EQ(host.commit_count, 3);
}

TEST(HostTest, ATrapLeavesNoStateChangeAndNoEvents) {
  std::shared_ptr<const Program> program = Load(kVisits);
  MemoryHost host;
  RunVisit(*program, host, "1001");
  RunVisit(*program, host, "1001");
  const auto storage_before = host.storage;
  ExecutionResult third = RunVisit(*program, host, "1001");
  EXPECT_EQ(third.trap, TrapCode::kAborted);
  EXPECT_EQ(third.message, "third visit needs a protocol deviation");
  EXPECT_TRUE(third.events.empty());
  EXPECT_TRUE(third.writes.empty());
  EXPECT_EQ(host.storage, storage_before);
  EXPECT_EQ(host.commit_count, 2);
}

TEST(HostTest, EventsAreTypedAndHashed) {
  std::shared_ptr<const Program> program = Load(kVisits);
  MemoryHost host_a, host_b;
  ExecutionResult a = RunVisit(*program, host_a, "1001");
  ExecutionResult b = RunVisit(*program, host_b, "1001");
  ASSERT_EQ(a.events.size(), 1u);
  EXPECT_EQ(a.events[0].name, "visit_recorded");
  EXPECT_EQ(a.events[0].fields.RecordField("subject")->AsString(), "1001");
  EXPECT_EQ(a.events[0].fields.RecordField("count")->AsInt(), 1);
  EXPECT_EQ(a.events_hash, b.events_hash);
  ExecutionResult c = RunVisit(*program, host_b, "1001");
  EXPECT_NE(a.events_hash, c.events_hash);
  // The hash of no events is BLAKE2b-256 of the empty string.
  ExecutionResult trapped = RunVisit(*program, host_b, "1001");
  EXPECT_EQ(HashHex(trapped.events_hash),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST(HostTest, ReadsSeeTheRunsOwnWritesFirst) {
  ExecutionResult result = RunAsm(Main("int", "k:bytes v:int d:int", R"(
  loadk k "x"
  loadi v 5
  sput k v
  loadi d -1
  sget v k d
  sdel k
  sget d k d
  add v v d
  ret v)"),
                                  "main");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.return_value.AsInt(), 4);  // 5 + the default -1 after the delete
  ASSERT_EQ(result.writes.size(), 1u);
  EXPECT_FALSE(result.writes[0].value.has_value());
}

TEST(HostTest, StoredValueOfAnotherTypeIsATypeError) {
  MemoryHost host;
  host.storage["k"] = EncodeValue(*Value::MakeString("text"));
  EXPECT_EQ(
      RunAsm(Main("int", "k:bytes v:int", "loadk k \"k\"\nsget v k v\nret v"), "main", {}, &host)
          .trap,
      TrapCode::kTypeError);
}

TEST(HostTest, RequireRoleAndParty) {
  const std::string text = Main("none", "role:string org:string", R"(
  loadk role "finance"
  reqrole role
  loadk org "sponsor"
  reqparty org
  retv)");
  MemoryHost host;
  host.caller_organisation = "sponsor";
  ExecutionResult no_role = RunAsm(text, "main", {}, &host);
  EXPECT_EQ(no_role.trap, TrapCode::kRequireFailed);
  EXPECT_EQ(no_role.message, "caller lacks role 'finance'");
  host.roles = {"finance"};
  EXPECT_TRUE(RunAsm(text, "main", {}, &host).ok());
  host.caller_organisation = "cro";
  ExecutionResult wrong_party = RunAsm(text, "main", {}, &host);
  EXPECT_EQ(wrong_party.trap, TrapCode::kRequireFailed);
  EXPECT_EQ(wrong_party.message, "caller's organisation 'cro' is not 'sponsor'");
}

TEST(HostTest, BlockAndCallerFacts) {
  MemoryHost host;
  host.block_height = 77;
  host.block_time_ms = 1'790'000'000'000;
  host.caller_key = std::string("\x01\x02\x03", 3);
  host.caller_organisation = "cro";
  host.roles = {"clinops"};
  ExecutionResult result =
      RunAsm(Main("list", "l:list h:int t:time k:bytes o:string r:string b:bool", R"(
  height h
  lpush l h
  btime t
  lpush l t
  caller k
  lpush l k
  corg o
  lpush l o
  loadk r "clinops"
  hasrole b r
  lpush l b
  ret l)"),
             "main", {}, &host);
  ASSERT_TRUE(result.ok()) << result.message;
  const auto items = result.return_value.ListItems();
  EXPECT_EQ(items[0].AsInt(), 77);
  EXPECT_EQ(items[1].AsTimeMs(), 1'790'000'000'000);
  EXPECT_EQ(items[2].AsString(), std::string("\x01\x02\x03", 3));
  EXPECT_EQ(items[3].AsString(), "cro");
  EXPECT_TRUE(items[4].AsBool());
}

TEST(HostTest, UndecodablePayloadIsAnInvalidValue) {
  MemoryHost host;
  host.payload = "\xff garbage";
  EXPECT_EQ(
      RunAsm(Main("string", "p:bytes s:string", "payload p\ndecode s p\nret s"), "main", {}, &host)
          .trap,
      TrapCode::kInvalidValue);
}

class FailingHost : public MemoryHost {
 public:
  absl::StatusOr<std::optional<std::string>> StorageGet(std::string_view) override {
    return absl::UnavailableError("disk read failed");
  }
};

TEST(HostTest, HostFailureIsAStatusNotATrap) {
  std::shared_ptr<const Program> program = Load(Main("int", "k:bytes v:int", "sget v k v\nret v"));
  FailingHost host;
  absl::StatusOr<ExecutionResult> result = Execute(*program, "main", {}, host);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
}

TEST(HostTest, EventCountIsLimited) {
  ExecutionResult result = RunAsm(R"(
.shape empty
.func main -> none
.reg r:record i:int n:int
  recnew r empty i
  loadi n 1000
loop:
  emit "tick" r
  addi i i 1
  jlt i n loop
  retv
.end
.entry main main
)",
                                  "main");
  EXPECT_EQ(result.trap, TrapCode::kLimitExceeded);
}

}  // namespace
}  // namespace tl::vm
