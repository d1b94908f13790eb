#include "trialledger/vm/value.h"

#include <algorithm>
#include "trialledger/base/check.h"

#include "arith.h"
#include "object.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/vm/limits.h"

namespace tl::vm {

using internal::ListObject;
using internal::MapObject;
using internal::MoneyObject;
using internal::Object;
using internal::RationalObject;
using internal::RecordObject;
using internal::TextObject;
using internal::ValueAccess;

bool Currency::Parse(std::string_view code, Currency* out) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  std::copy(code.begin(), code.end(), out->letters_.begin());
  return true;
}

Value::Value(const Value& other) noexcept : type_(other.type_), bits_(other.bits_) {
  if (IsHeapType(type_) && bits_.object != nullptr) ++bits_.object->refs;
}

Value::Value(Value&& other) noexcept : type_(other.type_), bits_(other.bits_) {
  other.type_ = Type::kNone;
  other.bits_.i = 0;
}

Value& Value::operator=(const Value& other) noexcept {
  // Copy first: `other` may live inside the object this Value releases.
  const Type type = other.type_;
  const Bits bits = other.bits_;
  if (IsHeapType(type) && bits.object != nullptr) ++bits.object->refs;
  Release();
  type_ = type;
  bits_ = bits;
  return *this;
}

Value& Value::operator=(Value&& other) noexcept {
  if (this != &other) {
    const Type type = other.type_;
    const Bits bits = other.bits_;
    other.type_ = Type::kNone;
    other.bits_.i = 0;
    Release();
    type_ = type;
    bits_ = bits;
  }
  return *this;
}

void Value::Release() noexcept {
  if (IsHeapType(type_) && bits_.object != nullptr) {
    if (--bits_.object->refs == 0) internal::DestroyObject(bits_.object);
    bits_.object = nullptr;
  }
}

Value Value::MakeBool(bool value) {
  Value v;
  ValueAccess::Reset(v, Type::kBool);
  ValueAccess::Bool(v) = value;
  return v;
}

namespace {
Value Scalar(Type type, int64_t bits) {
  Value v;
  ValueAccess::Reset(v, type);
  ValueAccess::Int(v) = bits;
  return v;
}
}  // namespace

Value Value::MakeInt(int64_t value) {
  return Scalar(Type::kInt, value);
}
Value Value::MakeTime(int64_t ms_since_epoch) {
  return Scalar(Type::kTime, ms_since_epoch);
}
Value Value::MakeDuration(int64_t ms) {
  return Scalar(Type::kDuration, ms);
}
Value Value::ZeroOf(Type type) {
  return Scalar(type, 0);
}

absl::StatusOr<Value> Value::MakeMoney(std::string_view currency, Amount minor) {
  Currency parsed;
  if (!Currency::Parse(currency, &parsed)) {
    return absl::InvalidArgumentError(
        StrCat("currency code '", currency, "' is not three capital letters"));
  }
  if (!internal::MoneyInRange(minor)) {
    return absl::InvalidArgumentError(
        StrCat("money amount ", minor.str(), " exceeds 10^", kMoneyMinorDigitsMax, " minor units"));
  }
  Value v;
  internal::NativeAmount native;
  TL_CHECK(internal::ToNative(minor, &native));  // |minor| <= 10^30 < 2^127
  ValueAccess::Adopt(v, Type::kMoney, new MoneyObject(parsed, native));
  return v;
}

absl::StatusOr<Value> Value::MakeRational(Amount numerator, Amount denominator) {
  if (denominator == 0) return absl::InvalidArgumentError("rational with denominator 0");
  Amount n, d;
  if (!internal::ReduceRational(numerator, denominator, &n, &d)) {
    return absl::InvalidArgumentError("rational does not fit 128-bit parts");
  }
  Value v;
  ValueAccess::Adopt(v, Type::kRational, new RationalObject(n, d));
  return v;
}

namespace {
absl::StatusOr<Value> MakeText(Type type, std::string_view data) {
  if (data.size() > kStringBytesMax) {
    return absl::InvalidArgumentError(
        StrCat(TypeName(type), " of ", data.size(), " bytes exceeds ", kStringBytesMax));
  }
  Value v;
  ValueAccess::Adopt(v, type, new TextObject(type, std::string(data)));
  return v;
}
}  // namespace

absl::StatusOr<Value> Value::MakeString(std::string_view text) {
  return MakeText(Type::kString, text);
}
absl::StatusOr<Value> Value::MakeBytes(std::string_view bytes) {
  return MakeText(Type::kBytes, bytes);
}

namespace {
constexpr const char* kTooLarge =
    "value nests deeper than kValueDepthMax or holds more than kValueNodesMax values";
}  // namespace

absl::StatusOr<Value> Value::MakeList(std::vector<Value> items) {
  if (items.size() > kCollectionEntriesMax) {
    return absl::InvalidArgumentError("list exceeds the collection size limit");
  }
  auto* list = new ListObject();
  list->items = std::move(items);
  Value v;
  ValueAccess::Adopt(v, Type::kList, list);
  if (!internal::RecomputeSize(list)) return absl::InvalidArgumentError(kTooLarge);
  return v;
}

absl::StatusOr<Value> Value::MakeMap(std::vector<std::pair<Value, Value>> entries) {
  if (entries.size() > kCollectionEntriesMax) {
    return absl::InvalidArgumentError("map exceeds the collection size limit");
  }
  for (const auto& [key, value] : entries) {
    if (!IsKeyType(key.type())) {
      return absl::InvalidArgumentError(StrCat("a ", TypeName(key.type()), " cannot be a map key"));
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return CompareValues(a.first, b.first) < 0; });
  for (size_t i = 1; i < entries.size(); ++i) {
    if (CompareValues(entries[i - 1].first, entries[i].first) == 0) {
      return absl::InvalidArgumentError("map has a duplicate key");
    }
  }
  auto* map = new MapObject();
  map->entries = std::move(entries);
  Value v;
  ValueAccess::Adopt(v, Type::kMap, map);
  if (!internal::RecomputeSize(map)) return absl::InvalidArgumentError(kTooLarge);
  return v;
}

absl::StatusOr<Value> Value::MakeRecord(std::shared_ptr<const RecordShape> shape,
                                        std::vector<Value> fields) {
  if (shape == nullptr || shape->size() != fields.size()) {
    return absl::InvalidArgumentError("record needs one value per field name");
  }
  auto* record = new RecordObject(std::move(shape), std::move(fields));
  Value v;
  ValueAccess::Adopt(v, Type::kRecord, record);
  if (!internal::RecomputeSize(record)) return absl::InvalidArgumentError(kTooLarge);
  return v;
}

bool Value::AsBool() const {
  TL_CHECK(type_ == Type::kBool);
  return bits_.b;
}
int64_t Value::AsInt() const {
  TL_CHECK(type_ == Type::kInt);
  return bits_.i;
}
int64_t Value::AsTimeMs() const {
  TL_CHECK(type_ == Type::kTime);
  return bits_.i;
}
int64_t Value::AsDurationMs() const {
  TL_CHECK(type_ == Type::kDuration);
  return bits_.i;
}

Currency Value::MoneyCurrency() const {
  TL_CHECK(type_ == Type::kMoney);
  return bits_.object ? static_cast<MoneyObject*>(bits_.object)->currency : Currency();
}
Amount Value::MoneyMinor() const {
  TL_CHECK(type_ == Type::kMoney);
  return bits_.object ? internal::ToAmount(static_cast<MoneyObject*>(bits_.object)->minor)
                      : Amount(0);
}
Amount Value::RationalNumerator() const {
  TL_CHECK(type_ == Type::kRational);
  return bits_.object ? static_cast<RationalObject*>(bits_.object)->numerator() : Amount(0);
}
Amount Value::RationalDenominator() const {
  TL_CHECK(type_ == Type::kRational);
  return bits_.object ? static_cast<RationalObject*>(bits_.object)->denominator() : Amount(1);
}
std::string_view Value::AsString() const {
  TL_CHECK(type_ == Type::kString || type_ == Type::kBytes);
  return bits_.object ? std::string_view(static_cast<TextObject*>(bits_.object)->data)
                      : std::string_view();
}
std::span<const Value> Value::ListItems() const {
  TL_CHECK(type_ == Type::kList);
  if (bits_.object == nullptr) return {};
  return static_cast<ListObject*>(bits_.object)->items;
}
std::span<const std::pair<Value, Value>> Value::MapEntries() const {
  TL_CHECK(type_ == Type::kMap);
  if (bits_.object == nullptr) return {};
  return static_cast<MapObject*>(bits_.object)->entries;
}
std::span<const std::string> Value::RecordFieldNames() const {
  TL_CHECK(type_ == Type::kRecord);
  if (bits_.object == nullptr) return {};
  return *static_cast<RecordObject*>(bits_.object)->shape;
}
std::span<const Value> Value::RecordFields() const {
  TL_CHECK(type_ == Type::kRecord);
  if (bits_.object == nullptr) return {};
  return static_cast<RecordObject*>(bits_.object)->fields;
}
const Value* Value::RecordField(std::string_view name) const {
  const auto names = RecordFieldNames();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return &RecordFields()[i];
  }
  return nullptr;
}

std::string Value::DebugString() const {
  switch (type_) {
    case Type::kNone:
      return "none";
    case Type::kBool:
      return bits_.b ? "true" : "false";
    case Type::kInt:
      return StrCat(bits_.i);
    case Type::kTime:
      return StrCat("time(", bits_.i, ")");
    case Type::kDuration:
      return StrCat("duration(", bits_.i, ")");
    case Type::kMoney:
      return StrCat("money(", MoneyCurrency().code(), ",", MoneyMinor().str(), ")");
    case Type::kRational:
      return StrCat(RationalNumerator().str(), "/", RationalDenominator().str());
    case Type::kString:
      return StrCat("\"", AsString(), "\"");
    case Type::kBytes:
      return StrCat("bytes(", AsString().size(), ")");
    case Type::kList: {
      std::string out = "[";
      for (const Value& item : ListItems())
        StrAppend(&out, item.DebugString(), ",");
      return out + "]";
    }
    case Type::kMap: {
      std::string out = "{";
      for (const auto& [k, v] : MapEntries()) {
        StrAppend(&out, k.DebugString(), ":", v.DebugString(), ",");
      }
      return out + "}";
    }
    case Type::kRecord: {
      std::string out = "(";
      const auto names = RecordFieldNames();
      for (size_t i = 0; i < names.size(); ++i) {
        StrAppend(&out, names[i], "=", RecordFields()[i].DebugString(), ",");
      }
      return out + ")";
    }
  }
  return "invalid";
}

}  // namespace tl::vm
