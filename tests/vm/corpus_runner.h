// Runs a corpus of programs and prints one line per entry point: trap, gas, events hash, return
// value and storage writes. Two builds of the VM agree on a corpus exactly when they print the
// same text; the differential test compares a normal build with a clang -O0 switch-dispatch
// build, and the hand-written programs also against a committed expectation.
#ifndef TRIALLEDGER_TESTS_VM_CORPUS_RUNNER_H_
#define TRIALLEDGER_TESTS_VM_CORPUS_RUNNER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "trialledger/vm/module.h"

namespace tl::vm::test {

// Runs every entry point of `module` (ascending name) against a fixed MemoryHost and returns
// the lines, each prefixed with `label`.
std::string RunModule(std::string_view label, const Module& module);

// Assembles and runs every *.tlasm file of `directory` (ascending file name).
std::string RunProgramDirectory(const std::string& directory);

// Runs `count` generated modules starting at `first_seed`.
std::string RunGenerated(uint64_t first_seed, uint32_t count);

}  // namespace tl::vm::test

#endif  // TRIALLEDGER_TESTS_VM_CORPUS_RUNNER_H_
