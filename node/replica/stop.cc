#include "stop.h"

#include <unistd.h>

#include <cstdio>

#include "trialledger/node/node.h"

namespace tl::node {

void StopOnStorageFault(std::string_view node_name, const absl::Status& status) {
  std::fprintf(stderr, "trialledgerd %.*s: fatal: %.*s\n", static_cast<int>(node_name.size()),
               node_name.data(), static_cast<int>(status.message().size()),
               status.message().data());
  std::fflush(stderr);
  ::_exit(kStorageFaultExitCode);
}

}  // namespace tl::node
