// The books' two pieces of exact arithmetic, the only places money meets a ratio: the one
// rounding (half away from zero, on a cumulative amount) and allocation by largest remainder.
// Products are taken in 256-bit integers, so nothing is lost or overflows before the rounding.
#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <limits>
#include <numeric>

#include "trialledger/base/check.h"
#include "trialledger/books/books.h"

namespace tl::books {
namespace {

using Wide = boost::multiprecision::checked_int256_t;

int64_t Narrow(const Wide& value) {
  TL_CHECK_MSG(
      value >= std::numeric_limits<int64_t>::min() && value <= std::numeric_limits<int64_t>::max(),
      "an exact amount does not fit 64 bits");
  return static_cast<int64_t>(value);
}

}  // namespace

// Half up means half away from zero: 2.5 -> 3, -2.5 -> -3, so a negative amount rounds to the
// negation of its positive twin and reversals mirror what they reverse.
int64_t MulDivRoundHalfUp(int64_t amount, int64_t numerator, int64_t denominator) {
  TL_CHECK(denominator > 0);
  const Wide product = Wide(amount) * numerator;
  Wide quotient = product / denominator;  // toward zero
  const Wide remainder = product % denominator;
  if (2 * abs(remainder) >= denominator) quotient += product < 0 ? -1 : 1;
  return Narrow(quotient);
}

// Each part is total × weight / Σ weights toward zero; the units left over go one each to the
// largest remainders, ties to the earlier weight. A negative total is split as its magnitude
// and negated, so a reversal splits exactly like what it reverses.
std::vector<int64_t> AllocateByWeights(int64_t total, std::span<const int64_t> weights) {
  TL_CHECK(!weights.empty());
  Wide weight_sum = 0;
  for (const int64_t weight : weights) {
    TL_CHECK(weight >= 0);
    weight_sum += weight;
  }
  TL_CHECK_MSG(weight_sum > 0, "allocation needs a positive weight");
  const Wide magnitude = abs(Wide(total));
  std::vector<int64_t> parts(weights.size());
  std::vector<Wide> remainders(weights.size());
  Wide left_over = magnitude;
  for (size_t i = 0; i < weights.size(); ++i) {
    const Wide share = magnitude * weights[i];
    parts[i] = Narrow(share / weight_sum);
    remainders[i] = share % weight_sum;
    left_over -= parts[i];
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  // left_over < the number of non-zero remainders: each remainder is below one whole unit.
  for (size_t i = 0; left_over > 0; ++i, --left_over)
    ++parts[order[i]];
  if (total < 0) {
    for (int64_t& part : parts)
      part = -part;
  }
  return parts;
}

}  // namespace tl::books
