// trialledgerd: a TrialLedger node (daemon.h).
#include "daemon.h"

int main(int argc, char** argv) {
  return tl::node::RunDaemon(argc, argv, tl::ledger::StoreOptions{});
}
