// Ledger records as the CLI shows them: hex for bytes, names for codes, ISO times.
#pragma once

#include "output.h"
#include "trialledger/sdk/protocol.h"

namespace tl::cli {

Json TransactionJson(const v1::Transaction& tx, const v1::TxResult* result);
Json BlockJson(const v1::Block& block);
Json StatusJson(const v1::GetStatusResponse& status);
std::string PayloadSummary(const v1::TxBody& body);

}  // namespace tl::cli
