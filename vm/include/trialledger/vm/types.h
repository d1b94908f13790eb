// The small enumerations shared by the whole VM: value types, trap codes and rounding modes.
// Their numeric values appear in module bytes, canonical value encodings and transaction
// results, so they never change meaning once released.
#ifndef TRIALLEDGER_VM_TYPES_H_
#define TRIALLEDGER_VM_TYPES_H_

#include <cstdint>
#include <string_view>

namespace tl::vm {

// The type of a register or a value. kNone is "no value" (a function without a result).
enum class Type : uint8_t {
  kNone = 0,
  kBool = 1,
  kInt = 2,       // checked signed 64-bit integer
  kMoney = 3,     // currency + integer minor units
  kRational = 4,  // exact ratio of 128-bit integers, always reduced, denominator > 0
  kTime = 5,      // an instant: milliseconds since 1970-01-01T00:00:00Z (block time only)
  kDuration = 6,  // milliseconds
  kString = 7,    // UTF-8 text, at most kStringBytesMax bytes
  kBytes = 8,     // opaque bytes, at most kStringBytesMax bytes
  kList = 9,      // ordered sequence of values
  kMap = 10,      // map with keys in ascending order (see CompareValues)
  kRecord = 11,   // named fields in declaration order
};
inline constexpr uint8_t kTypeCount = 12;

bool IsValidType(uint8_t raw);
std::string_view TypeName(Type type);
// Types that may be map keys: they have a total order and a compact encoding.
bool IsKeyType(Type type);
// Types with a total order usable by LTV (money compares within one currency).
bool IsOrderedType(Type type);
// Types whose value lives in a reference-counted heap object.
inline bool IsHeapType(Type type) {
  return type == Type::kMoney || type == Type::kRational || type >= Type::kString;
}

// Why a run stopped without completing. A trap rejects the transaction; the VM discards
// every storage write and event of the run.
enum class TrapCode : uint8_t {
  kNone = 0,
  kOutOfGas = 1,
  kIntegerOverflow = 2,  // also money outside ±10^30 minor units and rational overflow
  kDivisionByZero = 3,
  kCurrencyMismatch = 4,
  kCheckFailed = 5,    // CHECK with a false condition
  kAborted = 6,        // ABORT
  kRequireFailed = 7,  // REQROLE / REQPARTY not satisfied
  kLimitExceeded = 8,  // a value, collection, event or storage limit of limits.h
  kTypeError = 9,      // a dynamically typed value (list element, storage, payload) mismatched
  kIndexOutOfRange = 10,
  kKeyNotFound = 11,
  kInvalidValue = 12,  // e.g. a malformed currency code or undecodable payload bytes
};
std::string_view TrapCodeName(TrapCode code);

// Every division and rounding operation names one of these in its instruction.
enum class RoundingMode : uint8_t {
  kDown = 1,      // toward zero (truncate)
  kUp = 2,        // away from zero
  kFloor = 3,     // toward negative infinity
  kCeiling = 4,   // toward positive infinity
  kHalfUp = 5,    // to nearest, ties away from zero
  kHalfEven = 6,  // to nearest, ties to the even neighbour (banker's rounding)
};
bool IsValidRoundingMode(uint8_t raw);
std::string_view RoundingModeName(RoundingMode mode);

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_TYPES_H_
