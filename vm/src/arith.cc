#include "arith.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "trialledger/vm/limits.h"

namespace tl::vm::internal {
namespace {

const WideAmount& MoneyBound() {
  static const WideAmount bound = [] {
    WideAmount b = 1;
    for (int i = 0; i < kMoneyMinorDigitsMax; ++i)
      b *= 10;
    return b;
  }();
  return bound;
}

const WideAmount& AmountMax() {
  static const WideAmount max = WideAmount(std::numeric_limits<Amount>::max());
  return max;
}

}  // namespace

bool RoundDivideInt(int64_t n, int64_t d, RoundingMode mode, int64_t* out) {
  const __int128 q = RoundDivide<__int128>(n, d, mode);
  if (q > std::numeric_limits<int64_t>::max() || q < std::numeric_limits<int64_t>::min()) {
    return false;
  }
  *out = static_cast<int64_t>(q);
  return true;
}

bool MoneyInRange(const WideAmount& minor) {
  return minor <= MoneyBound() && minor >= -MoneyBound();
}

bool MoneyInRange(const Amount& minor) {
  return MoneyInRange(WideAmount(minor));
}

bool Narrow(const WideAmount& wide, Amount* out) {
  if (wide > AmountMax() || wide < -AmountMax()) return false;
  *out = static_cast<Amount>(wide);
  return true;
}

bool ReduceRational(WideAmount n, WideAmount d, Amount* numerator, Amount* denominator) {
  if (d < 0) {
    n = -n;
    d = -d;
  }
  if (n == 0) {
    d = 1;
  } else {
    const WideAmount g = boost::multiprecision::gcd(n < 0 ? WideAmount(-n) : n, d);
    n /= g;
    d /= g;
  }
  return Narrow(n, numerator) && Narrow(d, denominator);
}

bool AllocateLargestRemainder(const Amount& total, const std::vector<WideAmount>& weights,
                              std::vector<Amount>* parts) {
  try {
    WideAmount weight_sum = 0;
    for (const WideAmount& w : weights)
      weight_sum += w;
    const bool negative = total < 0;
    const WideAmount magnitude = negative ? WideAmount(-total) : WideAmount(total);
    std::vector<WideAmount> shares(weights.size());
    std::vector<WideAmount> remainders(weights.size());
    WideAmount allocated = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
      const WideAmount product = magnitude * weights[i];
      shares[i] = product / weight_sum;
      remainders[i] = product % weight_sum;
      allocated += shares[i];
    }
    std::vector<size_t> order(weights.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
    WideAmount leftover = magnitude - allocated;  // < weights.size()
    for (size_t k = 0; leftover > 0; ++k, --leftover)
      shares[order[k]] += 1;
    parts->resize(weights.size());
    for (size_t i = 0; i < weights.size(); ++i) {
      if (!Narrow(negative ? WideAmount(-shares[i]) : shares[i], &(*parts)[i])) return false;
    }
    return true;
  } catch (const std::overflow_error&) {
    return false;
  }
}

int64_t WidthWords(const Amount& value) {
  const Amount magnitude = value < 0 ? Amount(-value) : value;
  return magnitude > Amount(std::numeric_limits<uint64_t>::max()) ? 2 : 1;
}

}  // namespace tl::vm::internal
