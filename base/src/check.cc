#include "trialledger/base/check.h"

#include <cstdio>
#include <cstdlib>

namespace tl::internal {

void CheckFailed(const char* file, int line, const char* condition, std::string_view message) {
  if (message.empty()) {
    std::fprintf(stderr, "%s:%d: check failed: %s\n", file, line, condition);
  } else {
    std::fprintf(stderr, "%s:%d: check failed: %s: %.*s\n", file, line, condition,
                 static_cast<int>(message.size()), message.data());
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace tl::internal
