// A book's journal after a cursor: what StreamJournal reads (docs/erp.md). A cursor names the
// entry it follows (its book, seq, block height and transaction), encoded opaquely; resuming
// from it gives the entries after that one, in order, none missing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/ledger/state.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/v1/ledger_service.pb.h"

namespace tl::ledger {

// The cursor that resumes after `entry`.
std::string JournalCursorAfter(const v1::JournalEntry& entry);

// The seq of the entry `cursor` follows in `book` ("" is the book's start: 0).
// - InvalidArgument: not a cursor, a cursor of another book, or one whose entry came from
//   another block or transaction than this ledger's (a cursor of another network).
// - OutOfRange: an entry this node has not applied yet (a cursor from a node further ahead).
absl::StatusOr<uint64_t> ResolveJournalCursor(const StateReader& state, std::string_view book,
                                              std::string_view cursor);

// Up to `limit` entries of `book` after `seq`, each with its cursor.
absl::StatusOr<std::vector<v1::JournalStreamItem>> JournalAfter(const OrderedStateReader& state,
                                                                std::string_view book, uint64_t seq,
                                                                size_t limit);

}  // namespace tl::ledger
