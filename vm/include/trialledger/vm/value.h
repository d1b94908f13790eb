// Values of the contract VM.
//
// A Value is a small tagged union: bool, int, time and duration live inline; money, rationals,
// strings, bytes, lists, maps and records live in immutable-from-outside, reference-counted heap
// objects shared between copies. A heap-typed Value may hold no object at all: that is the zero
// value of its type (empty string, empty list, money with no currency and 0 minor units, 0/1).
//
// Reference counts are not atomic: a Value, and every Value copied from it, belongs to one
// thread at a time. Build values for tests and for entry-point arguments with the factories:
//
//   Value price = *Value::MakeMoney("USD", 125000);   // USD 1,250.00
//   Value ratio = *Value::MakeRational(1, 3);
//   Value key = *Value::MakeBytes("subject/1001");
#ifndef TRIALLEDGER_VM_VALUE_H_
#define TRIALLEDGER_VM_VALUE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

#include "absl/status/statusor.h"
#include "trialledger/vm/types.h"

namespace tl::vm {

// Minor units of money and the parts of a rational: 128-bit integers that throw
// std::overflow_error instead of wrapping. The VM turns that into kIntegerOverflow.
using Amount = boost::multiprecision::checked_int128_t;
// Intermediate width for products of two Amounts (money × rational, cross-multiplication).
using WideAmount = boost::multiprecision::checked_int256_t;

// A currency code: three ASCII capital letters (ISO 4217 style), or empty for the zero money
// value that has not been given a currency.
class Currency {
 public:
  Currency() = default;
  // Returns nullopt-like empty Currency and false if `code` is not three capital letters.
  static bool Parse(std::string_view code, Currency* out);
  std::string_view code() const { return {letters_.data(), letters_[0] == 0 ? 0u : 3u}; }
  bool empty() const { return letters_[0] == 0; }
  friend bool operator==(const Currency&, const Currency&) = default;
  friend auto operator<=>(const Currency&, const Currency&) = default;

 private:
  std::array<char, 3> letters_{0, 0, 0};
};

class Value;
using RecordShape = std::vector<std::string>;  // field names in declaration order

namespace internal {
struct Object;
struct ValueAccess;
}  // namespace internal

class Value {
 public:
  Value() noexcept : type_(Type::kNone) { bits_.i = 0; }
  ~Value() { Release(); }
  Value(const Value& other) noexcept;
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other) noexcept;
  Value& operator=(Value&& other) noexcept;

  static Value MakeBool(bool value);
  static Value MakeInt(int64_t value);
  static Value MakeTime(int64_t ms_since_epoch);
  static Value MakeDuration(int64_t ms);
  // The zero value of a register of `type` (see the file comment).
  static Value ZeroOf(Type type);
  // These check the limits of limits.h and report violations as InvalidArgument.
  static absl::StatusOr<Value> MakeMoney(std::string_view currency, Amount minor);
  static absl::StatusOr<Value> MakeRational(Amount numerator, Amount denominator);
  static absl::StatusOr<Value> MakeString(std::string_view text);
  static absl::StatusOr<Value> MakeBytes(std::string_view bytes);
  static absl::StatusOr<Value> MakeList(std::vector<Value> items);
  // Keys must be of a key type (IsKeyType) and distinct; they are sorted here.
  static absl::StatusOr<Value> MakeMap(std::vector<std::pair<Value, Value>> entries);
  static absl::StatusOr<Value> MakeRecord(std::shared_ptr<const RecordShape> shape,
                                          std::vector<Value> fields);

  Type type() const { return type_; }
  // REQUIRES for each accessor: type() is the accessor's type.
  bool AsBool() const;
  int64_t AsInt() const;
  int64_t AsTimeMs() const;
  int64_t AsDurationMs() const;
  Currency MoneyCurrency() const;
  Amount MoneyMinor() const;
  Amount RationalNumerator() const;
  Amount RationalDenominator() const;
  std::string_view AsString() const;  // also for kBytes
  std::span<const Value> ListItems() const;
  std::span<const std::pair<Value, Value>> MapEntries() const;  // ascending keys
  std::span<const std::string> RecordFieldNames() const;
  std::span<const Value> RecordFields() const;
  // The field named `name`, or nullptr.
  const Value* RecordField(std::string_view name) const;

  // Human-readable form for test failures and logs, e.g. `money(USD,125000)`; not a stable
  // format (use value_codec.h for bytes that must not change).
  std::string DebugString() const;

 private:
  friend struct internal::ValueAccess;
  void Release() noexcept;

  Type type_;
  union Bits {
    int64_t i;
    bool b;
    internal::Object* object;
  } bits_;
};

// A total order over all values: by type, then by value (money: currency, then amount;
// strings and bytes: bytewise; lists and maps: lexicographic). Deterministic on every platform.
int CompareValues(const Value& left, const Value& right);
inline bool operator==(const Value& left, const Value& right) {
  return CompareValues(left, right) == 0;
}

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_VALUE_H_
