// The one way a replica stops on a fault of its own storage: a failed write or sync, a failed or
// corrupt read. The ledger library reports such faults as a Status; the replica ends here.
#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace tl::node {

// Logs `level=error node=<node> msg="fatal: stopping" exit_code=70 error="<reason>"`
// (log.h) and exits with kStorageFaultExitCode (node.h) at once: no destructor runs, no further
// vote, append or acknowledgement goes out. The line is written whatever the log level.
[[noreturn]] void StopOnStorageFault(std::string_view node_name, const absl::Status& status);

}  // namespace tl::node
