#include "trialledger/ledger/journal_stream.h"

#include "absl/strings/escaping.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/v1/storage.pb.h"

namespace tl::ledger {
namespace {

constexpr uint32_t kCursorVersion = 1;

}  // namespace

std::string JournalCursorAfter(const v1::JournalEntry& entry) {
  v1::JournalCursor cursor;
  cursor.set_version(kCursorVersion);
  cursor.set_book(entry.book());
  cursor.set_height(entry.height());
  cursor.set_tx_id(entry.tx_id());
  cursor.set_seq(entry.seq());
  std::string encoded;
  absl::WebSafeBase64Escape(Encode(cursor), &encoded);
  return encoded;
}

absl::StatusOr<uint64_t> ResolveJournalCursor(const StateReader& state, std::string_view book,
                                              std::string_view cursor) {
  if (cursor.empty()) return 0;
  std::string bytes;
  v1::JournalCursor decoded;
  if (cursor.size() > limits::kJournalCursorBytesMax ||
      !absl::WebSafeBase64Unescape(absl::string_view(cursor.data(), cursor.size()), &bytes) ||
      !decoded.ParseFromString(bytes) || decoded.version() != kCursorVersion ||
      decoded.seq() == 0) {
    return absl::InvalidArgumentError(
        StrCat("'", cursor.substr(0, 40), cursor.size() > 40 ? "…" : "",
               "' is not a journal cursor (give one a JournalStreamItem carried, or none)"));
  }
  if (decoded.book() != book) {
    return absl::InvalidArgumentError(
        StrCat("the cursor is of book '", decoded.book(), "', not of book '", book, "'"));
  }
  std::optional<v1::BookRecord> record = ReadBook(state, book);
  if (!record.has_value()) return absl::NotFoundError(StrCat("no book '", book, "'"));
  if (decoded.seq() > record->entry_count()) {
    return absl::OutOfRangeError(StrCat("the cursor follows entry ", decoded.seq(), " of book '",
                                        book, "' (block ", decoded.height(),
                                        "); this node's ledger holds ", record->entry_count(),
                                        " entries of it: it is ahead of this ledger"));
  }
  std::optional<v1::JournalEntry> entry = ReadJournalEntry(state, book, decoded.seq());
  if (!entry.has_value()) {
    return absl::DataLossError(StrCat("journal entry ", decoded.seq(), " of book ", book,
                                      " is missing or does not decode"));
  }
  if (entry->height() != decoded.height() || entry->tx_id() != decoded.tx_id()) {
    return absl::InvalidArgumentError(
        StrCat("the cursor names entry ", decoded.seq(), " of book '", book, "' from block ",
               decoded.height(), ", transaction ", ToHex(decoded.tx_id()).substr(0, 16),
               "; this ledger's came from block ", entry->height(), ", transaction ",
               ToHex(entry->tx_id()).substr(0, 16), " (a cursor of another network?)"));
  }
  return decoded.seq();
}

absl::StatusOr<std::vector<v1::JournalStreamItem>> JournalAfter(const OrderedStateReader& state,
                                                                std::string_view book, uint64_t seq,
                                                                size_t limit) {
  const std::string prefix = state_keys::JournalPrefix(book);
  std::vector<v1::JournalStreamItem> items;
  for (const auto& [key, bytes] :
       state.Scan(prefix, state_keys::JournalEntry(book, seq + 1), limit)) {
    v1::JournalStreamItem& item = items.emplace_back();
    if (!item.mutable_entry()->ParseFromString(bytes)) {
      return absl::DataLossError(StrCat("journal entry ", key, " does not decode"));
    }
    item.set_cursor(JournalCursorAfter(item.entry()));
  }
  return items;
}

}  // namespace tl::ledger
