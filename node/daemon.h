// trialledgerd's whole life: its flags, its config, the node and its servers, until SIGTERM or
// SIGINT. trialledgerd is this on the real disk; fault tests run it on a disk that fails on
// purpose (tests/cluster/faulty_node_main.cc).
//   trialledgerd --config node.toml [--log-level debug|info|warn|error] [--resync-from-peers]
#pragma once

#include "trialledger/ledger/ledger_store.h"

namespace tl::node {

// Returns the process's exit code: 0 after a clean stop, 1 when the node cannot start. A storage
// fault ends the process from inside the node (exit code 70, stop.h).
int RunDaemon(int argc, char** argv, const ledger::StoreOptions& store_options);

}  // namespace tl::node
