// The wire protocol's generated messages (package trialledger.v1), as tl::v1.
#pragma once

#include "trialledger/v1/block.pb.h"
#include "trialledger/v1/identity.pb.h"
#include "trialledger/v1/ledger_service.pb.h"
#include "trialledger/v1/raft.pb.h"
#include "trialledger/v1/storage.pb.h"
#include "trialledger/v1/tx.pb.h"

namespace tl {
namespace v1 = ::trialledger::v1;
}  // namespace tl
