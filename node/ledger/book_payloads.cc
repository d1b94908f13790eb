#include "book_payloads.h"

#include <algorithm>

#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/roles.h"

namespace tl::ledger {
namespace {

v1::TxResult Invalid(std::string message) {
  return TxReject(v1::TX_INVALID_PAYLOAD, std::move(message));
}

// The signer's organisation's book and the chart it follows.
struct OwnBook {
  v1::BookRecord record;
  books::BookKind kind;
};

absl::StatusOr<OwnBook> BookOfSigner(const v1::MemberRecord& signer, const StateReader& state) {
  const std::string& org = signer.member().org();
  std::optional<v1::Organization> organization = ReadOrganization(state, org);
  std::optional<books::BookKind> kind =
      organization.has_value() ? BookKindOf(organization->kind()) : std::nullopt;
  std::optional<v1::BookRecord> record = ReadBook(state, org);
  if (!kind.has_value() || !record.has_value()) {
    return absl::FailedPreconditionError(StrCat("organization '", org, "' keeps no book"));
  }
  return OwnBook{*std::move(record), *kind};
}

void RecordPeriodChange(const DecodedTx& tx, const v1::MemberRecord& signer,
                        const TxContext& context, std::string_view period, bool closed,
                        std::string_view reason, v1::BookRecord& book, StateOverlay& state) {
  const uint64_t seq = book.period_change_count() + 1;
  book.set_period_change_count(seq);
  v1::PeriodChange change;
  change.set_seq(seq);
  change.set_period(std::string(period));
  change.set_closed(closed);
  change.set_reason(std::string(reason));
  change.set_signer_name(signer.member().name());
  change.set_tx_id(tx.id);
  change.set_height(context.height);
  change.set_time_ms(context.block_time_ms);
  state.Put(state_keys::PeriodChange(book.book(), seq), Encode(change));
}

v1::TxResult SetAccountMap(const v1::SetAccountMap& payload, const v1::MemberRecord& signer,
                           StateOverlay& state) {
  absl::StatusOr<OwnBook> own = BookOfSigner(signer, state);
  if (!own.ok()) return Invalid(std::string(MessageOf(own.status())));
  absl::Status valid = books::ValidateAccountMap(own->kind, payload.account_map());
  if (!valid.ok()) return Invalid(std::string(MessageOf(valid)));
  // Kept sorted by account, whatever order the signer listed them in.
  std::vector<v1::AccountCode> sorted(payload.account_map().begin(), payload.account_map().end());
  std::sort(sorted.begin(), sorted.end(), [](const v1::AccountCode& a, const v1::AccountCode& b) {
    return a.account() < b.account();
  });
  own->record.clear_account_map();
  for (v1::AccountCode& code : sorted)
    *own->record.add_account_map() = std::move(code);
  WriteBook(own->record, state);
  return TxOk();
}

v1::TxResult ClosePeriod(const DecodedTx& tx, const v1::ClosePeriod& payload,
                         const v1::MemberRecord& signer, const TxContext& context,
                         StateOverlay& state) {
  absl::StatusOr<OwnBook> own = BookOfSigner(signer, state);
  if (!own.ok()) return Invalid(std::string(MessageOf(own.status())));
  for (absl::Status check :
       {books::ValidatePeriod(payload.period()),
        books::CheckClose(own->record.closed_through(), payload.period(), context.block_time_ms)}) {
    if (!check.ok()) return Invalid(StrCat("book ", own->record.book(), ": ", check.message()));
  }
  if (own->record.closed_through().empty()) own->record.set_first_closed(payload.period());
  own->record.set_closed_through(payload.period());
  RecordPeriodChange(tx, signer, context, payload.period(), true, "", own->record, state);
  WriteBook(own->record, state);
  return TxOk();
}

v1::TxResult ReopenPeriod(const DecodedTx& tx, const v1::ReopenPeriod& payload,
                          const v1::MemberRecord& signer, const TxContext& context,
                          StateOverlay& state) {
  absl::StatusOr<OwnBook> own = BookOfSigner(signer, state);
  if (!own.ok()) return Invalid(std::string(MessageOf(own.status())));
  if (payload.reason().empty() || payload.reason().size() > limits::kReasonBytesMax) {
    return Invalid(
        StrCat("reopening a period needs a reason of 1 to ", limits::kReasonBytesMax, " bytes"));
  }
  if (absl::Status period = books::ValidatePeriod(payload.period()); !period.ok()) {
    return Invalid(std::string(MessageOf(period)));
  }
  absl::StatusOr<std::string> closed_through =
      books::CheckReopen(own->record.closed_through(), payload.period());
  if (!closed_through.ok()) {
    return Invalid(StrCat("book ", own->record.book(), ": ", closed_through.status().message()));
  }
  // Reopening the first closed period leaves none closed, not the month before it.
  if (payload.period() == own->record.first_closed()) {
    own->record.clear_closed_through();
    own->record.clear_first_closed();
  } else {
    own->record.set_closed_through(*closed_through);
  }
  RecordPeriodChange(tx, signer, context, payload.period(), false, payload.reason(), own->record,
                     state);
  WriteBook(own->record, state);
  return TxOk();
}

}  // namespace

bool IsBookPayload(v1::TxBody::PayloadCase payload) {
  return payload == v1::TxBody::kSetAccountMap || payload == v1::TxBody::kClosePeriod ||
         payload == v1::TxBody::kReopenPeriod;
}

v1::TxResult CheckBookRole(const v1::TxBody& body, const v1::MemberRecord& signer) {
  TL_CHECK(IsBookPayload(body.payload_case()));
  const bool reopen = body.payload_case() == v1::TxBody::kReopenPeriod;
  const std::string_view needed = reopen ? roles::kAdmin : roles::kFinance;
  if (roles::Holds(signer.member().roles(), needed)) return TxOk();
  return TxReject(
      v1::TX_PERMISSION_DENIED,
      StrCat("member '", signer.member().name(), "' of '", signer.member().org(), "' lacks the ",
             needed, " role that ",
             reopen ? "reopening a period" : "keeping its organisation's book", " needs"),
      true);
}

v1::TxResult ExecuteBookPayload(const DecodedTx& tx, const v1::MemberRecord& signer,
                                const TxContext& context, StateOverlay& state) {
  switch (tx.body.payload_case()) {
    case v1::TxBody::kSetAccountMap:
      return SetAccountMap(tx.body.set_account_map(), signer, state);
    case v1::TxBody::kClosePeriod:
      return ClosePeriod(tx, tx.body.close_period(), signer, context, state);
    case v1::TxBody::kReopenPeriod:
      return ReopenPeriod(tx, tx.body.reopen_period(), signer, context, state);
    default:
      return TxReject(v1::TX_MALFORMED, "not a books payload");
  }
}

}  // namespace tl::ledger
