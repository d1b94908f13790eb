// The rules for one transaction: one home, used both when a node admits a transaction to its
// mempool and when every node applies a block. Deterministic: results depend only on the
// transaction, the height and the state read.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

#include "trialledger/ledger/state.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/protocol.h"

namespace tl::ledger {

// Says whether a transaction's or a block's signature verifies for a key. The verdict is a pure
// function of those bytes, so a node may answer from what it has already checked (a transaction
// it admitted, a block it signed or checked while syncing it: trialledger/node/signature_memo.h)
// without changing any block's outcome.
class SignatureChecker {
 public:
  virtual ~SignatureChecker() = default;
  virtual bool Verifies(const v1::Transaction& tx, std::string_view signer_public_key) const = 0;
  virtual bool VerifiesBlock(const v1::Block& block,
                             std::string_view proposer_public_key) const = 0;
};

// Where a transaction is applied: the block's height and time (the only clock contracts see).
struct TxContext {
  uint64_t height = 0;
  int64_t block_time_ms = 0;
  // Whether contract transactions post to the books. Always true on a node; false only where a
  // benchmark measures what the books cost (apply.h, ApplyOptions).
  bool post_books = true;
  // Null: every signature is verified here (VerifyTxSignature).
  const SignatureChecker* signatures = nullptr;
};

struct SignerState {
  v1::MemberRecord record;
  uint64_t next_nonce = 1;
};

v1::TxResult TxOk();
v1::TxResult TxReject(v1::TxResultCode code, std::string message, bool nonce_consumed = false);

// Chain id, expiry, signer known and not revoked at `height`, signature. Fills `signer` when OK.
// The nonce is the caller's to check: apply wants the next nonce, admission allows for pending.
v1::TxResult CheckEnvelope(const DecodedTx& tx, std::string_view chain_id, uint64_t height,
                           const StateReader& state, SignerState* signer,
                           const SignatureChecker* signatures = nullptr);

// What the signer's roles allow, independent of other records (used at admission, and first
// thing in ExecutePayload).
v1::TxResult CheckRolePermission(const v1::TxBody& body, const v1::MemberRecord& signer);

// Runs the payload. On TX_OK its writes are in `overlay`; on rejection `overlay` is unchanged. A
// non-OK status is a storage fault (the state could not be read, or a stored record is corrupt):
// no result exists, and the caller stops applying.
absl::StatusOr<v1::TxResult> ExecutePayload(const DecodedTx& tx, const v1::MemberRecord& signer,
                                            const TxContext& context, StateOverlay& overlay);

// Envelope, nonce and payload together, as the apply pipeline runs them for each transaction.
// A non-OK status is a storage fault, as for ExecutePayload (the envelope's reads included).
absl::StatusOr<v1::TxResult> ApplyTransaction(const v1::Transaction& tx, std::string_view chain_id,
                                              const TxContext& context, StateOverlay& overlay);

}  // namespace tl::ledger
