// Heap objects: destruction, size accounting and copy-on-write (see object.h).
#include <algorithm>
#include "trialledger/base/check.h"

#include "object.h"
#include "trialledger/vm/limits.h"

namespace tl::vm::internal {

void DestroyObject(Object* object) noexcept {
  switch (object->type) {
    case Type::kMoney:
      delete static_cast<MoneyObject*>(object);
      return;
    case Type::kRational:
      delete static_cast<RationalObject*>(object);
      return;
    case Type::kString:
    case Type::kBytes:
      delete static_cast<TextObject*>(object);
      return;
    case Type::kList:
      delete static_cast<ListObject*>(object);
      return;
    case Type::kMap:
      delete static_cast<MapObject*>(object);
      return;
    case Type::kRecord:
      delete static_cast<RecordObject*>(object);
      return;
    default:
      TL_CHECK_MSG(false, "not a heap type");
  }
}

bool AdmitChild(Object* container, const Value& child, uint32_t replaced_nodes) {
  const uint64_t nodes = uint64_t{container->nodes} - replaced_nodes + NodesOf(child);
  const uint32_t depth = std::max(container->depth, DepthOf(child) + 1);
  if (nodes > kValueNodesMax || depth > kValueDepthMax) return false;
  container->nodes = static_cast<uint32_t>(nodes);
  container->depth = depth;
  return true;
}

bool RecomputeSize(Object* container) {
  container->nodes = 1;
  container->depth = 1;
  auto admit = [&](const Value& child) { return AdmitChild(container, child, 0); };
  switch (container->type) {
    case Type::kList:
      for (const Value& item : static_cast<ListObject*>(container)->items) {
        if (!admit(item)) return false;
      }
      return true;
    case Type::kMap:
      for (const auto& [key, value] : static_cast<MapObject*>(container)->entries) {
        if (!admit(key) || !admit(value)) return false;
      }
      return true;
    case Type::kRecord:
      for (const Value& field : static_cast<RecordObject*>(container)->fields) {
        if (!admit(field)) return false;
      }
      return true;
    default:
      return true;
  }
}

ListObject* MutableList(Value& v) {
  if (ValueAccess::Unique(v)) return ValueAccess::As<ListObject>(v);
  auto* copy = new ListObject();
  if (const auto* source = ValueAccess::As<ListObject>(v); source != nullptr) {
    copy->items = source->items;
    copy->nodes = source->nodes;
    copy->depth = source->depth;
  }
  ValueAccess::Adopt(v, Type::kList, copy);
  return copy;
}

MapObject* MutableMap(Value& v) {
  if (ValueAccess::Unique(v)) return ValueAccess::As<MapObject>(v);
  auto* copy = new MapObject();
  if (const auto* source = ValueAccess::As<MapObject>(v); source != nullptr) {
    copy->entries = source->entries;
    copy->nodes = source->nodes;
    copy->depth = source->depth;
  }
  ValueAccess::Adopt(v, Type::kMap, copy);
  return copy;
}

RecordObject* MutableRecord(Value& v) {
  if (ValueAccess::Unique(v)) return ValueAccess::As<RecordObject>(v);
  TL_CHECK_MSG(ValueAccess::Obj(v) != nullptr, "callers check for the empty record");
  auto* source = ValueAccess::As<RecordObject>(v);
  auto* copy = new RecordObject(source->shape, source->fields);
  copy->nodes = source->nodes;
  copy->depth = source->depth;
  ValueAccess::Adopt(v, Type::kRecord, copy);
  return copy;
}

}  // namespace tl::vm::internal
