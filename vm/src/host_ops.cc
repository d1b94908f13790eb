// Host-interface instructions. Storage writes and events go to the run's buffers in RunState;
// the interpreter hands them to the host only when the run ends without a trap.
#include "object.h"
#include "ops.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/vm/limits.h"
#include "trialledger/vm/value_codec.h"

namespace tl::vm::internal {
namespace {

TrapCode CheckKey(std::string_view key, RunState& state) {
  if (key.size() > kStorageKeyBytesMax) {
    state.message = StrCat("storage key of ", key.size(), " bytes exceeds ", kStorageKeyBytesMax);
    return TrapCode::kLimitExceeded;
  }
  state.pending_gas += key.size();
  return TrapCode::kNone;
}

TrapCode Buffer(std::string_view key, std::optional<std::string> value, RunState& state) {
  auto it = state.writes.find(key);
  if (it == state.writes.end()) {
    if (state.writes.size() >= kStorageWritesPerRunMax) return TrapCode::kLimitExceeded;
    state.writes.emplace(std::string(key), std::move(value));
  } else {
    it->second = std::move(value);
  }
  return TrapCode::kNone;
}

TrapCode DecodeInto(std::string_view bytes, RunState& state, Value& out) {
  state.pending_gas += bytes.size();  // decoding may allocate a value per byte
  absl::StatusOr<Value> value = DecodeValue(bytes);
  if (!value.ok()) {
    state.message = std::string(value.status().message());
    return TrapCode::kInvalidValue;
  }
  if (value->type() != out.type()) {
    state.message =
        StrCat("expected a ", TypeName(out.type()), ", found a ", TypeName(value->type()));
    return TrapCode::kTypeError;
  }
  out = *std::move(value);
  return TrapCode::kNone;
}

TrapCode SetText(Type type, std::string_view data, RunState& state, Value& out) {
  state.pending_gas += BytesGas(data.size());
  return SetString(type, std::string(data), out);
}

}  // namespace

TrapCode Op_kSget(RunState& state, Value* r, const LinkedInstruction& in) {
  const std::string_view key = r[in.b].AsString();
  if (TrapCode t = CheckKey(key, state); t != TrapCode::kNone) return t;
  std::optional<std::string> stored;
  if (auto it = state.writes.find(key); it != state.writes.end()) {
    stored = it->second;
  } else {
    absl::StatusOr<std::optional<std::string>> read = state.host->StorageGet(key);
    if (!read.ok()) {
      state.host_error = read.status();
      return kHostFailure;
    }
    stored = *std::move(read);
  }
  if (!stored.has_value()) {
    r[in.a] = r[in.c];
    return TrapCode::kNone;
  }
  return DecodeInto(*stored, state, r[in.a]);
}

TrapCode Op_kSput(RunState& state, Value* r, const LinkedInstruction& in) {
  const std::string_view key = r[in.a].AsString();
  if (TrapCode t = CheckKey(key, state); t != TrapCode::kNone) return t;
  std::string encoded;
  if (!EncodeValue(r[in.b], kStorageValueBytesMax, &encoded)) {
    state.message = StrCat("storage value exceeds ", kStorageValueBytesMax, " bytes");
    return TrapCode::kLimitExceeded;
  }
  state.pending_gas += encoded.size();
  return Buffer(key, std::move(encoded), state);
}

TrapCode Op_kSdel(RunState& state, Value* r, const LinkedInstruction& in) {
  const std::string_view key = r[in.a].AsString();
  if (TrapCode t = CheckKey(key, state); t != TrapCode::kNone) return t;
  return Buffer(key, std::nullopt, state);
}

TrapCode Op_kPayload(RunState& state, Value* r, const LinkedInstruction& in) {
  return SetText(Type::kBytes, state.host->Payload(), state, r[in.a]);
}

TrapCode Op_kDecode(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value bytes = r[in.b];  // keeps the bytes alive if a == b
  return DecodeInto(bytes.AsString(), state, r[in.a]);
}

TrapCode Op_kEncode(RunState& state, Value* r, const LinkedInstruction& in) {
  std::string encoded;
  if (!EncodeValue(r[in.b], kStringBytesMax, &encoded)) return TrapCode::kLimitExceeded;
  state.pending_gas += BytesGas(encoded.size());
  return SetString(Type::kBytes, std::move(encoded), r[in.a]);
}

TrapCode Op_kHeight(RunState& state, Value* r, const LinkedInstruction& in) {
  ValueAccess::Int(r[in.a]) = state.host->BlockHeight();
  return TrapCode::kNone;
}

TrapCode Op_kBtime(RunState& state, Value* r, const LinkedInstruction& in) {
  ValueAccess::Int(r[in.a]) = state.host->BlockTimeMs();
  return TrapCode::kNone;
}

TrapCode Op_kCaller(RunState& state, Value* r, const LinkedInstruction& in) {
  return SetText(Type::kBytes, state.host->CallerKey(), state, r[in.a]);
}

TrapCode Op_kCorg(RunState& state, Value* r, const LinkedInstruction& in) {
  return SetText(Type::kString, state.host->CallerOrganisation(), state, r[in.a]);
}

TrapCode Op_kHasrole(RunState& state, Value* r, const LinkedInstruction& in) {
  ValueAccess::Bool(r[in.a]) = state.host->CallerHasRole(r[in.b].AsString());
  return TrapCode::kNone;
}

TrapCode Op_kReqrole(RunState& state, Value* r, const LinkedInstruction& in) {
  const std::string_view role = r[in.a].AsString();
  if (state.host->CallerHasRole(role)) return TrapCode::kNone;
  state.message = StrCat("caller lacks role '", role, "'");
  return TrapCode::kRequireFailed;
}

TrapCode Op_kReqparty(RunState& state, Value* r, const LinkedInstruction& in) {
  const std::string_view party = r[in.a].AsString();
  const std::string_view organisation = state.host->CallerOrganisation();
  if (organisation == party) return TrapCode::kNone;
  state.message = StrCat("caller's organisation '", organisation, "' is not '", party, "'");
  return TrapCode::kRequireFailed;
}

TrapCode Op_kEmit(RunState& state, Value* r, const LinkedInstruction& in) {
  if (state.events.size() >= kEventsPerRunMax) {
    state.message = StrCat("more than ", kEventsPerRunMax, " events");
    return TrapCode::kLimitExceeded;
  }
  std::string encoded;
  if (!EncodeValue(r[in.b], kEventBytesMax, &encoded)) {
    state.message = StrCat("event fields exceed ", kEventBytesMax, " bytes");
    return TrapCode::kLimitExceeded;
  }
  state.pending_gas += encoded.size();
  const Value& name = ProgramAccess::Constants(*state.program)[in.a];
  state.events.push_back(Event{std::string(name.AsString()), r[in.b]});
  return TrapCode::kNone;
}

TrapCode Op_kCheck(RunState& state, Value* r, const LinkedInstruction& in) {
  if (ValueAccess::Bool(r[in.a])) return TrapCode::kNone;
  state.message = std::string(r[in.b].AsString());
  return TrapCode::kCheckFailed;
}

TrapCode Op_kAbort(RunState& state, Value* r, const LinkedInstruction& in) {
  state.message = std::string(r[in.a].AsString());
  return TrapCode::kAborted;
}

}  // namespace tl::vm::internal
