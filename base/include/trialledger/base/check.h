// TL_CHECK: an invariant that holds in every build.
//
//   TL_CHECK(commit_index <= last_index);
//   TL_CHECK_MSG(lines_balance, "journal entry does not balance");
//   TL_UNREACHABLE("the checker resolves every name");
//
// A broken check prints "file:line: check failed: <condition>" (and the message) to stderr and
// aborts. Unlike assert() it is not compiled out under NDEBUG: the default build is RelWithDebInfo,
// and the binaries users run are exactly the ones whose invariants matter (Raft, the apply
// pipeline, money, the VM). Keep assert() only for costly checks that a Debug build affords.
//
// A check is for programmer errors. Bad input from a file, an RPC or a feed is an error Status
// with a message the user can act on, never a failed check.
#pragma once

#include <string_view>

namespace tl::internal {

[[noreturn]] void CheckFailed(const char* file, int line, const char* condition,
                              std::string_view message);

}  // namespace tl::internal

#define TL_CHECK(condition)                          \
  (__builtin_expect(static_cast<bool>(condition), 1) \
       ? static_cast<void>(0)                        \
       : ::tl::internal::CheckFailed(__FILE__, __LINE__, #condition, std::string_view()))

#define TL_CHECK_MSG(condition, message)             \
  (__builtin_expect(static_cast<bool>(condition), 1) \
       ? static_cast<void>(0)                        \
       : ::tl::internal::CheckFailed(__FILE__, __LINE__, #condition, (message)))

// Marks a place the program never reaches when its invariants hold (the end of a switch over
// every enumerator, a case an earlier pass rules out). Always on, like TL_CHECK.
#define TL_UNREACHABLE(message) \
  ::tl::internal::CheckFailed(__FILE__, __LINE__, "unreachable", (message))
