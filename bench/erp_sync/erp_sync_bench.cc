// erp_sync_bench: entries per second from the journal stream into a PostgreSQL GL table through
// PostgresGlSink (what `erp sync` runs), with one database transaction per entry and per 500
// entries, beside `psql \copy` of the same rows into the same schema in the same run: the ratio
// to \copy is the figure (README.md, "Measured"). Starts a one-node network and a throwaway
// PostgreSQL 15 server of its own; prints a table and one JSON line. Never run by ctest.
//
//   build/bin/erp_sync_bench [--entries 5000] [--runs 3]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cost_facts.h"
#include "local_network.h"
#include "mobilisation_sow.h"
#include "postgres_server.h"
#include "trialledger/erp/postgres_gl_sink.h"
#include "trialledger/sdk/journal_subscriber.h"

namespace tl {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kBook[] = "northwind-cro";
constexpr int kFactsPerSubmit = 250;

[[noreturn]] void Die(const std::string& why) {
  std::cerr << "erp_sync_bench: " << why << "\n";
  std::exit(1);
}

void MustRun(testing::LocalNetwork& network, const std::string& member,
             std::vector<std::string> args) {
  args.insert(args.begin(), {"--key", network.member_key_path(member)});
  testing::CommandResult result = network.Cli(0, args);
  if (result.exit_code != 0) Die("trialledger " + args[2] + ": " + result.err);
}

// The mobilisation contract and `entries` cost facts: one revenue entry each, plus the billing.
uint64_t PostEntries(testing::LocalNetwork& network, const std::string& dir, int entries) {
  const std::string sow = dir + "/mob.sow";
  std::ofstream(sow) << testing::kMobilisationSow;
  MustRun(network, "northwind-cro-finance",
          {"contract", "propose", sow, "--id", "mob", "--effective", "2026-11-02"});
  MustRun(network, "acme-bio-finance", {"contract", "accept", "mob"});
  for (int first = 1; first <= entries; first += kFactsPerSubmit) {
    const std::string file = dir + "/costs-" + std::to_string(first) + ".json";
    std::ofstream(file) << testing::CostFactsJson(
        "mob", first, std::min(kFactsPerSubmit, entries - first + 1), first == 1, "USD 10.00");
    MustRun(network, "northwind-cro-cost",
            {"facts", "submit", "--contract", "mob", "--file", file});
  }
  ClientOptions options = network.client_options();
  options.member = network.member_key("northwind-cro-finance").keys;
  v1::GetBookRequest request;
  request.set_book(kBook);
  absl::StatusOr<v1::GetBookResponse> book =
      LedgerClient::Connect(network.address(0), options)->GetBook(request);
  if (!book.ok()) Die(std::string(book.status().message()));
  return book->book().entry_count();
}

struct SyncRun {
  double seconds = 0;
  uint64_t entries = 0, lines = 0;
};

// Streams the whole book into a fresh `table` with `batch` entries a transaction.
SyncRun Sync(testing::LocalNetwork& network, const testing::PostgresServer& postgres,
             const std::string& table, size_t batch, uint64_t entries) {
  NetworkOptions options;
  options.client = network.client_options();
  options.client.member = network.member_key("northwind-cro-finance").keys;
  std::unique_ptr<NetworkClient> client = *NetworkClient::Connect({network.address(0)}, options);
  v1::BookRecord record;
  record.set_book(kBook);
  erp::PostgresGlSink sink(postgres.uri(), table, record);
  if (absl::StatusOr<std::string> ready = sink.LoadCursor(); !ready.ok()) {
    Die(std::string(ready.status().message()));
  }
  SubscriberOptions follow;
  follow.book = kBook;
  follow.batch_max = batch;
  follow.retry.give_up_after_ms = 10000;
  follow.stop = [&] { return sink.entry_seq() >= entries; };
  // The adapter's own setting: a part batch waits this long for more before it is written, which
  // the last batch of the history pays once (so --entries should be large against it).
  follow.flush_after_ms = SubscriberOptions().flush_after_ms;
  const Clock::time_point start = Clock::now();
  absl::Status ended = FollowJournal(*client, sink, follow);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!ended.ok()) Die(std::string(ended.message()));
  return {seconds, sink.entries_written(), sink.lines_written()};
}

// `psql \copy` of `from`'s rows (as CSV) into a new table of the same schema, timed alone.
double PsqlCopy(const testing::PostgresServer& postgres, const std::string& dir,
                const std::string& from, const std::string& into) {
  const std::string csv = dir + "/" + from + ".csv";
  const std::string psql = testing::PostgresServer::BinDir() + "/psql";
  const std::string columns =
      "book, idempotency_key, line_number, entry_id, entry_seq, entry_kind, contract_id, "
      "accounting_date, posting_period, account, erp_account, currency_code, entered_dr, "
      "entered_cr, memo, payee, invoice_id, source_tx_id, block_height";
  testing::CommandResult out = testing::RunCommand(
      {psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", postgres.uri(), "-c",
       "\\copy (SELECT " + columns + " FROM " + from + " ORDER BY line_id) TO '" + csv + "' CSV"});
  if (out.exit_code != 0) Die("psql \\copy out: " + out.err);
  postgres.Query("CREATE TABLE " + into + " (LIKE " + from + " INCLUDING ALL)");
  const Clock::time_point start = Clock::now();
  testing::CommandResult in =
      testing::RunCommand({psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", postgres.uri(), "-c",
                           "\\copy " + into + " (" + columns + ") FROM '" + csv + "' CSV"});
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (in.exit_code != 0) Die("psql \\copy in: " + in.err);
  return seconds;
}

int Main(int argc, char** argv) {
  int entries = 5000, runs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--entries") == 0)
      entries = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--runs") == 0)
      runs = std::atoi(argv[i + 1]);
    else
      Die(std::string("unknown flag ") + argv[i]);
  }
  if (entries < 1 || runs < 1) Die("--entries and --runs must be at least 1");
  // trialledgerd and trialledger sit beside this binary (ctest sets TL_BIN_DIR for the tests).
  if (std::getenv("TL_BIN_DIR") == nullptr) {
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    ::setenv("TL_BIN_DIR", self.substr(0, self.rfind('/')).c_str(), 0);
  }
  testing::PostgresServer postgres;
  if (!postgres.ok()) Die(postgres.error());
  testing::LocalNetwork network(1);
  network.StartAll();
  if (network.AwaitLeader() < 0) Die("no leader");
  testing::TempDir dir;
  std::cerr << "posting " << entries << " entries...\n";
  const uint64_t book_entries = PostEntries(network, dir.path(), entries);

  // Best of `runs` for each, alternating, each into a fresh table.
  double best_1 = 1e9, best_500 = 1e9, best_copy = 1e9;
  uint64_t lines = 0;
  for (int run = 0; run < runs; ++run) {
    const std::string suffix = std::to_string(run);
    SyncRun one = Sync(network, postgres, "gl_b1_" + suffix, 1, book_entries);
    SyncRun five_hundred = Sync(network, postgres, "gl_b500_" + suffix, 500, book_entries);
    if (one.entries != book_entries || five_hundred.entries != book_entries) {
      Die("MISMATCH: a sync wrote a different number of entries than the book holds");
    }
    lines = five_hundred.lines;
    const double copy = PsqlCopy(postgres, dir.path(), "gl_b500_" + suffix, "gl_copy_" + suffix);
    best_1 = std::min(best_1, one.seconds);
    best_500 = std::min(best_500, five_hundred.seconds);
    best_copy = std::min(best_copy, copy);
  }
  const double rate_1 = book_entries / best_1, rate_500 = book_entries / best_500,
               rate_copy = book_entries / best_copy;
  std::printf("%llu entries (%llu lines), best of %d\n",
              static_cast<unsigned long long>(book_entries), static_cast<unsigned long long>(lines),
              runs);
  std::printf("%-34s %12s %10s %10s\n", "", "entries/s", "seconds", "vs \\copy");
  std::printf("%-34s %12.0f %10.3f %10.3f\n", "stream -> postgres, 1 a commit", rate_1, best_1,
              rate_1 / rate_copy);
  std::printf("%-34s %12.0f %10.3f %10.3f\n", "stream -> postgres, 500 a commit", rate_500,
              best_500, rate_500 / rate_copy);
  std::printf("%-34s %12.0f %10.3f %10s\n", "psql \\copy of the same rows", rate_copy, best_copy,
              "1.000");
  nlohmann::json line = {{"entries", book_entries},
                         {"lines", lines},
                         {"batch_1_entries_per_s", rate_1},
                         {"batch_500_entries_per_s", rate_500},
                         {"copy_entries_per_s", rate_copy},
                         {"batch_1_ratio", rate_1 / rate_copy},
                         {"batch_500_ratio", rate_500 / rate_copy}};
  std::printf("%s\n", line.dump().c_str());
  return 0;
}

}  // namespace
}  // namespace tl

int main(int argc, char** argv) {
  return tl::Main(argc, argv);
}
