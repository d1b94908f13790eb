#include "ledger_parser.h"

#include <optional>

#include "json_fields.h"
#include "json_lines.h"

namespace tl::history {
namespace {

std::optional<std::string> ReadBlock(const nlohmann::json& object, Block& block) {
  JsonFields fields(object);
  block.height = fields.Int("height");
  block.hash = fields.Hex("hash", HexRule::kNonEmpty);
  // Genesis names no parent: an empty string or all zeros.
  block.prev_hash = fields.Hex("prev_hash", HexRule::kMayBeEmpty);
  block.tx_ids = fields.HexArray("tx_ids");
  block.state_hash = fields.OptionalHex("state_hash", HexRule::kNonEmpty);
  if (!fields.error() && block.height < 0)
    fields.Fail("field 'height' must not be negative, got " + std::to_string(block.height));
  return fields.error();
}

}  // namespace

Parsed<NodeLedger> ParseLedger(std::istream& in, const std::string& name,
                               const std::string& source) {
  NodeLedger ledger{name, source, {}};
  std::optional<InputError> error =
      ForEachJsonLine(in, source, [&](const nlohmann::json& object, int64_t line) {
        Block block;
        block.line = line;
        if (std::optional<std::string> problem = ReadBlock(object, block))
          return std::optional<InputError>(InputError{source, line, *problem});
        ledger.blocks.push_back(std::move(block));
        return std::optional<InputError>();
      });
  if (error) return *error;
  return ledger;
}

}  // namespace tl::history
