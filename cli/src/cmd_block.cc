#include "commands.h"

#include "ledger_json.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/base/hex.h"

namespace tl::cli {

void AddBlockCommands(CLI::App& app, Context& context) {
  CLI::App* block = app.add_subcommand("block", "Inspect blocks");
  block->require_subcommand(1);
  block->footer("Example:\n  trialledger --key net/keys/acme-bio-admin.key block list --limit 5");

  auto show_height = std::make_shared<uint64_t>(0);
  CLI::App* show = block->add_subcommand("show", "Show one block with its transactions");
  show->add_option("height", *show_height, "block height (default: the head)");
  show->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-admin.key block show 42\n"
      "  trialledger --key net/keys/ledger-audit-auditor.key block show    # the head");
  show->callback([&context, show_height] {
    v1::GetBlockResponse found = Context::Check(context.client().GetBlock(*show_height));
    // For a member who may not read raw blocks the node leaves out what is not theirs to read.
    std::vector<uint32_t> withheld(found.withheld().begin(), found.withheld().end());
    Print(BlockJson(
              found.block(), [&](const std::string& key) { return context.SignerName(key); },
              withheld),
          context.format());
  });

  struct ListOptions {
    uint64_t from = 0;
    uint32_t limit = 20;
  };
  auto list_options = std::make_shared<ListOptions>();
  CLI::App* list = block->add_subcommand("list", "List blocks, the latest by default");
  list->add_option("--from", list_options->from, "first height (default: the latest --limit)");
  list->add_option("--limit", list_options->limit, "how many")->capture_default_str();
  list->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-admin.key block list\n"
      "  trialledger --key net/keys/acme-bio-admin.key block list --from 100 --limit 50 -o csv");
  list->callback([&context, list_options] {
    v1::ListBlocksResponse found =
        Context::Check(context.client().ListBlocks(list_options->from, list_options->limit));
    Json rows = Json::array();
    for (const v1::BlockSummary& summary : found.blocks()) {
      rows.push_back(Json{{"height", summary.height()},
                          {"time", FormatIsoTimestampMillis(summary.time_ms())},
                          {"proposer", summary.proposer()},
                          {"txs", summary.tx_count()},
                          {"rejected", summary.rejected_count()},
                          {"hash", ToHex(summary.block_hash())}});
    }
    Print(rows, context.format());
  });
}

}  // namespace tl::cli
