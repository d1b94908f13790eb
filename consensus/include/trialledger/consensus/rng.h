// A small deterministic PRNG (xoshiro256** seeded through splitmix64).
//
// The Raft core draws its randomized election timeouts from it and the simulator drives every
// fault from it, so a seed reproduces a run bit for bit on any platform or compiler. Never seed
// it from a clock inside the core; the node chooses the seed.
#pragma once

#include <cstdint>
#include "trialledger/base/check.h"
#include "trialledger/base/splitmix64.h"

namespace tl::raft {

class DeterministicRng {
 public:
  explicit DeterministicRng(uint64_t seed) {
    for (uint64_t& word : state_)
      word = SplitMix64Next(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound). Rejection sampling keeps it unbiased.
  uint64_t Uniform(uint64_t bound) {
    TL_CHECK(bound > 0);
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t value = Next();
    while (value >= limit)
      value = Next();
    return value % bound;
  }

  // Uniform in [low, high].
  uint64_t Between(uint64_t low, uint64_t high) {
    TL_CHECK(low <= high);
    return low + Uniform(high - low + 1);
  }

  // True with probability numerator / denominator.
  bool Chance(uint64_t numerator, uint64_t denominator) { return Uniform(denominator) < numerator; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t state_[4] = {};
};

}  // namespace tl::raft
