// Who may read what on the client API: the rules of docs/permissions.md, decided over one
// snapshot of the committed state for one authenticated member. The node's permission table
// (node/rpc/read_permissions.h) says which of these each read RPC asks; this file is the one
// home of the rules themselves.
//
// A refusal is PermissionDenied and names only the member and what it may not read, never what
// is behind it. An id that names nothing is NotFound, whoever asks.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "trialledger/ledger/state.h"
#include "trialledger/sdk/protocol.h"
#include "trialledger/v1/books.pb.h"
#include "trialledger/v1/identity.pb.h"
#include "trialledger/v1/storage.pb.h"
#include "trialledger/v1/tx.pb.h"

namespace tl::ledger {

// Unauthenticated if `member`'s key is no longer a member's current key in `state` (revoked or
// rotated since the request that opened a stream was checked).
absl::Status CheckMemberCurrent(const StateReader& state, const v1::Member& member);

class ReadAccess {
 public:
  // `state` must outlive this object.
  ReadAccess(const OrderedStateReader& state, v1::Member member)
      : state_(state), member_(std::move(member)) {}

  const v1::Member& member() const { return member_; }

  // A contract, its versions, facts, events, milestones and invoices: members of its sponsor
  // and its CRO, and `auditor` members of an organisation either party granted the contract.
  absl::Status Contract(std::string_view contract_id) const;
  // An organisation's book (journal, reports): its own `finance`, `admin` and `auditor`
  // members, and `auditor` members of an organisation it granted the book.
  absl::Status Book(std::string_view org) const;
  // The sponsor–CRO mirror of a contract shows both books' figures for that contract only:
  // whoever may read either party's book.
  absl::Status Mirror(std::string_view contract_id) const;
  // Blocks and transactions as they are (every party's payloads): `admin` members of an
  // organisation that runs a node, and `auditor` members of an auditor organisation.
  absl::Status RawLedger() const;
  // The book of a contract's CRO (its revenue roll-forward) or of its sponsor (its invoice
  // match): Book() of that party.
  absl::Status PartyBook(std::string_view contract_id, v1::OrgKind party) const;
  // One invoice: MayReadInvoice().
  absl::Status Invoice(std::string_view invoice_id) const;
  // The grants on a book or a contract: whoever may read that book or contract.
  absl::Status Grants(std::string_view book, std::string_view contract_id) const;

  // For lists that leave out what the member may not read, rather than refuse the whole list.
  // A transaction: raw readers; members of the signer's organisation; for a contract payload
  // (proposal, acceptance, amendment, closing, facts), whoever may read the contract.
  bool MayReadTransaction(const v1::TxBody& body) const;
  // An invoice the CRO issued on the ledger is the contract's; one the sponsor recorded from
  // an outside payee (a site, a vendor) is its book's.
  bool MayReadInvoice(const v1::Invoice& invoice) const;

  // The refusal for `what` ("book 'acme-bio'"): PermissionDenied naming the member only.
  absl::Status Refusal(std::string_view what) const;

 private:
  bool Holds(std::string_view role) const;
  // Whether the member is an auditor of an organisation granted `grant_key`.
  bool AuditorGranted(const std::string& grant_key) const;

  const OrderedStateReader& state_;
  v1::Member member_;
};

}  // namespace tl::ledger
