// Literal syntax of the assembler. Dates are base/civil_date.h's: proleptic Gregorian UTC, so no
// time zone or C library clock is involved, and only real calendar dates are accepted.
#include <charconv>

#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/vm/assembler.h"

namespace tl::vm {
namespace {

bool ParseInt(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  auto [end, error] = std::from_chars(begin, text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

bool ParseAmount(std::string_view text, Amount* out) {
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || text.size() > 38) return false;
  Amount value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = negative ? Amount(-value) : value;
  return true;
}

// 90d, 12h, 30m, 15s, 250ms or a bare number of milliseconds.
bool ParseDuration(std::string_view text, int64_t* ms) {
  struct Unit {
    std::string_view suffix;
    int64_t ms;
  };
  static constexpr Unit kUnits[] = {
      {"ms", 1}, {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1000}};
  for (const Unit& unit : kUnits) {
    if (text.size() > unit.suffix.size() && text.ends_with(unit.suffix)) {
      int64_t count;
      if (!ParseInt(text.substr(0, text.size() - unit.suffix.size()), &count)) continue;
      return !__builtin_mul_overflow(count, unit.ms, ms);
    }
  }
  return ParseInt(text, ms);
}

// "..." with \" \\ \n \t \xHH escapes.
bool ParseQuoted(std::string_view text, std::string* out) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return false;
  text = text.substr(1, text.size() - 2);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out->push_back(text[i]);
      continue;
    }
    if (++i == text.size()) return false;
    switch (text[i]) {
      case 'n':
        out->push_back('\n');
        break;
      case 't':
        out->push_back('\t');
        break;
      case '"':
        out->push_back('"');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case 'x': {
        unsigned byte;
        if (i + 2 >= text.size()) return false;
        auto [end, error] = std::from_chars(text.data() + i + 1, text.data() + i + 3, byte, 16);
        if (error != std::errc() || end != text.data() + i + 3) return false;
        out->push_back(static_cast<char>(byte));
        i += 2;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

bool ParseHex(std::string_view text, std::string* out) {
  if (!text.starts_with("0x") || text.size() % 2 != 0) return false;
  for (size_t i = 2; i < text.size(); i += 2) {
    unsigned byte;
    auto [end, error] = std::from_chars(text.data() + i, text.data() + i + 2, byte, 16);
    if (error != std::errc() || end != text.data() + i + 2) return false;
    out->push_back(static_cast<char>(byte));
  }
  return true;
}

}  // namespace

Type TypeFromName(std::string_view name) {
  for (uint8_t raw = 1; raw < kTypeCount; ++raw) {
    if (TypeName(static_cast<Type>(raw)) == name) return static_cast<Type>(raw);
  }
  return Type::kNone;
}

absl::StatusOr<Value> ParseLiteral(Type type, std::string_view text) {
  auto bad = [&]() {
    return absl::InvalidArgumentError(StrCat("'", text, "' is not a ", TypeName(type), " literal"));
  };
  switch (type) {
    case Type::kBool:
      if (text == "true" || text == "false") return Value::MakeBool(text == "true");
      return bad();
    case Type::kInt: {
      int64_t value;
      if (!ParseInt(text, &value)) return bad();
      return Value::MakeInt(value);
    }
    case Type::kMoney: {
      Amount minor;
      if (text.size() < 5 || text[3] != ':' || !ParseAmount(text.substr(4), &minor)) return bad();
      return Value::MakeMoney(text.substr(0, 3), minor);
    }
    case Type::kRational: {
      const size_t slash = text.find('/');
      Amount numerator, denominator = 1;
      if (!ParseAmount(text.substr(0, slash), &numerator)) return bad();
      if (slash != std::string_view::npos && !ParseAmount(text.substr(slash + 1), &denominator)) {
        return bad();
      }
      return Value::MakeRational(numerator, denominator);
    }
    case Type::kTime: {
      int64_t ms;
      if (std::optional<int64_t> date = ParseIsoTimestamp(text); date.has_value()) {
        ms = *date;
      } else if (!ParseInt(text, &ms)) {
        return bad();
      }
      return Value::MakeTime(ms);
    }
    case Type::kDuration: {
      int64_t ms;
      if (!ParseDuration(text, &ms)) return bad();
      return Value::MakeDuration(ms);
    }
    case Type::kString:
    case Type::kBytes: {
      std::string data;
      if (!ParseQuoted(text, &data) && (type != Type::kBytes || !ParseHex(text, &data))) {
        return bad();
      }
      return type == Type::kString ? Value::MakeString(data) : Value::MakeBytes(data);
    }
    default:
      return absl::InvalidArgumentError(StrCat("a ", TypeName(type), " has no literal form"));
  }
}

}  // namespace tl::vm
