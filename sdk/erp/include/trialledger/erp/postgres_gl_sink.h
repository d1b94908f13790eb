// The journal into a PostgreSQL GL interface table (`trialledger erp sync`, docs/erp.md): each
// batch of entries is one database transaction that inserts their lines and moves the book's
// cursor, so the table holds exactly the book's entries up to the cursor, whatever was killed
// when. The schema, created if missing, is `GlSchemaSql`.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/sdk/journal_subscriber.h"
#include "trialledger/v1/books.pb.h"

namespace tl::erp {

namespace v1 = ::trialledger::v1;

// The table's name: a lower-case SQL identifier of at most kGlTableNameMax bytes (its cursor
// table, `<table>_cursor`, must fit PostgreSQL's 63), so it is safe to write into statements.
inline constexpr size_t kGlTableNameMax = 48;
inline constexpr char kGlTableDefault[] = "tl_gl_interface";
absl::Status ValidateGlTableName(std::string_view table);

// CREATE TABLE IF NOT EXISTS statements for `table` and `<table>_cursor`.
std::string GlSchemaSql(std::string_view table);

class PostgresGlSink : public JournalSink {
 public:
  // `book`: the book's record (GetBook), for its name and its ERP account codes.
  PostgresGlSink(std::string uri, std::string table, v1::BookRecord book);
  ~PostgresGlSink() override;

  // Connects when not connected (creating the tables if missing) and reads the book's cursor.
  absl::StatusOr<std::string> LoadCursor() override;
  // One transaction: the cursor row locked and checked against the one this sink loaded (another
  // adapter on the same table is refused as Aborted rather than allowed to write twice), the
  // lines copied in, the cursor moved to the last item's. A lost connection is Unavailable, the
  // next LoadCursor reconnects; what the database refuses is FailedPrecondition.
  absl::Status Deliver(std::span<const v1::JournalStreamItem> items) override;

  // The book's record again (its account map may have changed): the codes of later lines.
  void set_book(v1::BookRecord book) { book_ = std::move(book); }
  // Lines and entries written by this sink since it was made (for progress logs).
  uint64_t entries_written() const { return entries_written_; }
  uint64_t lines_written() const { return lines_written_; }
  // The seq of the last entry the table holds, as this sink last read or wrote it (0: none).
  uint64_t entry_seq() const { return entry_seq_; }

 private:
  absl::Status Connect();
  void Disconnect();

  std::string uri_, table_, cursor_table_;
  v1::BookRecord book_;
  struct Connection;  // libpqxx's, kept out of this header
  std::unique_ptr<Connection> connection_;
  std::string loaded_cursor_;  // what the table holds, as this sink last read or wrote it
  uint64_t entries_written_ = 0, lines_written_ = 0, entry_seq_ = 0;
};

}  // namespace tl::erp
