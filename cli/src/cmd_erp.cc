// `erp sync`: a book's journal into a PostgreSQL GL interface table, exactly once in effect
// (docs/erp.md): the journal stream from any of the nodes, each batch of entries and the cursor
// in one database transaction, reconnecting with backoff to both sides until stopped.
#include <csignal>
#include <iostream>

#include "commands.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/erp/postgres_gl_sink.h"
#include "trialledger/sdk/journal_subscriber.h"
#include "trialledger/sdk/limits.h"

namespace tl::cli {
namespace {

volatile std::sig_atomic_t stop_signal = 0;
extern "C" void OnStopSignal(int signal) {
  stop_signal = signal;
}

// Reads the book's record again at every (re)start, so lines written after a SetAccountMap carry
// the new ERP codes.
class RefreshingSink : public JournalSink {
 public:
  RefreshingSink(NetworkClient& network, erp::PostgresGlSink& sink, std::string book)
      : network_(network), sink_(sink), book_(std::move(book)) {}
  absl::StatusOr<std::string> LoadCursor() override {
    v1::GetBookRequest request;
    request.set_book(book_);
    absl::StatusOr<v1::GetBookResponse> found = network_.Call<v1::GetBookResponse>(
        [&](LedgerClient& node) { return node.GetBook(request); });
    if (!found.ok()) return found.status();
    sink_.set_book(found->book());
    return sink_.LoadCursor();
  }
  absl::Status Deliver(std::span<const v1::JournalStreamItem> items) override {
    return sink_.Deliver(items);
  }

 private:
  NetworkClient& network_;
  erp::PostgresGlSink& sink_;
  std::string book_;
};

struct SyncOptions {
  std::string book, postgres, table = erp::kGlTableDefault, nodes;
  size_t batch = limits::kJournalStreamBatchMax;
  bool until_caught_up = false;
};

void Sync(Context& context, const SyncOptions& options) {
  Context::Check(erp::ValidateGlTableName(options.table));
  if (options.batch == 0 || options.batch > limits::kErpSyncBatchMax) {
    throw CommandError{StrCat("--batch ", options.batch, ": give 1 to ", limits::kErpSyncBatchMax)};
  }
  NetworkOptions network_options;
  network_options.client = context.client_options();
  network_options.retry.give_up_after_ms = 0;  // an adapter outlives any node's restart
  std::unique_ptr<NetworkClient> network = Context::Check(NetworkClient::Connect(
      SplitAddresses(options.nodes.empty() ? context.node_address : options.nodes),
      network_options));
  // The first read says at once whether this member may read the book at all.
  v1::GetBookRequest request;
  request.set_book(options.book);
  v1::GetBookResponse book = Context::Check(network->Call<v1::GetBookResponse>(
      [&](LedgerClient& node) { return node.GetBook(request); }));
  const uint64_t caught_up_at = book.book().entry_count();

  erp::PostgresGlSink postgres(options.postgres, options.table, book.book());
  RefreshingSink sink(*network, postgres, options.book);
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  SubscriberOptions follow;
  follow.book = options.book;
  follow.batch_max = options.batch;
  follow.log = [](const std::string& line) { std::cerr << "erp sync: " << line << std::endl; };
  uint64_t logged = 0;
  follow.stop = [&] {
    if (postgres.entries_written() != logged) {
      logged = postgres.entries_written();
      std::cerr << "erp sync: book " << options.book << ": " << logged << " entries ("
                << postgres.lines_written() << " lines) written to " << options.table
                << ", through seq " << postgres.entry_seq() << std::endl;
    }
    return stop_signal != 0 || (options.until_caught_up && postgres.entry_seq() >= caught_up_at);
  };
  std::cerr << "erp sync: book " << options.book << " into " << options.table << " ("
            << caught_up_at << " entries in the book now)" << std::endl;
  Context::Check(FollowJournal(*network, sink, follow));
  std::cerr << "erp sync: stopped; the table holds book " << options.book << " through seq "
            << postgres.entry_seq() << std::endl;
}

}  // namespace

void AddErpCommands(CLI::App& app, Context& context) {
  CLI::App* erp = app.add_subcommand("erp", "Feed a book's journal to an ERP (docs/erp.md)");
  erp->require_subcommand(1);
  erp->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-finance.key erp sync --book acme-bio "
      "--postgres postgresql://tl@127.0.0.1:5432/erp");
  auto options = std::make_shared<SyncOptions>();
  CLI::App* sync = erp->add_subcommand(
      "sync",
      "Write a book's journal into a PostgreSQL GL interface table, exactly once, and go on as "
      "entries post; stops on SIGINT or SIGTERM");
  sync->add_option("--book", options->book, "the organisation whose book")->required();
  sync->add_option("--postgres", options->postgres,
                   "libpq connection URI: postgresql://user@host:port/db")
      ->required();
  sync->add_option("--table", options->table, "the GL interface table (its cursor: <T>_cursor)")
      ->capture_default_str();
  sync->add_option("--batch", options->batch, "entries written in one database transaction")
      ->capture_default_str();
  sync->add_option("--nodes", options->nodes,
                   "nodes to stream from, HOST:PORT,... (default: --node); a failed one is "
                   "skipped");
  sync->add_flag("--until-caught-up", options->until_caught_up,
                 "exit once the table holds every entry the book had when this started");
  sync->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key erp sync --book acme-bio "
      "--postgres postgresql://tl@127.0.0.1:5432/erp    # until SIGINT or SIGTERM\n"
      "  trialledger --key net/keys/northwind-cro-finance.key erp sync --book northwind-cro "
      "--postgres postgresql://tl@127.0.0.1:5432/erp --table cro_gl --nodes "
      "127.0.0.1:7051,127.0.0.1:7052,127.0.0.1:7053 --until-caught-up");
  sync->callback([&context, options] { Sync(context, *options); });
}

}  // namespace tl::cli
