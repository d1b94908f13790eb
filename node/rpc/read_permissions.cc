#include "trialledger/node/read_permissions.h"

#include "trialledger/base/str_cat.h"
#include "trialledger/v1/ledger_service.pb.h"

namespace tl::node {
namespace {

using ledger::ReadAccess;
using Check = std::function<absl::Status(const ReadAccess&, const google::protobuf::Message&)>;

// Wraps a check of one request type; the table looks entries up by that type's name.
template <typename Request>
ReadPermission Entry(ReadScope scope,
                     std::function<absl::Status(const ReadAccess&, const Request&)> check) {
  Check wrapped;
  if (check) {
    wrapped = [check](const ReadAccess& access, const google::protobuf::Message& request) {
      return check(access, static_cast<const Request&>(request));
    };
  }
  return ReadPermission{Request::descriptor()->name(), scope, std::move(wrapped)};
}

absl::Status Anyone(const ReadAccess&, const google::protobuf::Message&) {
  return absl::OkStatus();
}

// "<book>/<seq>": the book an entry id names.
absl::Status EntryBook(const ReadAccess& access, const v1::GetJournalEntryRequest& request) {
  const std::string& id = request.entry_id();
  size_t slash = id.rfind('/');
  if (slash == std::string::npos || slash == 0) {
    return absl::InvalidArgumentError(StrCat("entry id '", id, "' is not <book>/<seq>"));
  }
  return access.Book(std::string_view(id).substr(0, slash));
}

std::vector<ReadPermission> BuildTable() {
  using S = ReadScope;
  const auto contract = [](const ReadAccess& access, const auto& request) {
    return access.Contract(request.contract_id());
  };
  const auto book = [](const ReadAccess& access, const auto& request) {
    return access.Book(request.book());
  };
  return {
      Entry<v1::GetStatusRequest>(S::kHealth, nullptr),
      Entry<v1::SubmitTransactionRequest>(S::kSignedTransaction, nullptr),
      Entry<v1::GetMemberRequest>(S::kAnyMember, Anyone),
      Entry<v1::ListBlocksRequest>(S::kAnyMember, Anyone),
      Entry<v1::GetBlockRequest>(S::kAnyMember, Anyone),
      Entry<v1::ListContractsRequest>(S::kAnyMember, Anyone),
      Entry<v1::StreamBlocksRequest>(
          S::kRawLedger, [](const ReadAccess& access, const auto&) { return access.RawLedger(); }),
      Entry<v1::GetTransactionRequest>(S::kTransaction, nullptr),
      Entry<v1::GetContractRequest>(S::kContract, contract),
      Entry<v1::GetMilestonesRequest>(S::kContract, contract),
      Entry<v1::ListFactsRequest>(S::kContract, contract),
      Entry<v1::ListContractEventsRequest>(S::kContract, contract),
      Entry<v1::ListInvoicesRequest>(S::kContract, contract),
      Entry<v1::GetInvoiceRequest>(S::kInvoice,
                                   [](const ReadAccess& access, const auto& request) {
                                     return access.Invoice(request.invoice_id());
                                   }),
      Entry<v1::GetBookRequest>(S::kBook, book),
      Entry<v1::ListJournalRequest>(S::kBook, book),
      Entry<v1::StreamJournalRequest>(S::kBook, book),
      Entry<v1::GetJournalEntryRequest>(S::kBook, EntryBook),
      Entry<v1::GetTrialBalanceRequest>(S::kBook, book),
      Entry<v1::GetDisclosuresRequest>(S::kBook, book),
      Entry<v1::GetAccrualsRequest>(S::kBook, book),
      Entry<v1::GetRollforwardRequest>(S::kBook,
                                       [](const ReadAccess& access, const auto& request) {
                                         return access.PartyBook(request.contract_id(),
                                                                 v1::ORG_KIND_CRO);
                                       }),
      Entry<v1::GetInvoiceMatchRequest>(S::kBook,
                                        [](const ReadAccess& access, const auto& request) {
                                          return access.PartyBook(request.contract_id(),
                                                                  v1::ORG_KIND_SPONSOR);
                                        }),
      Entry<v1::GetMirrorRequest>(S::kMirror,
                                  [](const ReadAccess& access, const auto& request) {
                                    return access.Mirror(request.contract_id());
                                  }),
      Entry<v1::ListGrantsRequest>(S::kGrants,
                                   [](const ReadAccess& access, const auto& request) {
                                     return access.Grants(request.book(), request.contract_id());
                                   }),
  };
}

}  // namespace

const std::vector<ReadPermission>& ReadPermissions() {
  static const std::vector<ReadPermission> table = BuildTable();
  return table;
}

const ReadPermission* FindReadPermission(std::string_view request_name) {
  for (const ReadPermission& entry : ReadPermissions()) {
    if (entry.request == request_name) return &entry;
  }
  return nullptr;
}

absl::Status CheckReadPermission(const ReadAccess& access,
                                 const google::protobuf::Message& request) {
  const ReadPermission* entry = FindReadPermission(request.GetDescriptor()->name());
  if (entry == nullptr) {
    return absl::InternalError(
        StrCat(request.GetDescriptor()->name(), " has no entry in the permission table"));
  }
  if (!entry->check) return absl::OkStatus();
  return entry->check(access, request);
}

std::string_view ReadScopeName(ReadScope scope) {
  switch (scope) {
    case ReadScope::kHealth:
      return "health";
    case ReadScope::kSignedTransaction:
      return "signed transaction";
    case ReadScope::kAnyMember:
      return "any member";
    case ReadScope::kContract:
      return "contract";
    case ReadScope::kBook:
      return "book";
    case ReadScope::kMirror:
      return "mirror";
    case ReadScope::kRawLedger:
      return "raw ledger";
    case ReadScope::kTransaction:
      return "transaction";
    case ReadScope::kInvoice:
      return "invoice";
    case ReadScope::kGrants:
      return "grants";
  }
  return "?";
}

}  // namespace tl::node
