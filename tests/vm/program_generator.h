// Generates random modules that pass the verifier, from a seed, for the differential test and
// the fuzz corpus. Every function shares one register layout holding every type, so any
// operand kind finds a register, and calls go only to later functions, so the call graph is
// acyclic. Branches may form loops; gas bounds them.
#ifndef TRIALLEDGER_TESTS_VM_PROGRAM_GENERATOR_H_
#define TRIALLEDGER_TESTS_VM_PROGRAM_GENERATOR_H_

#include <cstdint>

#include "trialledger/base/splitmix64.h"
#include "trialledger/vm/module.h"

namespace tl::vm::test {

// SplitMix64: portable and fully specified, unlike std:: distributions.
using Random = ::tl::SplitMix64;

// A module with 1..4 functions of up to `max_instructions` each and entry point "main"
// (function 0, no parameters).
Module GenerateModule(uint64_t seed, uint32_t max_instructions = 40);

}  // namespace tl::vm::test

#endif  // TRIALLEDGER_TESTS_VM_PROGRAM_GENERATOR_H_
