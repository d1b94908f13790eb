#include "access_payloads.h"

#include "trialledger/base/str_cat.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/ledger/contract_records.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/roles.h"

namespace tl::ledger {
namespace {

v1::TxResult Invalid(std::string message) {
  return TxReject(v1::TX_INVALID_PAYLOAD, std::move(message));
}

// The grant's key, after checking that the signer's organisation owns what it grants: its own
// book, or a contract it is a party to.
absl::StatusOr<std::string> GrantKey(const v1::GrantAccess& payload, const v1::MemberRecord& signer,
                                     const StateReader& state, v1::AccessGrantRecord& record) {
  const std::string& org = signer.member().org();
  if (payload.contract_id().empty()) {
    if (!ReadBook(state, org).has_value()) {
      return absl::InvalidArgumentError(StrCat("organization '", org, "' keeps no book to grant"));
    }
    record.set_book(org);
    return state_keys::BookGrant(org, payload.auditor_org());
  }
  std::optional<v1::ContractRecord> contract = ReadContract(state, payload.contract_id());
  if (!contract.has_value()) {
    return absl::InvalidArgumentError(StrCat("no contract '", payload.contract_id(), "'"));
  }
  if (contract->sponsor() != org && contract->cro() != org) {
    return absl::PermissionDeniedError(StrCat("organization '", org,
                                              "' is not a party to contract '",
                                              payload.contract_id(), "' and may not grant it"));
  }
  record.set_contract_id(payload.contract_id());
  return state_keys::ContractGrant(payload.contract_id(), payload.auditor_org());
}

}  // namespace

v1::TxResult CheckGrantRole(const v1::MemberRecord& signer) {
  const auto& held = signer.member().roles();
  if (roles::Holds(held, roles::kFinance) || roles::Holds(held, roles::kAdmin)) return TxOk();
  return TxReject(v1::TX_PERMISSION_DENIED,
                  StrCat("member '", signer.member().name(), "' of '", signer.member().org(),
                         "' lacks the finance or admin role that granting read access needs"),
                  true);
}

v1::TxResult ExecuteGrantAccess(const DecodedTx& tx, const v1::MemberRecord& signer,
                                const TxContext& context, StateOverlay& state) {
  const v1::GrantAccess& payload = tx.body.grant_access();
  std::optional<v1::Organization> auditor = ReadOrganization(state, payload.auditor_org());
  if (!auditor.has_value()) {
    return Invalid(StrCat("no organization '", payload.auditor_org(), "'"));
  }
  if (auditor->kind() != v1::ORG_KIND_AUDITOR) {
    return Invalid(StrCat("organization '", payload.auditor_org(),
                          "' is not an auditor: read access is granted to auditors only"));
  }
  v1::AccessGrantRecord record;
  absl::StatusOr<std::string> key = GrantKey(payload, signer, state, record);
  if (absl::IsPermissionDenied(key.status())) {
    return TxReject(v1::TX_PERMISSION_DENIED, std::string(key.status().message()));
  }
  if (!key.ok()) return Invalid(std::string(key.status().message()));
  const bool granted = state.Get(*key).has_value();
  const std::string what = payload.contract_id().empty()
                               ? StrCat("book '", signer.member().org(), "'")
                               : StrCat("contract '", payload.contract_id(), "'");
  if (payload.revoke()) {
    if (!granted) return Invalid(StrCat("'", payload.auditor_org(), "' holds no grant on ", what));
    state.Delete(*key);
    return TxOk();
  }
  if (granted) return Invalid(StrCat("'", payload.auditor_org(), "' already reads ", what));
  record.set_auditor_org(payload.auditor_org());
  record.set_granted_by_org(signer.member().org());
  record.set_granted_by(signer.member().name());
  record.set_height(context.height);
  record.set_tx_id(tx.id);
  state.Put(*key, Encode(record));
  return TxOk();
}

}  // namespace tl::ledger
