// The books' read RPCs (ledger_service.proto) over one snapshot of the committed state: a book,
// its journal, one entry with its evidence chain, and the reports (trial balance, contract
// roll-forward, disclosures), computed by the accounting library from the journal. NotFound for
// an unknown book, contract or entry; InvalidArgument for a bad period or currency; DataLoss when
// a stored record does not decode. The caller fills in the height and checks status().
#pragma once

#include "absl/status/status.h"
#include "trialledger/ledger/state.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/v1/ledger_service.pb.h"

namespace tl::ledger {

absl::Status GetBook(const OrderedStateReader& state, const v1::GetBookRequest& request,
                     v1::GetBookResponse* response);
absl::Status ListJournal(const OrderedStateReader& state, const v1::ListJournalRequest& request,
                         v1::ListJournalResponse* response);
absl::Status GetJournalEntry(const OrderedStateReader& state,
                             const v1::GetJournalEntryRequest& request,
                             v1::GetJournalEntryResponse* response);
absl::Status GetTrialBalance(const OrderedStateReader& state,
                             const v1::GetTrialBalanceRequest& request,
                             v1::GetTrialBalanceResponse* response);
absl::Status GetRollforward(const OrderedStateReader& state,
                            const v1::GetRollforwardRequest& request,
                            v1::GetRollforwardResponse* response);
absl::Status GetDisclosures(const OrderedStateReader& state,
                            const v1::GetDisclosuresRequest& request,
                            v1::GetDisclosuresResponse* response);
absl::Status GetMirror(const OrderedStateReader& state, const v1::GetMirrorRequest& request,
                       v1::GetMirrorResponse* response);
absl::Status GetAccruals(const OrderedStateReader& state, const v1::GetAccrualsRequest& request,
                         v1::GetAccrualsResponse* response);

}  // namespace tl::ledger
