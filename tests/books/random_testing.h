// The books' property tests' source of randomness: splitmix64, with no library distribution in
// between, so that a seed replays the same case on every compiler and standard library.
#pragma once

#include "trialledger/base/splitmix64.h"

namespace tl::books::testing {

using Random = ::tl::SplitMix64;

}  // namespace tl::books::testing
