// The invoice cycle's transactions (tx payloads 43-47, docs/books.md): the sponsor's finance
// records an invoice from outside the ledger, approves any invoice for payment after the
// three-way match (not the member who recorded it; a line without evidence needs an override
// with a reason), and pays it; the CRO's finance confirms a payment received; the sponsor's
// finance sets a contract's accrual grid.
// REQUIRES (Execute*): the signer's envelope, nonce and role permission were checked.
#pragma once

#include "trialledger/books/books.h"
#include "trialledger/ledger/state.h"
#include "trialledger/ledger/tx_rules.h"

namespace tl::ledger {

// Payloads 43-47.
bool IsInvoicePayload(v1::TxBody::PayloadCase payload);
// Admission's static check: every one of them needs the finance role.
v1::TxResult CheckInvoiceRole(const v1::TxBody& body, const v1::MemberRecord& signer);

absl::StatusOr<v1::TxResult> ExecuteInvoicePayload(const DecodedTx& tx,
                                                   const v1::MemberRecord& signer,
                                                   const TxContext& context, StateOverlay& state);

// The state of a fact of the contract as evidence for an invoice line.
books::EvidenceState EvidenceOf(const StateReader& state, std::string_view contract_id,
                                std::string_view fact_id);

// The three-way match of `invoice`: under the contract's grid, outside lines relieve what the
// grid accrued for their evidence.
std::vector<books::MatchLine> MatchOf(const StateReader& state, const v1::Invoice& invoice);

}  // namespace tl::ledger
