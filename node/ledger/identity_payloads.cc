#include "identity_payloads.h"

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/identity_rules.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/roles.h"

namespace tl::ledger {
namespace {

uint64_t AdminCount(const StateReader& state, std::string_view org) {
  std::optional<std::string> count = state.Get(state_keys::AdminCount(org));
  return count.has_value() ? DecodeBigEndian64(*count) : 0;
}

void SetAdminCount(StateOverlay& state, std::string_view org, uint64_t count) {
  state.Put(state_keys::AdminCount(org), EncodeBigEndian64(count));
}

std::optional<v1::MemberRecord> ReadMember(const StateReader& state, std::string_view key) {
  std::optional<std::string> bytes = state.Get(state_keys::Member(key));
  v1::MemberRecord record;
  if (!bytes.has_value() || !record.ParseFromString(*bytes)) return std::nullopt;
  return record;
}

std::string KeyLabel(std::string_view key) {
  return ToHex(key).substr(0, 16);
}

// The key must be an active key of the signer's own organisation.
v1::TxResult CheckManagedKey(std::string_view key, const v1::MemberRecord& signer, uint64_t height,
                             const StateReader& state, v1::MemberRecord* target) {
  std::optional<v1::MemberRecord> record = ReadMember(state, key);
  if (!record.has_value()) {
    return TxReject(v1::TX_INVALID_PAYLOAD,
                    StrCat("key ", KeyLabel(key), "… belongs to no member"));
  }
  if (record->member().org() != signer.member().org()) {
    return TxReject(
        v1::TX_PERMISSION_DENIED,
        StrCat("member '", record->member().name(), "' belongs to '", record->member().org(),
               "'; an admin manages only its own organisation"));
  }
  if (record->revoked_from_height() != 0) {
    return TxReject(v1::TX_INVALID_PAYLOAD,
                    StrCat("the key of member '", record->member().name(),
                           "' is already revoked from height ", record->revoked_from_height()));
  }
  *target = *std::move(record);
  return TxOk();
}

}  // namespace

void PutNewMember(const v1::Member& member, uint64_t height, StateOverlay& state) {
  v1::MemberRecord record;
  *record.mutable_member() = member;
  record.set_registered_height(height);
  state.Put(state_keys::Member(member.public_key()), Encode(record));
  state.Put(state_keys::MemberName(member.org(), member.name()), member.public_key());
  if (roles::Holds(member.roles(), roles::kAdmin)) {
    SetAdminCount(state, member.org(), AdminCount(state, member.org()) + 1);
  }
}

v1::TxResult ExecuteNote(const v1::Note& note) {
  if (note.text().size() > limits::kNoteTextBytesMax) {
    return TxReject(
        v1::TX_INVALID_PAYLOAD,
        StrCat("note is ", note.text().size(), " bytes; the limit is ", limits::kNoteTextBytesMax));
  }
  return TxOk();
}

v1::TxResult ExecuteRegisterMember(const v1::RegisterMember& payload,
                                   const v1::MemberRecord& signer, uint64_t height,
                                   StateOverlay& state) {
  const v1::Member& member = payload.member();
  absl::Status valid = ValidateMember(member);
  if (!valid.ok()) return TxReject(v1::TX_INVALID_PAYLOAD, std::string(valid.message()));
  if (member.org() != signer.member().org()) {
    return TxReject(v1::TX_PERMISSION_DENIED,
                    StrCat("an admin of '", signer.member().org(),
                           "' cannot register a member of '", member.org(), "'"));
  }
  if (state.Get(state_keys::Member(member.public_key())).has_value()) {
    return TxReject(v1::TX_INVALID_PAYLOAD, "that public key is already registered");
  }
  if (state.Get(state_keys::MemberName(member.org(), member.name())).has_value()) {
    return TxReject(v1::TX_INVALID_PAYLOAD, StrCat("'", member.org(), "' already has a member '",
                                                   member.name(), "' with an active key"));
  }
  PutNewMember(member, height, state);
  return TxOk();
}

v1::TxResult ExecuteRevokeKey(const v1::RevokeKey& payload, const v1::MemberRecord& signer,
                              uint64_t height, StateOverlay& state) {
  if (payload.reason().size() > limits::kReasonBytesMax) {
    return TxReject(v1::TX_INVALID_PAYLOAD, "reason is too long");
  }
  v1::MemberRecord target;
  v1::TxResult managed = CheckManagedKey(payload.public_key(), signer, height, state, &target);
  if (managed.code() != v1::TX_OK) return managed;
  const v1::Member& member = target.member();
  if (roles::Holds(member.roles(), roles::kAdmin)) {
    uint64_t admins = AdminCount(state, member.org());
    if (admins <= 1) {
      return TxReject(v1::TX_INVALID_PAYLOAD,
                      StrCat("'", member.name(), "' holds the last active admin key of '",
                             member.org(), "'; register another admin first"));
    }
    SetAdminCount(state, member.org(), admins - 1);
  }
  target.set_revoked_from_height(height + 1);
  state.Put(state_keys::Member(member.public_key()), Encode(target));
  state.Delete(state_keys::MemberName(member.org(), member.name()));
  return TxOk();
}

v1::TxResult ExecuteRotateKey(const v1::RotateKey& payload, const v1::MemberRecord& signer,
                              uint64_t height, StateOverlay& state) {
  if (payload.reason().size() > limits::kReasonBytesMax) {
    return TxReject(v1::TX_INVALID_PAYLOAD, "reason is too long");
  }
  v1::MemberRecord target;
  v1::TxResult managed = CheckManagedKey(payload.old_public_key(), signer, height, state, &target);
  if (managed.code() != v1::TX_OK) return managed;
  v1::Member successor = target.member();
  successor.set_public_key(payload.new_public_key());
  absl::Status valid = ValidateMember(successor);
  if (!valid.ok()) return TxReject(v1::TX_INVALID_PAYLOAD, std::string(valid.message()));
  if (state.Get(state_keys::Member(payload.new_public_key())).has_value()) {
    return TxReject(v1::TX_INVALID_PAYLOAD, "the new public key is already registered");
  }
  target.set_revoked_from_height(height + 1);
  target.set_replaced_by(payload.new_public_key());
  state.Put(state_keys::Member(payload.old_public_key()), Encode(target));
  v1::MemberRecord record;
  *record.mutable_member() = successor;
  record.set_registered_height(height);
  state.Put(state_keys::Member(successor.public_key()), Encode(record));
  state.Put(state_keys::MemberName(successor.org(), successor.name()), successor.public_key());
  return TxOk();
}

}  // namespace tl::ledger
