#include "trialledger/vm/types.h"

namespace tl::vm {

bool IsValidType(uint8_t raw) {
  return raw > 0 && raw < kTypeCount;
}

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kNone:
      return "none";
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "int";
    case Type::kMoney:
      return "money";
    case Type::kRational:
      return "rational";
    case Type::kTime:
      return "time";
    case Type::kDuration:
      return "duration";
    case Type::kString:
      return "string";
    case Type::kBytes:
      return "bytes";
    case Type::kList:
      return "list";
    case Type::kMap:
      return "map";
    case Type::kRecord:
      return "record";
  }
  return "invalid";
}

bool IsKeyType(Type type) {
  switch (type) {
    case Type::kBool:
    case Type::kInt:
    case Type::kTime:
    case Type::kDuration:
    case Type::kString:
    case Type::kBytes:
      return true;
    default:
      return false;
  }
}

bool IsOrderedType(Type type) {
  return IsKeyType(type) || type == Type::kMoney || type == Type::kRational;
}

std::string_view TrapCodeName(TrapCode code) {
  switch (code) {
    case TrapCode::kNone:
      return "none";
    case TrapCode::kOutOfGas:
      return "out_of_gas";
    case TrapCode::kIntegerOverflow:
      return "integer_overflow";
    case TrapCode::kDivisionByZero:
      return "division_by_zero";
    case TrapCode::kCurrencyMismatch:
      return "currency_mismatch";
    case TrapCode::kCheckFailed:
      return "check_failed";
    case TrapCode::kAborted:
      return "aborted";
    case TrapCode::kRequireFailed:
      return "require_failed";
    case TrapCode::kLimitExceeded:
      return "limit_exceeded";
    case TrapCode::kTypeError:
      return "type_error";
    case TrapCode::kIndexOutOfRange:
      return "index_out_of_range";
    case TrapCode::kKeyNotFound:
      return "key_not_found";
    case TrapCode::kInvalidValue:
      return "invalid_value";
  }
  return "invalid";
}

bool IsValidRoundingMode(uint8_t raw) {
  return raw >= 1 && raw <= 6;
}

std::string_view RoundingModeName(RoundingMode mode) {
  switch (mode) {
    case RoundingMode::kDown:
      return "down";
    case RoundingMode::kUp:
      return "up";
    case RoundingMode::kFloor:
      return "floor";
    case RoundingMode::kCeiling:
      return "ceiling";
    case RoundingMode::kHalfUp:
      return "half_up";
    case RoundingMode::kHalfEven:
      return "half_even";
  }
  return "invalid";
}

}  // namespace tl::vm
