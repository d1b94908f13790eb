// Ledger records as the CLI shows them: hex for bytes, names for codes, ISO times.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "output.h"
#include "trialledger/sdk/protocol.h"

namespace tl::cli {

// Names a signer's public key for people ("org/member"); empty when unknown.
using SignerNamer = std::function<std::string(const std::string& public_key)>;

Json TransactionJson(const v1::Transaction& tx, const v1::TxResult* result,
                     const SignerNamer& namer);
// `withheld`: positions the node left out because the reader may not read them
// (GetBlockResponse.withheld); each shows as {"index", "withheld": true}.
Json BlockJson(const v1::Block& block, const SignerNamer& namer,
               const std::vector<uint32_t>& withheld = {});
Json StatusJson(const v1::GetStatusResponse& status);
std::string PayloadSummary(const v1::TxBody& body);

}  // namespace tl::cli
