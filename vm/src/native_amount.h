// Machine-word arithmetic for money, beside the exact Boost.Multiprecision types of value.h.
//
// Every money amount is bounded by ±10^30 minor units (limits.h), which is below 2^100, so a
// native __int128 holds any money value exactly: money objects store their minor units as
// NativeAmount and the money instructions add, subtract, multiply and divide them with the
// compiler's overflow builtins instead of Boost's checked 128- and 256-bit types. Only a product
// that does not fit 128 bits (money × a rational with huge parts) falls back to the exact Boost
// computation, MultiplyByRatioExact. Both paths share RoundDivide (arith.h), so results, and the
// gas charged for them, agree bit for bit.
//
// Rational parts stay Boost Amounts, whose range (±(2^128 - 1), sign-magnitude) is wider than
// __int128's; RationalObject keeps native copies when ToNative says they fit.
//
// numeric_limits is not specialised for __int128 in strict C++20 mode, so the bounds are spelled
// out here.
#ifndef TRIALLEDGER_VM_SRC_NATIVE_AMOUNT_H_
#define TRIALLEDGER_VM_SRC_NATIVE_AMOUNT_H_

#include <cstdint>

#include "trialledger/vm/limits.h"
#include "trialledger/vm/value.h"

namespace tl::vm::internal {

using NativeAmount = __int128;

inline constexpr NativeAmount kNativeAmountMax =
    static_cast<NativeAmount>((static_cast<unsigned __int128>(1) << 127) - 1);

constexpr NativeAmount PowerOfTen(int exponent) {
  NativeAmount value = 1;
  for (int i = 0; i < exponent; ++i)
    value *= 10;
  return value;
}
// The money bound of limits.h as a native value.
inline constexpr NativeAmount kMoneyMinorMax = PowerOfTen(kMoneyMinorDigitsMax);
static_assert(kMoneyMinorMax < kNativeAmountMax / 2, "money sums must not overflow __int128");

inline bool MoneyInRange(NativeAmount minor) {
  return minor <= kMoneyMinorMax && minor >= -kMoneyMinorMax;
}

// Number of 64-bit words needed for |value|: the "width" charged by money ops. Same rule as
// WidthWords(const Amount&) in arith.h.
inline int64_t WidthWords(NativeAmount value) {
  const unsigned __int128 magnitude =
      value < 0 ? -static_cast<unsigned __int128>(value) : static_cast<unsigned __int128>(value);
  return magnitude > UINT64_MAX ? 2 : 1;
}

inline bool FitsInt64(NativeAmount value) {
  return value >= INT64_MIN && value <= INT64_MAX;
}

// Exact conversions. ToNative returns false when |value| > kNativeAmountMax.
Amount ToAmount(NativeAmount value);
bool ToNative(const Amount& value, NativeAmount* out);

// minor × ratio rounded once by `mode`, the MMULR rule. Returns false when the result lies
// outside the money bound (the instruction's kIntegerOverflow). MultiplyByRatio (money_ops.cc,
// beside its caller so that it inlines) takes the 64- or 128-bit path when the product fits and
// otherwise calls MultiplyByRatioExact, the Boost 256-bit computation; the two agree on every
// input (tests/vm/native_amount_test.cc).
// REQUIRES: |minor| <= 10^30, ratio.type() == Type::kRational.
bool MultiplyByRatio(NativeAmount minor, const Value& ratio, RoundingMode mode, NativeAmount* out);
bool MultiplyByRatioExact(NativeAmount minor, const Value& ratio, RoundingMode mode,
                          NativeAmount* out);

}  // namespace tl::vm::internal

#endif  // TRIALLEDGER_VM_SRC_NATIVE_AMOUNT_H_
