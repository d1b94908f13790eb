// Generic, text, record, list and map instructions. Values are copy-on-write: an op that
// changes a collection register first copies every operand it reads, then mutates the
// register's object in place only if the register is its sole owner (see object.h).
#include <algorithm>
#include <bit>

#include "object.h"
#include "ops.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/vm/limits.h"

namespace tl::vm::internal {
namespace {

using Entries = std::vector<std::pair<Value, Value>>;

// CompareValues with a shortcut for the common int keys.
inline int CompareKeys(const Value& left, const Value& right) {
  if (left.type() == Type::kInt && right.type() == Type::kInt) {
    const int64_t l = ValueAccess::Int(left), r = ValueAccess::Int(right);
    return (l > r) - (l < r);
  }
  return CompareValues(left, right);
}

bool KeyLess(const std::pair<Value, Value>& entry, const Value& key) {
  return CompareKeys(entry.first, key) < 0;
}

// Position of `key` in ascending `entries`, or of the first greater key.
Entries::iterator LowerBound(Entries& entries, const Value& key) {
  return std::lower_bound(entries.begin(), entries.end(), key, KeyLess);
}

const std::pair<Value, Value>* FindEntry(const Value& map, const Value& key) {
  const auto entries = map.MapEntries();
  auto it = std::lower_bound(entries.begin(), entries.end(), key, KeyLess);
  if (it == entries.end() || CompareKeys(it->first, key) != 0) return nullptr;
  return &*it;
}

// Copies a dynamically typed `value` into register `out`, whose type is static.
TrapCode Extract(const Value& value, RunState& state, Value& out) {
  if (value.type() != out.type()) {
    state.message =
        StrCat("expected a ", TypeName(out.type()), ", found a ", TypeName(value.type()));
    return TrapCode::kTypeError;
  }
  out = value;
  return TrapCode::kNone;
}

// Cost of copying the collection in `v` before a change, when other registers share it.
uint64_t CloneGas(const Value& v) {
  if (ValueAccess::Obj(v) == nullptr || ValueAccess::Unique(v)) return 0;
  switch (v.type()) {
    case Type::kList:
      return v.ListItems().size();
    case Type::kMap:
      return 2 * v.MapEntries().size();
    case Type::kRecord:
      return v.RecordFields().size();
    default:
      return 0;
  }
}

// Cost of a binary search for `key` among `entries` map entries: one comparison per halving,
// each paying for the key's bytes.
uint64_t SearchGas(size_t entries, const Value& key) {
  const bool text = key.type() == Type::kString || key.type() == Type::kBytes;
  return std::bit_width(entries) * (1 + (text ? BytesGas(key.AsString().size()) : 0));
}

bool IndexOk(int64_t index, size_t size) {
  return index >= 0 && uint64_t(index) < size;
}

TrapCode Concat(Type type, RunState& state, Value* r, const LinkedInstruction& in) {
  const std::string_view left = r[in.b].AsString(), right = r[in.c].AsString();
  state.pending_gas += BytesGas(left.size() + right.size());
  return SetString(type, StrCat(left, right), r[in.a]);
}

}  // namespace

uint64_t BytesGas(size_t bytes) {
  return (bytes + 7) / 8;
}

TrapCode SetString(Type type, std::string data, Value& out) {
  if (data.size() > kStringBytesMax) return TrapCode::kLimitExceeded;
  ValueAccess::Adopt(out, type, new TextObject(type, std::move(data)));
  return TrapCode::kNone;
}

TrapCode Op_kMove(RunState& state, Value* r, const LinkedInstruction& in) {
  r[in.a] = r[in.b];
  return TrapCode::kNone;
}

TrapCode Op_kLoadk(RunState& state, Value* r, const LinkedInstruction& in) {
  r[in.a] = ProgramAccess::Constants(*state.program)[in.b];
  return TrapCode::kNone;
}

TrapCode Op_kEqv(RunState& state, Value* r, const LinkedInstruction& in) {
  uint64_t work = 0;
  ValueAccess::Bool(r[in.a]) = CompareValuesCounted(r[in.b], r[in.c], &work) == 0;
  state.pending_gas += work;
  return TrapCode::kNone;
}

TrapCode Op_kLtv(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value &x = r[in.b], &y = r[in.c];
  if (x.type() == Type::kMoney && x.MoneyCurrency() != y.MoneyCurrency()) {
    state.message = StrCat("currency mismatch: '", x.MoneyCurrency().code(), "' and '",
                           y.MoneyCurrency().code(), "'");
    return TrapCode::kCurrencyMismatch;
  }
  if (x.type() == Type::kString || x.type() == Type::kBytes) {
    state.pending_gas += BytesGas(std::min(x.AsString().size(), y.AsString().size()));
  }
  ValueAccess::Bool(r[in.a]) = CompareValues(x, y) < 0;
  return TrapCode::kNone;
}

TrapCode Op_kScat(RunState& state, Value* r, const LinkedInstruction& in) {
  return Concat(Type::kString, state, r, in);
}
TrapCode Op_kBcat(RunState& state, Value* r, const LinkedInstruction& in) {
  return Concat(Type::kBytes, state, r, in);
}
TrapCode Op_kSlen(RunState& state, Value* r, const LinkedInstruction& in) {
  ValueAccess::Int(r[in.a]) = static_cast<int64_t>(r[in.b].AsString().size());
  return TrapCode::kNone;
}
TrapCode Op_kBlen(RunState& state, Value* r, const LinkedInstruction& in) {
  return Op_kSlen(state, r, in);
}
TrapCode Op_kStob(RunState& state, Value* r, const LinkedInstruction& in) {
  state.pending_gas += BytesGas(r[in.b].AsString().size());
  return SetString(Type::kBytes, std::string(r[in.b].AsString()), r[in.a]);
}
TrapCode Op_kItos(RunState& state, Value* r, const LinkedInstruction& in) {
  return SetString(Type::kString, StrCat(ValueAccess::Int(r[in.b])), r[in.a]);
}

TrapCode Op_kRecnew(RunState& state, Value* r, const LinkedInstruction& in) {
  const auto& shape = state.program->module().constants[in.b].shape;
  std::vector<Value> fields(r + in.c, r + in.c + shape->size());
  state.pending_gas += fields.size();
  absl::StatusOr<Value> record = Value::MakeRecord(shape, std::move(fields));
  if (!record.ok()) return TrapCode::kLimitExceeded;
  r[in.a] = *std::move(record);
  return TrapCode::kNone;
}

TrapCode Op_kRecget(RunState& state, Value* r, const LinkedInstruction& in) {
  const auto fields = r[in.b].RecordFields();
  if (in.c >= fields.size()) return TrapCode::kIndexOutOfRange;
  return Extract(fields[in.c], state, r[in.a]);
}

TrapCode Op_kRecset(RunState& state, Value* r, const LinkedInstruction& in) {
  if (in.b >= r[in.a].RecordFields().size()) return TrapCode::kIndexOutOfRange;
  const Value field = r[in.c];
  state.pending_gas += CloneGas(r[in.a]);
  RecordObject* record = MutableRecord(r[in.a]);
  if (!AdmitChild(record, field, NodesOf(record->fields[in.b]))) return TrapCode::kLimitExceeded;
  record->fields[in.b] = field;
  return TrapCode::kNone;
}

TrapCode Op_kLnew(RunState& state, Value* r, const LinkedInstruction& in) {
  ValueAccess::Adopt(r[in.a], Type::kList, new ListObject());
  return TrapCode::kNone;
}

TrapCode Op_kLpush(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value item = r[in.b];
  if (r[in.a].ListItems().size() >= kCollectionEntriesMax) return TrapCode::kLimitExceeded;
  state.pending_gas += CloneGas(r[in.a]);
  ListObject* list = MutableList(r[in.a]);
  if (!AdmitChild(list, item, 0)) return TrapCode::kLimitExceeded;
  list->items.push_back(item);
  return TrapCode::kNone;
}

TrapCode Op_kLget(RunState& state, Value* r, const LinkedInstruction& in) {
  const auto items = r[in.b].ListItems();
  const int64_t index = ValueAccess::Int(r[in.c]);
  if (!IndexOk(index, items.size())) return TrapCode::kIndexOutOfRange;
  return Extract(items[index], state, r[in.a]);
}

TrapCode Op_kLset(RunState& state, Value* r, const LinkedInstruction& in) {
  const int64_t index = ValueAccess::Int(r[in.b]);
  if (!IndexOk(index, r[in.a].ListItems().size())) return TrapCode::kIndexOutOfRange;
  const Value item = r[in.c];
  state.pending_gas += CloneGas(r[in.a]);
  ListObject* list = MutableList(r[in.a]);
  if (!AdmitChild(list, item, NodesOf(list->items[index]))) return TrapCode::kLimitExceeded;
  list->items[index] = item;
  return TrapCode::kNone;
}

TrapCode Op_kLlen(RunState& state, Value* r, const LinkedInstruction& in) {
  ValueAccess::Int(r[in.a]) = static_cast<int64_t>(r[in.b].ListItems().size());
  return TrapCode::kNone;
}

TrapCode Op_kMapnew(RunState& state, Value* r, const LinkedInstruction& in) {
  ValueAccess::Adopt(r[in.a], Type::kMap, new MapObject());
  return TrapCode::kNone;
}

TrapCode Op_kMapput(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value key = r[in.b], item = r[in.c];
  state.pending_gas += CloneGas(r[in.a]) + SearchGas(r[in.a].MapEntries().size(), key);
  MapObject* map = MutableMap(r[in.a]);
  auto it = LowerBound(map->entries, key);
  if (it != map->entries.end() && CompareKeys(it->first, key) == 0) {
    if (!AdmitChild(map, item, NodesOf(it->second))) return TrapCode::kLimitExceeded;
    it->second = item;
    return TrapCode::kNone;
  }
  if (map->entries.size() >= kCollectionEntriesMax) return TrapCode::kLimitExceeded;
  const uint32_t nodes_before = map->nodes, depth_before = map->depth;
  if (!AdmitChild(map, key, 0) || !AdmitChild(map, item, 0)) {
    map->nodes = nodes_before;
    map->depth = depth_before;
    return TrapCode::kLimitExceeded;
  }
  state.pending_gas += map->entries.size() / 16;  // shifting the sorted entries
  map->entries.emplace(it, key, item);
  return TrapCode::kNone;
}

TrapCode Op_kMapget(RunState& state, Value* r, const LinkedInstruction& in) {
  state.pending_gas += SearchGas(r[in.b].MapEntries().size(), r[in.c]);
  const auto* entry = FindEntry(r[in.b], r[in.c]);
  if (entry == nullptr) {
    state.message = StrCat("key ", r[in.c].DebugString(), " not in map");
    return TrapCode::kKeyNotFound;
  }
  return Extract(entry->second, state, r[in.a]);
}

TrapCode Op_kMaphas(RunState& state, Value* r, const LinkedInstruction& in) {
  state.pending_gas += SearchGas(r[in.b].MapEntries().size(), r[in.c]);
  ValueAccess::Bool(r[in.a]) = FindEntry(r[in.b], r[in.c]) != nullptr;
  return TrapCode::kNone;
}

TrapCode Op_kMapdel(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value key = r[in.b];
  state.pending_gas += SearchGas(r[in.a].MapEntries().size(), key);
  if (FindEntry(r[in.a], key) == nullptr) return TrapCode::kNone;
  state.pending_gas += CloneGas(r[in.a]);
  MapObject* map = MutableMap(r[in.a]);
  auto it = LowerBound(map->entries, key);
  map->nodes -= NodesOf(it->first) + NodesOf(it->second);
  state.pending_gas += map->entries.size() / 16;
  map->entries.erase(it);
  return TrapCode::kNone;
}

TrapCode Op_kMaplen(RunState& state, Value* r, const LinkedInstruction& in) {
  ValueAccess::Int(r[in.a]) = static_cast<int64_t>(r[in.b].MapEntries().size());
  return TrapCode::kNone;
}

TrapCode Op_kMapkey(RunState& state, Value* r, const LinkedInstruction& in) {
  const auto entries = r[in.b].MapEntries();
  const int64_t index = ValueAccess::Int(r[in.c]);
  if (!IndexOk(index, entries.size())) return TrapCode::kIndexOutOfRange;
  return Extract(entries[index].first, state, r[in.a]);
}

TrapCode Op_kMapval(RunState& state, Value* r, const LinkedInstruction& in) {
  const auto entries = r[in.b].MapEntries();
  const int64_t index = ValueAccess::Int(r[in.c]);
  if (!IndexOk(index, entries.size())) return TrapCode::kIndexOutOfRange;
  return Extract(entries[index].second, state, r[in.a]);
}

}  // namespace tl::vm::internal
