#include "trialledger/sdk/tx_builder.h"

#include "trialledger/sdk/codec.h"

namespace tl {

v1::Transaction SignTxBody(v1::TxBody body, const KeyPair& keys) {
  body.set_signer_public_key(keys.public_key);
  v1::Transaction tx;
  tx.set_body(Encode(body));
  tx.set_signature(SignInDomain(kTxSigningDomain, keys.secret_key, tx.body()));
  return tx;
}

}  // namespace tl
