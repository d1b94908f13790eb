// The permission table of the client API (docs/permissions.md): for every LedgerService
// request, what it asks of the member who signed it. The rules each scope stands for are
// ledger::ReadAccess's; the tests walk the service descriptor, so an RPC without an entry fails
// them.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "trialledger/ledger/read_access.h"

namespace tl::node {

enum class ReadScope {
  kHealth,             // anyone who reaches the port: no member needed
  kSignedTransaction,  // the transaction is signed itself; the ledger's rules decide (tx_rules)
  kAnyMember,          // the member directory, block headers; lists filtered item by item
  kContract,           // the contract the request names
  kBook,               // the book the request names, or a party's book of the named contract
  kMirror,             // either party's book of the named contract
  kRawLedger,          // every party's payloads as they are
  kTransaction,        // the named transaction: ReadAccess::MayReadTransaction
  kInvoice,            // the named invoice: ReadAccess::MayReadInvoice
  kGrants,             // the named book or contract
};

struct ReadPermission {
  std::string_view request;  // the request message's name, e.g. "GetBookRequest"
  ReadScope scope;
  // OK when the member may make this request; PermissionDenied naming what it may not read;
  // NotFound when the request names nothing there is. Empty for kHealth, kSignedTransaction
  // and the per-item scopes the handler decides (kTransaction).
  std::function<absl::Status(const ledger::ReadAccess&, const google::protobuf::Message&)> check;
};

const std::vector<ReadPermission>& ReadPermissions();
// The entry for a request message, or nullptr: a request without one is refused.
const ReadPermission* FindReadPermission(std::string_view request_name);
// Checks `request` against its entry (Internal if it has none).
absl::Status CheckReadPermission(const ledger::ReadAccess& access,
                                 const google::protobuf::Message& request);
std::string_view ReadScopeName(ReadScope scope);

}  // namespace tl::node
