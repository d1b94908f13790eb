#include "trialledger/erp/postgres_gl_sink.h"

#include <pqxx/pqxx>

#include <tuple>
#include <vector>

#include "trialledger/base/civil_date.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/books/books.h"
#include "trialledger/contracts/sow_text.h"

namespace tl::erp {

struct PostgresGlSink::Connection {
  explicit Connection(const std::string& uri) : db(uri) {}
  pqxx::connection db;
};

namespace {

// SQLSTATEs another try can cure: a serialisation failure or a deadlock between two writers.
bool IsTransient(const pqxx::sql_error& error) {
  return error.sqlstate() == "40001" || error.sqlstate() == "40P01";
}

// What a libpqxx failure means to the subscriber (journal_subscriber.h): a connection lost or a
// commit in doubt is tried again from the cursor the database holds; a refusal stops the adapter.
absl::Status FromPqxx(std::string_view doing, const std::exception& error) {
  std::string message = StrCat("postgres: ", doing, ": ", error.what());
  while (!message.empty() && message.back() == '\n')
    message.pop_back();
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) {
    return absl::UnavailableError(message);
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    if (IsTransient(*sql)) return absl::AbortedError(message);
    return absl::FailedPreconditionError(StrCat(message, " (SQLSTATE ", sql->sqlstate(), ")"));
  }
  return absl::UnavailableError(message);
}

std::string Amount(int64_t minor, std::string_view currency) {
  return contracts::FormatDecimalMinor(minor, currency, contracts::DigitGrouping::kNone);
}

}  // namespace

absl::Status ValidateGlTableName(std::string_view table) {
  bool valid =
      !table.empty() && table.size() <= kGlTableNameMax && !(table[0] >= '0' && table[0] <= '9');
  for (char c : table)
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (valid) return absl::OkStatus();
  return absl::InvalidArgumentError(
      StrCat("--table '", table,
             "': give a lower-case SQL name (a-z, 0-9, _; not starting with a "
             "digit) of at most ",
             kGlTableNameMax, " characters"));
}

std::string GlSchemaSql(std::string_view table) {
  return StrCat(
      "CREATE TABLE IF NOT EXISTS ", table,
      " (\n"
      "  line_id         bigserial PRIMARY KEY,  -- the order the lines were written in\n"
      "  book            text    NOT NULL,\n"
      "  idempotency_key text    NOT NULL,       -- the entry's, stable across any resend\n"
      "  line_number     integer NOT NULL,       -- from 1 within the entry\n"
      "  entry_id        text    NOT NULL,\n"
      "  entry_seq       bigint  NOT NULL,\n"
      "  entry_kind      text    NOT NULL,\n"
      "  contract_id     text    NOT NULL,\n"
      "  accounting_date date    NOT NULL,\n"
      "  posting_period  text    NOT NULL,\n"
      "  account         text    NOT NULL,       -- the chart's id\n"
      "  erp_account     text    NOT NULL,       -- the book's ERP code ('' when unmapped)\n"
      "  currency_code   text    NOT NULL,\n"
      "  entered_dr      numeric NOT NULL,\n"
      "  entered_cr      numeric NOT NULL,\n"
      "  memo            text    NOT NULL,\n"
      "  payee           text    NOT NULL,\n"
      "  invoice_id      text    NOT NULL,\n"
      "  source_tx_id    text    NOT NULL,       -- hex\n"
      "  block_height    bigint  NOT NULL,\n"
      "  UNIQUE (book, idempotency_key, line_number)\n"
      ");\n"
      "CREATE TABLE IF NOT EXISTS ",
      table,
      "_cursor (\n"
      "  book          text PRIMARY KEY,\n"
      "  cursor        text   NOT NULL,  -- StreamJournal's, after the last entry written\n"
      "  entry_seq     bigint NOT NULL,\n"
      "  entries       bigint NOT NULL,\n"
      "  lines         bigint NOT NULL,\n"
      "  updated_at    timestamptz NOT NULL DEFAULT now()\n"
      ");\n");
}

PostgresGlSink::PostgresGlSink(std::string uri, std::string table, v1::BookRecord book)
    : uri_(std::move(uri)),
      table_(std::move(table)),
      cursor_table_(table_ + "_cursor"),
      book_(std::move(book)) {}

PostgresGlSink::~PostgresGlSink() = default;

void PostgresGlSink::Disconnect() {
  connection_.reset();
}

absl::Status PostgresGlSink::Connect() {
  if (connection_ != nullptr && connection_->db.is_open()) return absl::OkStatus();
  Disconnect();
  try {
    connection_ = std::make_unique<Connection>(uri_);
  } catch (const std::exception& error) {
    return FromPqxx("connecting", error);
  }
  try {
    pqxx::work work(connection_->db);
    work.exec(GlSchemaSql(table_));
    // The book's cursor row always exists, so Deliver can lock it before anything is written.
    work.exec_params(StrCat("INSERT INTO ", cursor_table_,
                            " (book, cursor, entry_seq, entries, lines) VALUES ($1, '', 0, 0, 0) "
                            "ON CONFLICT (book) DO NOTHING"),
                     book_.book());
    work.commit();
  } catch (const std::exception& error) {
    Disconnect();
    return FromPqxx(StrCat("creating tables ", table_, " and ", cursor_table_), error);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> PostgresGlSink::LoadCursor() {
  if (absl::Status connected = Connect(); !connected.ok()) return connected;
  try {
    pqxx::read_transaction read(connection_->db);
    pqxx::result row = read.exec_params(
        StrCat("SELECT cursor, entry_seq FROM ", cursor_table_, " WHERE book = $1"), book_.book());
    loaded_cursor_ = row.empty() ? "" : row[0][0].as<std::string>();
    entry_seq_ = row.empty() ? 0 : row[0][1].as<uint64_t>();
    return loaded_cursor_;
  } catch (const std::exception& error) {
    Disconnect();
    return FromPqxx("reading the cursor", error);
  }
}

absl::Status PostgresGlSink::Deliver(std::span<const v1::JournalStreamItem> items) {
  if (items.empty()) return absl::OkStatus();
  if (absl::Status connected = Connect(); !connected.ok()) return connected;
  uint64_t lines = 0;
  try {
    pqxx::work work(connection_->db);
    pqxx::result held = work.exec_params(
        StrCat("SELECT cursor FROM ", cursor_table_, " WHERE book = $1 FOR UPDATE"), book_.book());
    const std::string in_table = held.empty() ? "" : held[0][0].as<std::string>();
    if (in_table != loaded_cursor_) {
      return absl::AbortedError(StrCat("postgres: the cursor of book '", book_.book(), "' in ",
                                       cursor_table_,
                                       " moved under this adapter (is another erp sync writing "
                                       "it?); reading it again"));
    }
    {
      pqxx::stream_to copy(
          work, table_,
          std::vector<std::string>{"book", "idempotency_key", "line_number", "entry_id",
                                   "entry_seq", "entry_kind", "contract_id", "accounting_date",
                                   "posting_period", "account", "erp_account", "currency_code",
                                   "entered_dr", "entered_cr", "memo", "payee", "invoice_id",
                                   "source_tx_id", "block_height"});
      for (const v1::JournalStreamItem& item : items) {
        const v1::JournalEntry& entry = item.entry();
        const std::string date = FormatIsoDate(books::PostingDateMs(entry));
        const std::string kind(books::EntryKindName(entry.kind()));
        const std::string tx_id = ToHex(entry.tx_id());
        int line_number = 0;
        for (const v1::JournalLine& line : entry.lines()) {
          copy << std::make_tuple(
              entry.book(), entry.idempotency_key(), ++line_number, entry.entry_id(),
              static_cast<int64_t>(entry.seq()), kind, entry.contract_id(), date, entry.period(),
              line.account(), books::ErpCodeOf(book_, line.account()), line.currency(),
              Amount(line.debit_minor(), line.currency()),
              Amount(line.credit_minor(), line.currency()), entry.memo(), entry.payee(),
              entry.invoice_id(), tx_id, static_cast<int64_t>(entry.height()));
          ++lines;
        }
      }
      copy.complete();
    }
    const v1::JournalStreamItem& last = items.back();
    work.exec_params(StrCat("UPDATE ", cursor_table_,
                            " SET cursor = $2, entry_seq = $3, entries = entries + $4, "
                            "lines = lines + $5, updated_at = now() WHERE book = $1"),
                     book_.book(), last.cursor(), static_cast<int64_t>(last.entry().seq()),
                     static_cast<int64_t>(items.size()), static_cast<int64_t>(lines));
    work.commit();
    loaded_cursor_ = last.cursor();
    entry_seq_ = last.entry().seq();
  } catch (const std::exception& error) {
    Disconnect();
    return FromPqxx(StrCat("writing ", items.size(), " entries to ", table_), error);
  }
  entries_written_ += items.size();
  lines_written_ += lines;
  return absl::OkStatus();
}

}  // namespace tl::erp
