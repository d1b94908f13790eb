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

using Entry = std::pair<Value, Value>;

std::string_view TextOf(const Value& v) {
  const auto* text = ValueAccess::As<TextObject>(v);
  return text != nullptr ? std::string_view(text->data) : std::string_view();
}

// CompareValues with shortcuts for the common int and text keys; the same order.
inline int CompareKeys(const Value& left, const Value& right) {
  if (left.type() == right.type()) {
    if (left.type() == Type::kInt) {
      const int64_t l = ValueAccess::Int(left), r = ValueAccess::Int(right);
      return (l > r) - (l < r);
    }
    if (left.type() == Type::kString || left.type() == Type::kBytes) {
      const int c = TextOf(left).compare(TextOf(right));
      return (c > 0) - (c < 0);
    }
  }
  return CompareValues(left, right);
}

std::span<const Entry> EntriesOf(const Value& map) {
  const auto* object = ValueAccess::As<MapObject>(map);
  return object != nullptr ? std::span<const Entry>(object->entries) : std::span<const Entry>();
}

// Whether every key is an int: types order first, so the ends' types bound all of them.
inline bool AllIntKeys(std::span<const Entry> entries) {
  return !entries.empty() && entries.front().first.type() == Type::kInt &&
         entries.back().first.type() == Type::kInt;
}

// std::lower_bound for int key `k` among distinct, ascending int keys, without CompareValues.
// At most k - first keys lie below k and at most last - k above it, which pins the position to
// a window: a single slot for a dense run of keys (0..n-1, say), so the common lookup needs no
// search at all. The window only narrows where to look; the result is std::lower_bound's, and
// gas stays the full binary search's (SearchGas). REQUIRES: AllIntKeys(entries).
inline size_t IntLowerBound(std::span<const Entry> entries, int64_t k) {
  const size_t size = entries.size();
  const int64_t first = ValueAccess::Int(entries.front().first);
  const int64_t last = ValueAccess::Int(entries.back().first);
  if (k <= first) return 0;
  if (k > last) return size;
  // Unsigned differences are exact here: 0 < k - first < 2^64 and 0 <= last - k < 2^64.
  const uint64_t below_max = uint64_t(k) - uint64_t(first);
  const uint64_t above_max = uint64_t(last) - uint64_t(k);
  size_t low = above_max >= size ? 0 : size - 1 - above_max;
  size_t high = below_max >= size ? size : below_max;
  while (low < high) {
    const size_t middle = low + (high - low) / 2;
    if (ValueAccess::Int(entries[middle].first) < k) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

// Position of `key` in ascending `entries`, or of the first greater key (std::lower_bound).
size_t LowerBoundIndex(std::span<const Entry> entries, const Value& key) {
  if (key.type() == Type::kInt && AllIntKeys(entries)) {
    return IntLowerBound(entries, ValueAccess::Int(key));
  }
  const auto it = std::lower_bound(
      entries.begin(), entries.end(), key,
      [](const Entry& entry, const Value& k) { return CompareKeys(entry.first, k) < 0; });
  return static_cast<size_t>(it - entries.begin());
}

inline const Entry* FindEntry(std::span<const Entry> entries, const Value& key) {
  if (key.type() == Type::kInt && AllIntKeys(entries)) {
    const int64_t k = ValueAccess::Int(key);
    const size_t index = IntLowerBound(entries, k);
    if (index == entries.size() || ValueAccess::Int(entries[index].first) != k) return nullptr;
    return &entries[index];
  }
  const size_t index = LowerBoundIndex(entries, key);
  if (index == entries.size() || CompareKeys(entries[index].first, key) != 0) return nullptr;
  return &entries[index];
}

// Copies a dynamically typed `value` into register `out`, whose type is static.
inline TrapCode Extract(const Value& value, RunState& state, Value& out) {
  if (value.type() != out.type()) {
    state.message =
        StrCat("expected a ", TypeName(out.type()), ", found a ", TypeName(value.type()));
    return TrapCode::kTypeError;
  }
  if (IsHeapType(value.type())) {
    out = value;
  } else {
    ValueAccess::Int(out) = ValueAccess::Int(value);  // inline bits; no reference to count
  }
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
inline uint64_t SearchGas(size_t entries, const Value& key) {
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
  auto it = map->entries.begin() + LowerBoundIndex(map->entries, key);
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
  const std::span<const Entry> entries = EntriesOf(r[in.b]);
  state.pending_gas += SearchGas(entries.size(), r[in.c]);
  const Entry* entry = FindEntry(entries, r[in.c]);
  if (entry == nullptr) {
    state.message = StrCat("key ", r[in.c].DebugString(), " not in map");
    return TrapCode::kKeyNotFound;
  }
  return Extract(entry->second, state, r[in.a]);
}

TrapCode Op_kMaphas(RunState& state, Value* r, const LinkedInstruction& in) {
  const std::span<const Entry> entries = EntriesOf(r[in.b]);
  state.pending_gas += SearchGas(entries.size(), r[in.c]);
  ValueAccess::Bool(r[in.a]) = FindEntry(entries, r[in.c]) != nullptr;
  return TrapCode::kNone;
}

TrapCode Op_kMapdel(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value key = r[in.b];
  state.pending_gas += SearchGas(r[in.a].MapEntries().size(), key);
  if (FindEntry(EntriesOf(r[in.a]), key) == nullptr) return TrapCode::kNone;
  state.pending_gas += CloneGas(r[in.a]);
  MapObject* map = MutableMap(r[in.a]);
  auto it = map->entries.begin() + LowerBoundIndex(map->entries, key);
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
