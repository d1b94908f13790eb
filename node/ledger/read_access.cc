#include "trialledger/ledger/read_access.h"

#include "trialledger/base/str_cat.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/ledger/contract_records.h"
#include "trialledger/sdk/roles.h"

namespace tl::ledger {
namespace {

// The contract a contract payload (20-30) acts on; "" for any other payload.
std::string ContractOfPayload(const v1::TxBody& body) {
  switch (body.payload_case()) {
    case v1::TxBody::kProposeContract:
      return body.propose_contract().contract_id();
    case v1::TxBody::kAcceptContract:
      return body.accept_contract().contract_id();
    case v1::TxBody::kProposeAmendment:
      return body.propose_amendment().contract_id();
    case v1::TxBody::kAcceptAmendment:
      return body.accept_amendment().contract_id();
    case v1::TxBody::kCloseContract:
      return body.close_contract().contract_id();
    case v1::TxBody::kSubmitFacts:
      return body.submit_facts().contract_id();
    default:
      return "";
  }
}

}  // namespace

absl::Status CheckMemberCurrent(const StateReader& state, const v1::Member& member) {
  std::optional<v1::MemberRecord> record =
      ReadMessage<v1::MemberRecord>(state, state_keys::Member(member.public_key()));
  if (!record.has_value()) return absl::UnauthenticatedError("the key is not a member's");
  if (record->revoked_from_height() != 0) {
    return absl::UnauthenticatedError(StrCat("the key of member '", member.name(), "' of '",
                                             member.org(), "' was revoked at block ",
                                             record->revoked_from_height()));
  }
  return absl::OkStatus();
}

bool ReadAccess::Holds(std::string_view role) const {
  return roles::Holds(member_.roles(), role);
}

bool ReadAccess::AuditorGranted(const std::string& grant_key) const {
  return Holds(roles::kAuditor) && state_.Get(grant_key).has_value();
}

absl::Status ReadAccess::Refusal(std::string_view what) const {
  return absl::PermissionDeniedError(
      StrCat("member '", member_.name(), "' of '", member_.org(), "' may not read ", what));
}

absl::Status ReadAccess::Contract(std::string_view contract_id) const {
  std::optional<v1::ContractRecord> contract = ReadContract(state_, contract_id);
  if (!contract.has_value()) return absl::NotFoundError(StrCat("no contract '", contract_id, "'"));
  if (member_.org() == contract->sponsor() || member_.org() == contract->cro()) {
    return absl::OkStatus();
  }
  if (AuditorGranted(state_keys::ContractGrant(contract_id, member_.org()))) {
    return absl::OkStatus();
  }
  return Refusal(StrCat("contract '", contract_id, "'"));
}

absl::Status ReadAccess::Book(std::string_view org) const {
  if (!ReadBook(state_, org).has_value()) return absl::NotFoundError(StrCat("no book '", org, "'"));
  if (member_.org() == org &&
      (Holds(roles::kFinance) || Holds(roles::kAdmin) || Holds(roles::kAuditor))) {
    return absl::OkStatus();
  }
  if (AuditorGranted(state_keys::BookGrant(org, member_.org()))) return absl::OkStatus();
  return Refusal(StrCat("book '", org, "'"));
}

absl::Status ReadAccess::Mirror(std::string_view contract_id) const {
  std::optional<v1::ContractRecord> contract = ReadContract(state_, contract_id);
  if (!contract.has_value()) return absl::NotFoundError(StrCat("no contract '", contract_id, "'"));
  if (Book(contract->sponsor()).ok() || Book(contract->cro()).ok()) return absl::OkStatus();
  return Refusal(StrCat("the mirror of contract '", contract_id, "'"));
}

absl::Status ReadAccess::RawLedger() const {
  if (Holds(roles::kAuditor)) {
    std::optional<v1::Organization> org = ReadOrganization(state_, member_.org());
    if (org.has_value() && org->kind() == v1::ORG_KIND_AUDITOR) return absl::OkStatus();
  }
  if (Holds(roles::kAdmin)) {
    const std::string prefix(state_keys::kNodePrefix);
    for (const auto& [key, bytes] : state_.Scan(prefix, prefix, SIZE_MAX)) {
      v1::NodeInfo node;
      if (node.ParseFromString(bytes) && node.org() == member_.org()) return absl::OkStatus();
    }
  }
  return Refusal("raw blocks and transactions");
}

absl::Status ReadAccess::PartyBook(std::string_view contract_id, v1::OrgKind party) const {
  std::optional<v1::ContractRecord> contract = ReadContract(state_, contract_id);
  if (!contract.has_value()) return absl::NotFoundError(StrCat("no contract '", contract_id, "'"));
  return Book(party == v1::ORG_KIND_CRO ? contract->cro() : contract->sponsor());
}

absl::Status ReadAccess::Invoice(std::string_view invoice_id) const {
  std::optional<v1::Invoice> invoice = ReadInvoice(state_, invoice_id);
  if (!invoice.has_value()) return absl::NotFoundError(StrCat("no invoice '", invoice_id, "'"));
  if (MayReadInvoice(*invoice)) return absl::OkStatus();
  return Refusal(StrCat("invoice '", invoice_id, "'"));
}

absl::Status ReadAccess::Grants(std::string_view book, std::string_view contract_id) const {
  if (book.empty() == contract_id.empty()) {
    return absl::InvalidArgumentError("name either a book or a contract");
  }
  return book.empty() ? Contract(contract_id) : Book(book);
}

bool ReadAccess::MayReadTransaction(const v1::TxBody& body) const {
  if (RawLedger().ok()) return true;
  std::optional<v1::MemberRecord> signer =
      ReadMessage<v1::MemberRecord>(state_, state_keys::Member(body.signer_public_key()));
  if (signer.has_value() && signer->member().org() == member_.org()) return true;
  const std::string contract_id = ContractOfPayload(body);
  return !contract_id.empty() && Contract(contract_id).ok();
}

bool ReadAccess::MayReadInvoice(const v1::Invoice& invoice) const {
  if (invoice.on_ledger()) return Contract(invoice.contract_id()).ok();
  return Book(invoice.payer()).ok();
}

}  // namespace tl::ledger
