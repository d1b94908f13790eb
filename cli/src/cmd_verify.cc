#include <cstdio>

#include "commands.h"
#include "trialledger/base/hex.h"
#include "trialledger/ledger/verify.h"

namespace tl::cli {

void AddVerifyCommand(CLI::App& app, Context& context) {
  struct VerifyArgs {
    std::string data_dir, genesis;
  };
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* verify = app.add_subcommand(
      "verify", "Check a stopped node's ledger offline: links, signatures, re-applied state");
  verify->add_option("--data-dir", args->data_dir, "the node's data directory")->required();
  verify->add_option("--genesis", args->genesis,
                     "an independent copy of the genesis file to check the stored one against");
  verify->footer(
      "Example (the node stopped first):\n"
      "  trialledger verify --data-dir net/nodes/node1/data --genesis net/genesis.toml");
  verify->callback([&context, args] {
    ledger::VerifyOptions options;
    options.data_dir = args->data_dir;
    if (!args->genesis.empty()) options.genesis_path = args->genesis;
    options.progress = [](uint64_t done, uint64_t total) {
      std::fprintf(stderr, "verified %llu of %llu blocks\n", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
    };
    ledger::VerifyReport report = ledger::VerifyLedger(options);
    if (!report.status.ok()) {
      throw CommandError{std::string("verify failed: ") + std::string(report.status.message())};
    }
    Print(Json{{"result", "ok"},
               {"chain_id", report.chain_id},
               {"blocks", report.blocks_verified},
               {"transactions", report.transactions_verified},
               {"rejected_transactions", report.rejected_transactions},
               {"genesis_hash", ToHex(report.genesis_hash)},
               {"head_block_hash", ToHex(report.head_block_hash)},
               {"head_state_hash", ToHex(report.head_state_hash)}},
          context.format());
  });
}

}  // namespace tl::cli
