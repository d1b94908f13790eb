// splitmix64 (Steele, Lea and Flood, 2014): a fixed stream from a seed on every platform and
// compiler, unlike the std:: distributions, whose output the standard leaves to the library. The
// property tests, the generators and the benchmarks draw their cases from it, so a seed replays
// the same case everywhere; the Raft core seeds its generator with it. Not for secrets.
#pragma once

#include <cstdint>

namespace tl {

// The next value of the stream whose state is `state`, which it advances.
inline uint64_t SplitMix64Next(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return SplitMix64Next(state_); }
  // In [0, n), n > 0. The modulo's bias (below n / 2^64) does not matter for drawing cases.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // lo..hi inclusive.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Percent(int percent) { return Below(100) < static_cast<uint64_t>(percent); }

 private:
  uint64_t state_;
};

}  // namespace tl
