// Building and signing transactions.
//
//   v1::TxBody body;
//   body.set_chain_id(chain_id);
//   body.set_nonce(next_nonce);
//   body.set_expiry_height(head_height + 100);
//   body.mutable_note()->set_text("hello");
//   v1::Transaction tx = SignTxBody(std::move(body), key.keys);
#pragma once

#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/protocol.h"

namespace tl {

// Sets the signer's public key, encodes the body once and signs exactly those bytes.
v1::Transaction SignTxBody(v1::TxBody body, const KeyPair& keys);

}  // namespace tl
