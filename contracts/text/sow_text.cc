#include "trialledger/contracts/sow_text.h"

#include <array>

#include "trialledger/base/str_cat.h"

namespace tl::contracts {
namespace {

bool Digits(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

}  // namespace

bool IsCurrencyCode(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

int CurrencyExponent(std::string_view code) {
  static constexpr std::array<std::string_view, 8> kZero = {"JPY", "KRW", "CLP", "ISK",
                                                            "VND", "XAF", "XOF", "UGX"};
  static constexpr std::array<std::string_view, 6> kThree = {"BHD", "IQD", "JOD",
                                                             "KWD", "OMR", "TND"};
  for (std::string_view c : kZero) {
    if (c == code) return 0;
  }
  for (std::string_view c : kThree) {
    if (c == code) return 3;
  }
  return 2;
}

std::optional<int64_t> ParseDecimalMinor(std::string_view amount, std::string_view currency,
                                         std::string* why) {
  const bool negative = !amount.empty() && amount[0] == '-';
  if (negative) amount.remove_prefix(1);
  std::string_view whole = amount, fraction;
  if (size_t dot = amount.find('.'); dot != std::string_view::npos) {
    whole = amount.substr(0, dot);
    fraction = amount.substr(dot + 1);
    if (fraction.empty()) {
      *why = "a decimal point needs digits after it";
      return std::nullopt;
    }
  }
  const int exponent = CurrencyExponent(currency);
  if (static_cast<int>(fraction.size()) > exponent) {
    *why =
        StrCat(currency, " has ", exponent, " decimal places, this amount has ", fraction.size());
    return std::nullopt;
  }
  // Commas separate groups of three digits; the first group has one to three.
  std::string digits;
  size_t group = 0;
  bool grouped = false;
  for (size_t i = 0; i < whole.size(); ++i) {
    const char c = whole[i];
    if (c == ',') {
      if (group == 0 || (grouped && group != 3) || group > 3) {
        *why = "commas must separate groups of three digits";
        return std::nullopt;
      }
      grouped = true;
      group = 0;
      continue;
    }
    if (c < '0' || c > '9') {
      *why = StrCat("'", amount, "' is not a decimal amount");
      return std::nullopt;
    }
    digits += c;
    ++group;
  }
  if (digits.empty() || (grouped && group != 3)) {
    *why =
        digits.empty() ? "an amount needs digits" : "commas must separate groups of three digits";
    return std::nullopt;
  }
  for (char c : fraction) {
    if (c < '0' || c > '9') {
      *why = StrCat("'", amount, "' is not a decimal amount");
      return std::nullopt;
    }
  }
  digits += fraction;
  digits.append(exponent - fraction.size(), '0');
  if (digits.size() > 17) {
    *why = "the amount is too large";
    return std::nullopt;
  }
  int64_t minor = 0;
  Digits(digits, &minor);
  return negative ? -minor : minor;
}

std::optional<int64_t> ParseMoneyText(std::string_view text, std::string* currency,
                                      std::string* why) {
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.size() < 5 || text[3] != ' ' || !IsCurrencyCode(text.substr(0, 3))) {
    *why = "expected a currency code and an amount, e.g. \"USD 1,250.00\"";
    return std::nullopt;
  }
  *currency = std::string(text.substr(0, 3));
  std::optional<int64_t> minor = ParseDecimalMinor(text.substr(4), *currency, why);
  if (!minor) return std::nullopt;
  return negative ? -*minor : *minor;
}

std::string FormatDecimalMinor(int64_t minor, std::string_view currency, DigitGrouping grouping) {
  const int exponent = CurrencyExponent(currency);
  const bool negative = minor < 0;
  // Work on the magnitude as unsigned so INT64_MIN formats too.
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  std::string digits = std::to_string(magnitude);
  if (static_cast<int>(digits.size()) <= exponent) {
    digits.insert(0, exponent + 1 - digits.size(), '0');
  }
  const std::string whole = digits.substr(0, digits.size() - exponent);
  std::string out = negative ? "-" : "";
  for (size_t i = 0; i < whole.size(); ++i) {
    if (grouping == DigitGrouping::kThousands && i > 0 && (whole.size() - i) % 3 == 0) {
      out += ',';
    }
    out += whole[i];
  }
  if (exponent > 0) out += StrCat(".", digits.substr(digits.size() - exponent));
  return out;
}

std::string FormatMoney(int64_t minor, std::string_view currency) {
  return StrCat(currency, " ", FormatDecimalMinor(minor, currency, DigitGrouping::kThousands));
}

}  // namespace tl::contracts
