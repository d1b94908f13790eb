// `erp sync` against a real PostgreSQL server (postgresql-15, started by the test) and a running
// three-node network (docs/erp.md): however often the adapter is killed, the database restarted
// or the leader lost, the GL table ends equal to the book, line for line and in order; a member
// who may not read the book can neither sync nor export it.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <random>
#include <thread>

#include "cost_facts.h"
#include "mobilisation_sow.h"
#include "network_test.h"
#include "postgres_server.h"

namespace tl {
namespace {

using nlohmann::json;
using testing::ChildProcess;
using testing::CommandResult;

constexpr char kCroFinance[] = "northwind-cro-finance";
constexpr char kBook[] = "northwind-cro";

// Minor units of USD as PostgreSQL prints a numeric written with two decimals.
std::string Usd(int64_t minor) {
  char text[32];
  std::snprintf(text, sizeof text, "%" PRId64 ".%02" PRId64, minor / 100, minor % 100);
  return text;
}

class ErpSyncTest : public testing::NetworkTest {
 protected:
  static void SetUpTestSuite() {
    SetUpNetwork("sponsor:acme-bio,cro:northwind-cro,auditor:ledger-audit");
    postgres_ = new testing::PostgresServer();
  }
  static void TearDownTestSuite() {
    delete postgres_;
    postgres_ = nullptr;
    NetworkTest::TearDownTestSuite();
  }
  void SetUp() override {
    ASSERT_TRUE(postgres_->ok()) << postgres_->error();
    if (!contract_ready_) {
      const std::string sow = WriteFile("mob.sow", testing::kMobilisationSow);
      ASSERT_EQ(RunJson(kCroFinance, {"contract", "propose", sow, "--id", "mob", "--effective",
                                      "2026-11-02"})["result"],
                "ok");
      ASSERT_EQ(RunJson("acme-bio-finance", {"contract", "accept", "mob"})["result"], "ok");
      PostCosts(1, false);  // the estimate at completion, and a first cost
      contract_ready_ = true;
    }
  }

  // Submits `count` cost facts of USD 100.00 (so the estimate lasts), through node `node`.
  void PostCosts(int count, bool quiet, int node = 0) {
    const bool first = next_fact_ == 1;
    const std::string file =
        WriteFile("costs-" + std::to_string(next_fact_) + ".json",
                  testing::CostFactsJson("mob", next_fact_, count, first, "USD 100.00"));
    next_fact_ += count;
    CommandResult result =
        Run("northwind-cro-cost", {"facts", "submit", "--contract", "mob", "--file", file}, node);
    if (!quiet) {
      EXPECT_EQ(result.exit_code, 0) << result.err;
    }
  }

  // `erp sync` as the CRO's finance member, streaming from `first` and then any node.
  std::vector<std::string> SyncArgs(const std::string& table, int first, size_t batch,
                                    const std::string& member = kCroFinance) {
    std::vector<std::string> args = network_->CliArgs(first);
    std::string nodes = network_->address(first);
    for (int i = 0; i < network_->size(); ++i) {
      if (i != first) nodes += "," + network_->address(i);
    }
    args.insert(args.end(), {"--key", network_->member_key_path(member), "erp", "sync", "--book",
                             kBook, "--postgres", postgres_->uri(), "--table", table, "--batch",
                             std::to_string(batch), "--nodes", nodes});
    return args;
  }

  // The book's lines in order, from the ledger: "key|line|account|dr|cr".
  std::vector<std::string> BookLines(int node = 0) {
    std::vector<std::string> lines;
    v1::ListJournalRequest request;
    request.set_book(kBook);
    request.set_limit(1000);
    ClientOptions options = network_->client_options();
    options.member = network_->member_key(kCroFinance).keys;
    std::unique_ptr<LedgerClient> client = LedgerClient::Connect(network_->address(node), options);
    while (true) {
      absl::StatusOr<v1::ListJournalResponse> page = client->ListJournal(request);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) return lines;
      for (const v1::JournalEntry& entry : page->entries()) {
        int number = 0;
        for (const v1::JournalLine& line : entry.lines()) {
          lines.push_back(entry.idempotency_key() + "|" + std::to_string(++number) + "|" +
                          line.account() + "|" + Usd(line.debit_minor()) + "|" +
                          Usd(line.credit_minor()));
        }
      }
      if (page->next_seq() == 0) return lines;
      request.set_from_seq(page->next_seq());
    }
  }
  bool TableExists(const std::string& table) {
    return !postgres_->Query("SELECT to_regclass('" + table + "')::text")[0][0].empty();
  }
  // The table's lines in the order they were written (none before the adapter created it).
  std::vector<std::string> TableLines(const std::string& table) {
    std::vector<std::string> lines;
    if (!TableExists(table)) return lines;
    for (const auto& row : postgres_->Query("SELECT idempotency_key, line_number, account, "
                                            "entered_dr, entered_cr FROM " +
                                            table + " ORDER BY line_id")) {
      lines.push_back(row[0] + "|" + row[1] + "|" + row[2] + "|" + row[3] + "|" + row[4]);
    }
    return lines;
  }
  size_t TableSize(const std::string& table) {
    if (!TableExists(table)) return 0;
    auto rows = postgres_->Query("SELECT count(*) FROM " + table);
    return rows.empty() ? 0 : std::stoul(rows[0][0]);
  }
  // Waits until the table holds every line of the book (as node 0 has it) or `timeout_s` passes.
  bool AwaitTableEqualsBook(const std::string& table, int timeout_s = 60) {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    while (std::chrono::steady_clock::now() < give_up) {
      AwaitSameHead();
      if (TableLines(table) == BookLines()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }
  void ExpectTableEqualsBook(const std::string& table) {
    AwaitSameHead();
    std::vector<std::string> book = BookLines();
    std::vector<std::string> rows = TableLines(table);
    ASSERT_FALSE(book.empty());
    ASSERT_EQ(rows.size(), book.size()) << "lines in the table against the book";
    for (size_t i = 0; i < book.size(); ++i)
      ASSERT_EQ(rows[i], book[i]) << "line " << i;
    auto cursor = postgres_->Query("SELECT entries, lines FROM " + table +
                                   "_cursor WHERE book = 'northwind-cro'");
    ASSERT_EQ(cursor.size(), 1u);
    EXPECT_EQ(cursor[0][1], std::to_string(book.size()));
  }
  std::string AdapterLog(const std::string& name) { return dir_.Sub(name + ".log"); }

  static inline testing::PostgresServer* postgres_ = nullptr;
  static inline bool contract_ready_ = false;
  static inline int next_fact_ = 1;
};

TEST_F(ErpSyncTest, KilledTwentyTimesWhileTheLedgerPostsTheTableEqualsTheBook) {
  const std::string table = "gl_kills";
  std::atomic<bool> posting{true};
  std::thread poster([&] {
    while (posting)
      PostCosts(3, /*quiet=*/true);
  });
  // The seed is fixed so that a failure can be run again as it was.
  std::mt19937 random(20261203);
  std::uniform_int_distribution<int> lifetime_ms(100, 900);
  const size_t batches[] = {1, 7, 500};
  size_t seen_before = 0;
  for (int kill = 0; kill < 20; ++kill) {
    ChildProcess adapter(SyncArgs(table, kill % network_->size(), batches[kill % 3]),
                         AdapterLog("kills"));
    std::this_thread::sleep_for(std::chrono::milliseconds(lifetime_ms(random)));
    adapter.Signal(SIGKILL);
    EXPECT_EQ(adapter.Wait(), 128 + SIGKILL);
  }
  seen_before = TableSize(table);
  posting = false;
  poster.join();
  // The killed adapters wrote most of it: the last run only catches up.
  EXPECT_GT(seen_before, 0u) << testing::ReadFile(AdapterLog("kills"));
  std::cout << "after 20 kills the table held " << seen_before << " lines; the book "
            << BookLines().size() << "\n";

  std::vector<std::string> last = SyncArgs(table, 0, 500);
  last.push_back("--until-caught-up");
  CommandResult caught_up = testing::RunCommand(last);
  ASSERT_EQ(caught_up.exit_code, 0) << caught_up.err;
  ExpectTableEqualsBook(table);
}

TEST_F(ErpSyncTest, ReconnectsWhenPostgresRestartsAndFollowsANewLeader) {
  const std::string table = "gl_restarts";
  const int leader = network_->AwaitLeader();
  ASSERT_GE(leader, 0);
  ChildProcess adapter(SyncArgs(table, leader, 1), AdapterLog("restarts"));
  ASSERT_TRUE(AwaitTableEqualsBook(table)) << testing::ReadFile(AdapterLog("restarts"));

  // The database goes away as if its machine lost power; entries post meanwhile.
  ASSERT_TRUE(postgres_->Stop(/*immediate=*/true));
  PostCosts(4, false);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE(postgres_->Start()) << postgres_->log();
  EXPECT_TRUE(AwaitTableEqualsBook(table)) << testing::ReadFile(AdapterLog("restarts"));

  // The node it streams from, the leader, is killed; a new leader commits more.
  network_->Kill(leader);
  ASSERT_GE(network_->AwaitLeader(leader), 0);
  const int survivor = (leader + 1) % network_->size();
  PostCosts(5, false, survivor);
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::vector<std::string> book = BookLines(survivor);
  while (TableLines(table) != book && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(TableLines(table), book) << testing::ReadFile(AdapterLog("restarts"));
  adapter.Signal(SIGTERM);
  EXPECT_EQ(adapter.Wait(), 0);
  network_->Start(leader);
  ExpectTableEqualsBook(table);
  const std::string log = testing::ReadFile(AdapterLog("restarts"));
  EXPECT_NE(log.find("postgres: "), std::string::npos) << log;
  EXPECT_NE(log.find("trying again"), std::string::npos) << log;
}

TEST_F(ErpSyncTest, AnotherPartyOrAThirdOrganisationCannotSyncOrExportTheBook) {
  for (const std::string member :
       {"acme-bio-finance", "ledger-audit-auditor", "ledger-audit-admin"}) {
    CommandResult sync = testing::RunCommand(SyncArgs("gl_refused", 0, 1, member));
    ExpectRefused(sync, "permission_denied: member '" + member + "'");
    ExpectRefused(Run(member, {"journal", "export", "--book", kBook, "--format", "beancount"}),
                  "may not read book 'northwind-cro'");
    ExpectRefused(Run(member, {"journal", "follow", "--book", kBook}),
                  "may not read book 'northwind-cro'");
  }
  EXPECT_FALSE(TableExists("gl_refused")) << "a refused sync must not even create its table";
}

TEST_F(ErpSyncTest, ABadTableNameOrBatchIsRefusedBeforeAnythingIsWritten) {
  CommandResult bad_table = testing::RunCommand(SyncArgs("gl; DROP TABLE x", 0, 1));
  ExpectRefused(bad_table, "--table 'gl; DROP TABLE x': give a lower-case SQL name");
  CommandResult bad_batch = testing::RunCommand(SyncArgs("gl_batch", 0, 0));
  ExpectRefused(bad_batch, "--batch 0: give 1 to 10000");
  std::vector<std::string> unreachable = SyncArgs("gl_nowhere", 0, 1);
  for (size_t i = 0; i + 1 < unreachable.size(); ++i) {
    if (unreachable[i] == "--postgres") unreachable[i + 1] = "postgresql://tl@127.0.0.1:1/postgres";
  }
  // The database down at the start is waited for like any other outage: it must not exit.
  ChildProcess waiting(unreachable, AdapterLog("nowhere"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_TRUE(waiting.running());
  waiting.Signal(SIGTERM);
  EXPECT_EQ(waiting.Wait(), 0);
  EXPECT_NE(testing::ReadFile(AdapterLog("nowhere")).find("postgres: connecting"),
            std::string::npos);
}

}  // namespace
}  // namespace tl
