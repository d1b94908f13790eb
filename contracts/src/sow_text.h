// Text forms shared by the SOW language, the facts JSON form and the displays: calendar dates
// (proleptic Gregorian, UTC, no C library clock or time zone involved) and money amounts
// ("USD 1,250,000.00", in the currency's minor unit).
#ifndef TRIALLEDGER_CONTRACTS_SOW_TEXT_H_
#define TRIALLEDGER_CONTRACTS_SOW_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tl::contracts {

inline constexpr int64_t kMsPerDay = 86'400'000;

// "YYYY-MM-DD" to ms at 00:00 UTC; nullopt unless a real calendar date.
std::optional<int64_t> ParseIsoDate(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ" (or a bare date) to ms.
std::optional<int64_t> ParseIsoTimestamp(std::string_view text);
std::string FormatIsoDate(int64_t ms);
std::string FormatIsoTimestamp(int64_t ms);

bool IsCurrencyCode(std::string_view code);
// Digits after the decimal point in the currency's minor unit (ISO 4217): 0, 2 or 3.
int CurrencyExponent(std::string_view code);

// A decimal amount "1,250,000.00" (commas optional, groups of three; at most the currency's
// exponent of decimals) to minor units. Nullopt with `why` set when malformed or out of range.
std::optional<int64_t> ParseDecimalMinor(std::string_view amount, std::string_view currency,
                                         std::string* why);
// "USD 1,250,000.00" (or "-USD 5.00" / "USD -5.00") to minor units of `currency`.
std::optional<int64_t> ParseMoneyText(std::string_view text, std::string* currency,
                                      std::string* why);
// "USD 1,250,000.00"; negative amounts as "USD -5.00".
std::string FormatMoney(int64_t minor, std::string_view currency);

// Items joined with `separator`.
template <typename Range>
std::string Join(const Range& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out.append(separator);
    out.append(std::string_view(item));
  }
  return out;
}

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_SOW_TEXT_H_
