#include "trialledger/ledger/tx_rules.h"

#include "access_payloads.h"
#include "book_payloads.h"
#include "cluster_payloads.h"
#include "contract_payloads.h"
#include "identity_payloads.h"
#include "invoice_payloads.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/roles.h"

namespace tl::ledger {

v1::TxResult TxOk() {
  v1::TxResult result;
  result.set_code(v1::TX_OK);
  result.set_nonce_consumed(true);
  return result;
}

v1::TxResult TxReject(v1::TxResultCode code, std::string message, bool nonce_consumed) {
  v1::TxResult result;
  result.set_code(code);
  result.set_message(std::move(message));
  result.set_nonce_consumed(nonce_consumed);
  return result;
}

v1::TxResult CheckEnvelope(const DecodedTx& tx, std::string_view chain_id, uint64_t height,
                           const StateReader& state, SignerState* signer,
                           const SignatureChecker* signatures) {
  const v1::TxBody& body = tx.body;
  if (body.chain_id() != chain_id) {
    return TxReject(v1::TX_WRONG_CHAIN, StrCat("chain id '", body.chain_id(),
                                               "' is not this network's '", chain_id, "'"));
  }
  if (height > body.expiry_height()) {
    return TxReject(v1::TX_EXPIRED, StrCat("expired at height ", body.expiry_height(),
                                           "; the ledger is at height ", height));
  }
  if (body.expiry_height() > height + limits::kExpiryHeightsAheadMax) {
    return TxReject(v1::TX_EXPIRED,
                    StrCat("expiry height ", body.expiry_height(), " is more than ",
                           limits::kExpiryHeightsAheadMax, " blocks ahead of height ", height));
  }
  std::optional<std::string> record = state.Get(state_keys::Member(body.signer_public_key()));
  if (!record.has_value() || !signer->record.ParseFromString(*record)) {
    return TxReject(v1::TX_UNKNOWN_SIGNER, "the signing key belongs to no member of this network");
  }
  const bool verifies = signatures != nullptr
                            ? signatures->Verifies(tx.tx, body.signer_public_key())
                            : VerifyTxSignature(tx.tx, body.signer_public_key());
  if (!verifies) {
    return TxReject(v1::TX_BAD_SIGNATURE, "the signature does not verify for the signing key");
  }
  uint64_t revoked_from = signer->record.revoked_from_height();
  if (revoked_from != 0 && height >= revoked_from) {
    return TxReject(v1::TX_KEY_REVOKED,
                    StrCat("the key of member '", signer->record.member().name(),
                           "' was revoked from height ", revoked_from));
  }
  std::optional<std::string> nonce = state.Get(state_keys::Nonce(body.signer_public_key()));
  signer->next_nonce = nonce.has_value() ? DecodeBigEndian64(*nonce) + 1 : 1;
  return TxOk();
}

v1::TxResult CheckRolePermission(const v1::TxBody& body, const v1::MemberRecord& signer) {
  if (IsContractPayload(body.payload_case())) return CheckContractRole(body, signer);
  if (IsBookPayload(body.payload_case())) return CheckBookRole(body, signer);
  if (IsInvoicePayload(body.payload_case())) return CheckInvoiceRole(body, signer);
  switch (body.payload_case()) {
    case v1::TxBody::kNote:
      return TxOk();
    case v1::TxBody::kGrantAccess:
      return CheckGrantRole(signer);
    case v1::TxBody::kRegisterMember:
    case v1::TxBody::kRevokeKey:
    case v1::TxBody::kRotateKey:
    case v1::TxBody::kChangeNode:
    case v1::TxBody::kTransferLeadership:
      if (roles::Holds(signer.member().roles(), roles::kAdmin)) return TxOk();
      return TxReject(v1::TX_PERMISSION_DENIED,
                      StrCat("member '", signer.member().name(), "' of '", signer.member().org(),
                             "' lacks the admin role that managing members and nodes needs"),
                      true);
    default:
      return TxReject(v1::TX_MALFORMED, "unknown payload", true);
  }
}

absl::StatusOr<v1::TxResult> ExecutePayload(const DecodedTx& tx, const v1::MemberRecord& signer,
                                            const TxContext& context, StateOverlay& overlay) {
  const uint64_t height = context.height;
  v1::TxResult permitted = CheckRolePermission(tx.body, signer);
  if (permitted.code() != v1::TX_OK) return permitted;
  const StateReader& parent = overlay;
  StateOverlay scratch(parent);  // a child: its writes reach `overlay` only through Absorb
  v1::TxResult result;
  switch (tx.body.payload_case()) {
    case v1::TxBody::kNote:
      result = ExecuteNote(tx.body.note());
      break;
    case v1::TxBody::kRegisterMember:
      result = ExecuteRegisterMember(tx.body.register_member(), signer, height, scratch);
      break;
    case v1::TxBody::kRevokeKey:
      result = ExecuteRevokeKey(tx.body.revoke_key(), signer, height, scratch);
      break;
    case v1::TxBody::kRotateKey:
      result = ExecuteRotateKey(tx.body.rotate_key(), signer, height, scratch);
      break;
    case v1::TxBody::kChangeNode:
      result = ExecuteChangeNode(tx.body.change_node(), signer, height, scratch);
      break;
    case v1::TxBody::kTransferLeadership:
      result = ExecuteTransferLeadership(tx.body.transfer_leadership(), scratch);
      break;
    case v1::TxBody::kGrantAccess:
      result = ExecuteGrantAccess(tx, signer, context, scratch);
      break;
    case v1::TxBody::kSetAccountMap:
    case v1::TxBody::kClosePeriod:
    case v1::TxBody::kReopenPeriod:
      result = ExecuteBookPayload(tx, signer, context, scratch);
      break;
    case v1::TxBody::kRecordInvoice:
    case v1::TxBody::kApproveInvoice:
    case v1::TxBody::kRecordPayment:
    case v1::TxBody::kConfirmReceipt:
    case v1::TxBody::kSetAccrualGrid: {
      absl::StatusOr<v1::TxResult> invoice = ExecuteInvoicePayload(tx, signer, context, scratch);
      if (!invoice.ok()) return invoice.status();
      result = *std::move(invoice);
      break;
    }
    default:
      if (!IsContractPayload(tx.body.payload_case())) {
        result = TxReject(v1::TX_MALFORMED, "unknown payload");
        break;
      }
      absl::StatusOr<v1::TxResult> contract = ExecuteContractPayload(tx, signer, context, scratch);
      if (!contract.ok()) return contract.status();
      result = *std::move(contract);
      break;
  }
  // Whatever the payload read from a failed store is worthless, whether it was kept or refused.
  if (absl::Status read = scratch.status(); !read.ok()) return read;
  if (result.code() == v1::TX_OK) overlay.Absorb(std::move(scratch));
  result.set_nonce_consumed(true);
  return result;
}

absl::StatusOr<v1::TxResult> ApplyTransaction(const v1::Transaction& tx, std::string_view chain_id,
                                              const TxContext& context, StateOverlay& overlay) {
  const uint64_t height = context.height;
  absl::StatusOr<DecodedTx> decoded = DecodeTransaction(tx);
  if (!decoded.ok()) {
    return TxReject(tx.ByteSizeLong() > limits::kTxBytesMax ? v1::TX_TOO_LARGE : v1::TX_MALFORMED,
                    std::string(decoded.status().message()));
  }
  SignerState signer;
  v1::TxResult envelope =
      CheckEnvelope(*decoded, chain_id, height, overlay, &signer, context.signatures);
  if (absl::Status read = overlay.status(); !read.ok()) return read;
  if (envelope.code() != v1::TX_OK) return envelope;
  if (decoded->body.nonce() != signer.next_nonce) {
    return TxReject(v1::TX_BAD_NONCE, StrCat("nonce ", decoded->body.nonce(), " is not the next (",
                                             signer.next_nonce, ") for this key"));
  }
  overlay.Put(state_keys::Nonce(decoded->body.signer_public_key()),
              EncodeBigEndian64(decoded->body.nonce()));
  return ExecutePayload(*decoded, signer.record, context, overlay);
}

}  // namespace tl::ledger
