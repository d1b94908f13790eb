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

#include "native_amount.h"
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

// Minor units are native (see native_amount.h): |minor| <= 10^30 always fits an __int128.
struct MoneyObject : Object {
  MoneyObject(Currency c, NativeAmount m) : Object(Type::kMoney), currency(c), minor(m) {}
  Currency currency;
  NativeAmount minor;
};

// The exact parts, plus native copies when both fit an __int128 so that money × rational can
// skip Boost. Write through Set() to keep the two in step.
class RationalObject : public Object {
 public:
  RationalObject(Amount n, Amount d) : Object(Type::kRational) { Set(std::move(n), std::move(d)); }
  // REQUIRES: d > 0, gcd(n, d) == 1.
  void Set(Amount n, Amount d) {
    numerator_ = std::move(n);
    denominator_ = std::move(d);
    fits_native_ =
        ToNative(numerator_, &native_numerator_) && ToNative(denominator_, &native_denominator_);
    fits_int64_ = fits_native_ && FitsInt64(native_numerator_) && FitsInt64(native_denominator_);
  }
  const Amount& numerator() const { return numerator_; }
  const Amount& denominator() const { return denominator_; }
  bool fits_native() const { return fits_native_; }
  bool fits_int64() const { return fits_int64_; }  // implies fits_native()
  // REQUIRES: fits_native().
  NativeAmount native_numerator() const { return native_numerator_; }
  NativeAmount native_denominator() const { return native_denominator_; }

 private:
  Amount numerator_;
  Amount denominator_;
  NativeAmount native_numerator_ = 0;
  NativeAmount native_denominator_ = 1;
  bool fits_native_ = false;
  bool fits_int64_ = false;
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

// Money parts without the public accessors' type checks and Boost conversion.
// REQUIRES: v.type() == Type::kMoney.
inline NativeAmount MinorOf(const Value& v) {
  const auto* money = ValueAccess::As<MoneyObject>(v);
  return money != nullptr ? money->minor : 0;
}
inline Currency CurrencyOf(const Value& v) {
  const auto* money = ValueAccess::As<MoneyObject>(v);
  return money != nullptr ? money->currency : Currency();
}

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
