#include "sow_text.h"

#include <array>

#include <fmt/format.h>
#include "trialledger/sdk/strings.h"

namespace tl::contracts {
namespace {

// Howard Hinnant's days-from-civil and civil-from-days: exact integer arithmetic.
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

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

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

std::optional<int64_t> ParseIsoDate(std::string_view text) {
  int64_t y, m, d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !Digits(text.substr(0, 4), &y) ||
      !Digits(text.substr(5, 2), &m) || !Digits(text.substr(8, 2), &d)) {
    return std::nullopt;
  }
  if (y < 1970 || m < 1 || m > 12 || d < 1) return std::nullopt;
  const int64_t days = DaysFromCivil(y, m, d);
  int64_t y2, m2, d2;
  CivilFromDays(days, &y2, &m2, &d2);
  if (m2 != m || d2 != d) return std::nullopt;  // 2026-02-30 and the like
  return days * kMsPerDay;
}

std::optional<int64_t> ParseIsoTimestamp(std::string_view text) {
  if (text.size() == 10) return ParseIsoDate(text);
  int64_t h, mi, s;
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z' || !Digits(text.substr(11, 2), &h) || !Digits(text.substr(14, 2), &mi) ||
      !Digits(text.substr(17, 2), &s) || h > 23 || mi > 59 || s > 59) {
    return std::nullopt;
  }
  std::optional<int64_t> day = ParseIsoDate(text.substr(0, 10));
  if (!day) return std::nullopt;
  return *day + ((h * 60 + mi) * 60 + s) * 1000;
}

std::string FormatIsoDate(int64_t ms) {
  int64_t y, m, d;
  CivilFromDays(FloorDiv(ms, kMsPerDay), &y, &m, &d);
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
}

std::string FormatIsoTimestamp(int64_t ms) {
  const int64_t day_ms = ms - FloorDiv(ms, kMsPerDay) * kMsPerDay;
  const int64_t seconds = day_ms / 1000;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}Z", FormatIsoDate(ms), seconds / 3600,
                     seconds / 60 % 60, seconds % 60);
}

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

std::string FormatMoney(int64_t minor, std::string_view currency) {
  const int exponent = CurrencyExponent(currency);
  const bool negative = minor < 0;
  // Work on the magnitude as unsigned so INT64_MIN formats too.
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  std::string digits = std::to_string(magnitude);
  if (static_cast<int>(digits.size()) <= exponent) {
    digits.insert(0, exponent + 1 - digits.size(), '0');
  }
  const std::string whole = digits.substr(0, digits.size() - exponent);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  std::string out = StrCat(currency, " ", negative ? "-" : "", grouped);
  if (exponent > 0) out += StrCat(".", digits.substr(digits.size() - exponent));
  return out;
}

}  // namespace tl::contracts
