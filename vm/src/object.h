// Heap objects behind heap-typed Values, and the raw access the interpreter uses. Nothing here
// is part of the public API.
//
// Copy-on-write: an object is shared by every Value copied from it. An instruction that
// "modifies" a register (LPUSH, MAPPUT, MADD into the same register) mutates the object in place
// only when the register holds the sole reference; otherwise it clones first. Observable values
// therefore never change behind another register's back.
#ifndef TRIALLEDGER_VM_SRC_OBJECT_H_
#define TRIALLEDGER_VM_SRC_OBJECT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>
#include "trialledger/base/check.h"

#include "trialledger/vm/value.h"

namespace tl::vm::internal {

// `nodes` and `depth` bound the logical size of a value even when sub-values are shared, so
// that comparing, encoding or destroying any value takes bounded time (kValueNodesMax,
// kValueDepthMax). Leaves (money, rationals, text) count one node at depth 0; a container counts
// itself plus its children's nodes and sits one level above its deepest child. Removing a child
// lowers `nodes` but never `depth`, which stays a conservative bound.
struct Object {
  explicit Object(Type object_type) : type(object_type), depth(object_type >= Type::kList) {}
  uint32_t refs = 1;
  Type type;
  uint32_t nodes = 1;
  uint32_t depth;
};

struct MoneyObject : Object {
  MoneyObject(Currency c, Amount m) : Object(Type::kMoney), currency(c), minor(std::move(m)) {}
  Currency currency;
  Amount minor;
};

struct RationalObject : Object {
  RationalObject(Amount n, Amount d)
      : Object(Type::kRational), numerator(std::move(n)), denominator(std::move(d)) {}
  Amount numerator;
  Amount denominator;  // > 0, gcd(numerator, denominator) == 1
};

struct TextObject : Object {  // kString or kBytes
  TextObject(Type t, std::string d) : Object(t), data(std::move(d)) {}
  std::string data;
};

struct ListObject : Object {
  ListObject() : Object(Type::kList) {}
  std::vector<Value> items;
};

struct MapObject : Object {
  MapObject() : Object(Type::kMap) {}
  std::vector<std::pair<Value, Value>> entries;  // strictly ascending keys
};

struct RecordObject : Object {
  RecordObject(std::shared_ptr<const RecordShape> s, std::vector<Value> f)
      : Object(Type::kRecord), shape(std::move(s)), fields(std::move(f)) {}
  std::shared_ptr<const RecordShape> shape;
  std::vector<Value> fields;  // fields.size() == shape->size()
};

void DestroyObject(Object* object) noexcept;

// CompareValues that also adds the work it did to `*work`: one per value visited and one per
// 8 bytes of text compared. EQV charges this as gas; it is deterministic like the result.
int CompareValuesCounted(const Value& left, const Value& right, uint64_t* work);

// Raw access for the interpreter and the ops. Writers of raw bits keep the type invariants:
// a register's type never changes, and a heap-typed Value owns one reference to its object.
struct ValueAccess {
  static int64_t& Int(Value& v) { return v.bits_.i; }
  static int64_t Int(const Value& v) { return v.bits_.i; }
  static bool& Bool(Value& v) { return v.bits_.b; }
  static bool Bool(const Value& v) { return v.bits_.b; }
  static Object* Obj(const Value& v) { return v.bits_.object; }
  // Sets the raw type tag and zero bits. REQUIRES: `v` holds no object reference.
  static void Reset(Value& v, Type type) {
    TL_CHECK(!IsHeapType(v.type_) || v.bits_.object == nullptr);
    v.type_ = type;
    v.bits_.i = 0;
  }
  // Replaces the object of heap-typed `v` with `object`, adopting its reference.
  static void Adopt(Value& v, Type type, Object* object) {
    v.Release();
    v.type_ = type;
    v.bits_.object = object;
  }
  template <typename T>
  static T* As(const Value& v) {
    return static_cast<T*>(v.bits_.object);
  }
  static bool Unique(const Value& v) {
    return v.bits_.object != nullptr && v.bits_.object->refs == 1;
  }
};

inline uint32_t NodesOf(const Value& v) {
  const Object* object = ValueAccess::Obj(v);
  return IsHeapType(v.type()) && object != nullptr ? object->nodes : 1;
}
inline uint32_t DepthOf(const Value& v) {
  if (v.type() < Type::kList) return 0;
  const Object* object = ValueAccess::Obj(v);
  return object != nullptr ? object->depth : 1;
}
// Accounts for `child` entering `container` (replacing a child of `replaced_nodes` nodes, 0 if
// none). Returns false, changing nothing, if the value would exceed kValueNodesMax or
// kValueDepthMax.
bool AdmitChild(Object* container, const Value& child, uint32_t replaced_nodes);
// Recomputes nodes and depth of a freshly built container from its children; false if over
// the limits.
bool RecomputeSize(Object* container);

// Returns a pointer to a list/map/record/text object of `v` that this register alone owns,
// cloning the shared object or creating an empty one as needed.
ListObject* MutableList(Value& v);
MapObject* MutableMap(Value& v);
RecordObject* MutableRecord(Value& v);

}  // namespace tl::vm::internal

#endif  // TRIALLEDGER_VM_SRC_OBJECT_H_
