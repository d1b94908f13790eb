// Offline verification of a stopped node's data directory: every block is decoded strictly,
// linked, signature-checked and re-applied from genesis; stored results, write sets, the
// transaction index, the head record and finally the whole state are compared with the
// recomputation. The first fault is reported with its height.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"

namespace tl::ledger {

struct VerifyOptions {
  std::string data_dir;
  // If set, the stored genesis must hash the same as this file: an independent copy guards
  // against a data dir whose genesis was replaced together with its blocks.
  std::optional<std::string> genesis_path;
  // Called now and then with (blocks verified, blocks in the store).
  std::function<void(uint64_t, uint64_t)> progress;
};

struct VerifyReport {
  absl::Status status;            // OK, or the first fault
  uint64_t first_bad_height = 0;  // 0 when the fault is not in a block (or none)
  uint64_t blocks_verified = 0;
  uint64_t transactions_verified = 0;
  uint64_t rejected_transactions = 0;
  std::string chain_id;
  std::string genesis_hash;
  std::string head_block_hash;
  std::string head_state_hash;
};

VerifyReport VerifyLedger(const VerifyOptions& options);

}  // namespace tl::ledger
