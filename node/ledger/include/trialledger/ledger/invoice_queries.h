// The invoice cycle's queries over one snapshot of the state: a contract's invoices, one invoice
// with its payments and its three-way match, and the match of every line of a contract's invoices.
#pragma once

#include "absl/status/status.h"
#include "trialledger/ledger/state.h"
#include "trialledger/v1/ledger_service.pb.h"

namespace tl::ledger {

namespace v1 = ::trialledger::v1;

absl::Status ListInvoices(const OrderedStateReader& state, const v1::ListInvoicesRequest& request,
                          v1::ListInvoicesResponse* response);
absl::Status GetInvoice(const OrderedStateReader& state, const v1::GetInvoiceRequest& request,
                        v1::GetInvoiceResponse* response);
absl::Status GetInvoiceMatch(const OrderedStateReader& state,
                             const v1::GetInvoiceMatchRequest& request,
                             v1::GetInvoiceMatchResponse* response);

}  // namespace tl::ledger
