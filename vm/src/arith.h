// Exact arithmetic shared by the interpreter and the value factories: rounding division (the one
// home of every rounding rule), rational reduction, the money bound and largest-remainder
// allocation. No floating point.
#ifndef TRIALLEDGER_VM_SRC_ARITH_H_
#define TRIALLEDGER_VM_SRC_ARITH_H_

#include <cstdint>
#include <vector>

#include "trialledger/vm/types.h"
#include "trialledger/vm/value.h"

namespace tl::vm::internal {

// Quotient n / d rounded by `mode`. REQUIRES: d != 0 and the quotient fits T (callers check
// the int64 case INT64_MIN / -1 themselves). T is __int128 or WideAmount, or int64_t when d > 0
// (then |d| and the quotient plus one step fit). One template for every width, so the native
// money paths round exactly as the exact Boost paths do.
template <typename T>
T RoundDivide(const T& n, const T& d, RoundingMode mode) {
  T q = n / d;  // truncates toward zero
  T r = n % d;  // sign of n
  if (r == 0) return q;
  const bool negative = (n < 0) != (d < 0);
  const T step = negative ? T(-1) : T(1);
  switch (mode) {
    case RoundingMode::kDown:
      return q;
    case RoundingMode::kUp:
      return q + step;
    case RoundingMode::kFloor:
      return negative ? q - 1 : q;
    case RoundingMode::kCeiling:
      return negative ? q : q + 1;
    case RoundingMode::kHalfUp:
    case RoundingMode::kHalfEven: {
      const T abs_r = r < 0 ? T(-r) : r;
      const T abs_d = d < 0 ? T(-d) : d;
      const T other = abs_d - abs_r;  // distance to the next quotient, in units of 1/d
      if (abs_r > other) return q + step;
      if (abs_r < other) return q;
      if (mode == RoundingMode::kHalfUp) return q + step;
      return (q % 2 == 0) ? q : q + step;
    }
  }
  return q;
}

// Rounding division of int64 values. Returns false on overflow (INT64_MIN / -1).
// REQUIRES: d != 0.
bool RoundDivideInt(int64_t n, int64_t d, RoundingMode mode, int64_t* out);

// |minor| <= 10^kMoneyMinorDigitsMax.
bool MoneyInRange(const Amount& minor);
bool MoneyInRange(const WideAmount& minor);

// Reduces n/d (d != 0) to lowest terms with a positive denominator. Returns false when either
// part does not fit an Amount.
bool ReduceRational(WideAmount n, WideAmount d, Amount* numerator, Amount* denominator);

// Narrows `wide` into `out`; false if it does not fit.
bool Narrow(const WideAmount& wide, Amount* out);

// Splits `total` into parts proportional to `weights` (each >= 0, sum > 0) with the
// largest-remainder method: every part is the proportional share rounded toward zero, then the
// leftover units go one each to the largest remainders, ties to the lower index. The parts sum
// exactly to `total`. Returns false if an intermediate overflows.
bool AllocateLargestRemainder(const Amount& total, const std::vector<WideAmount>& weights,
                              std::vector<Amount>* parts);

// Number of 64-bit words needed for |value|: the "width" charged by money and rational ops.
int64_t WidthWords(const Amount& value);

}  // namespace tl::vm::internal

#endif  // TRIALLEDGER_VM_SRC_ARITH_H_
