// Conversions between NativeAmount and Boost's Amount, through two 64-bit halves of the
// magnitude so that no Boost __int128 support (absent in strict C++20 mode) is needed; and the
// exact money × rational that the native path falls back to.
#include "native_amount.h"

#include <stdexcept>

#include "arith.h"
#include "object.h"

namespace tl::vm::internal {

Amount ToAmount(NativeAmount value) {
  const bool negative = value < 0;
  const unsigned __int128 magnitude =
      negative ? -static_cast<unsigned __int128>(value) : static_cast<unsigned __int128>(value);
  Amount result = static_cast<uint64_t>(magnitude >> 64);
  result <<= 64;
  result += static_cast<uint64_t>(magnitude);
  return negative ? Amount(-result) : result;
}

bool ToNative(const Amount& value, NativeAmount* out) {
  const bool negative = value < 0;
  const Amount magnitude = negative ? Amount(-value) : value;
  static const Amount kMax = ToAmount(kNativeAmountMax);
  if (magnitude > kMax) return false;
  const Amount low_mask = Amount(UINT64_MAX);
  const auto high = static_cast<uint64_t>(magnitude >> 64);
  const auto low = static_cast<uint64_t>(magnitude & low_mask);
  const NativeAmount result =
      static_cast<NativeAmount>((static_cast<unsigned __int128>(high) << 64) | low);
  *out = negative ? -result : result;
  return true;
}

bool MultiplyByRatioExact(NativeAmount minor, const Value& ratio, RoundingMode mode,
                          NativeAmount* out) {
  try {
    const WideAmount product = WideAmount(ToAmount(minor)) * ratio.RationalNumerator();
    const WideAmount rounded = RoundDivide(product, WideAmount(ratio.RationalDenominator()), mode);
    Amount narrow;
    return MoneyInRange(rounded) && Narrow(rounded, &narrow) && ToNative(narrow, out);
  } catch (const std::overflow_error&) {  // Boost's checked integers throw instead of wrapping
    return false;
  } catch (const std::range_error&) {
    return false;
  }
}

}  // namespace tl::vm::internal
