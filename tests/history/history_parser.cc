#include "history_parser.h"

#include <optional>

#include "json_fields.h"
#include "json_lines.h"

namespace tl::history {
namespace {

std::optional<OperationKind> KindNamed(const std::string& name) {
  if (name == "submit") return OperationKind::kSubmit;
  if (name == "read") return OperationKind::kRead;
  if (name == "get_tx") return OperationKind::kGetTx;
  return std::nullopt;
}

std::optional<Outcome> OutcomeNamed(const std::string& name) {
  if (name == "ok") return Outcome::kOk;
  if (name == "refused") return Outcome::kRefused;
  if (name == "unknown") return Outcome::kUnknown;
  return std::nullopt;
}

// The fields that only some operations carry, by op and outcome.
void ReadKindFields(JsonFields& fields, Operation& operation) {
  bool ok = operation.outcome == Outcome::kOk;
  switch (operation.kind) {
    case OperationKind::kSubmit:
      operation.tx_id = fields.Hex("tx_id", HexRule::kNonEmpty);
      // A height on a refused or unknown submit means nothing; it is not read.
      if (ok) operation.height = fields.OptionalInt("height");
      break;
    case OperationKind::kRead:
      if (ok) operation.height = fields.Int("height");
      break;
    case OperationKind::kGetTx:
      operation.tx_id = fields.Hex("tx_id", HexRule::kNonEmpty);
      if (ok) operation.found = fields.Bool("found");
      if (ok && operation.found) operation.height = fields.Int("height");
      break;
  }
}

std::optional<std::string> RangeError(const Operation& operation) {
  if (operation.end_us < operation.start_us)
    return "field 'end_us' (" + std::to_string(operation.end_us) + ") is before 'start_us' (" +
           std::to_string(operation.start_us) + ")";
  if (operation.height && *operation.height < 0)
    return "field 'height' must not be negative, got " + std::to_string(*operation.height);
  return std::nullopt;
}

std::optional<std::string> ReadOperation(const nlohmann::json& object, Operation& operation) {
  JsonFields fields(object);
  std::string op = fields.String("op");
  operation.client = fields.String("client");
  operation.start_us = fields.Int("start_us");
  operation.end_us = fields.Int("end_us");
  std::string outcome = fields.String("outcome");
  if (fields.error()) return fields.error();

  std::optional<OperationKind> kind = KindNamed(op);
  if (!kind) return "field 'op' must be \"submit\", \"read\" or \"get_tx\", got \"" + op + "\"";
  std::optional<Outcome> named_outcome = OutcomeNamed(outcome);
  if (!named_outcome)
    return "field 'outcome' must be \"ok\", \"refused\" or \"unknown\", got \"" + outcome + "\"";
  operation.kind = *kind;
  operation.outcome = *named_outcome;

  ReadKindFields(fields, operation);
  if (fields.error()) return fields.error();
  return RangeError(operation);
}

}  // namespace

Parsed<History> ParseHistory(std::istream& in, const std::string& source) {
  History history{source, {}};
  std::optional<InputError> error =
      ForEachJsonLine(in, source, [&](const nlohmann::json& object, int64_t line) {
        Operation operation;
        operation.line = line;
        if (std::optional<std::string> problem = ReadOperation(object, operation))
          return std::optional<InputError>(InputError{source, line, *problem});
        history.operations.push_back(std::move(operation));
        return std::optional<InputError>();
      });
  if (error) return *error;
  return history;
}

}  // namespace tl::history
