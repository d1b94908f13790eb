#include "stop.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "trialledger/node/log.h"
#include "trialledger/node/node.h"

namespace tl::node {

void StopOnStorageFault(std::string_view node_name, const absl::Status& status) {
  log::Logger(std::string(node_name))
      .Error("fatal: stopping",
             {{"exit_code", kStorageFaultExitCode}, {"error", status.message()}});
  std::fflush(stderr);
  ::_exit(kStorageFaultExitCode);
}

}  // namespace tl::node
