// Text forms shared by the SOW language, the facts JSON form and the displays: money amounts
// ("USD 1,250,000.00", in the currency's minor unit). Dates are base/civil_date.h.
#ifndef TRIALLEDGER_CONTRACTS_SOW_TEXT_H_
#define TRIALLEDGER_CONTRACTS_SOW_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "trialledger/base/civil_date.h"
#include "trialledger/base/str_cat.h"

namespace tl::contracts {

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
// The amount alone in major units with the currency's decimals: "1250000.00" (kNone: the form
// JSON reports carry, never a float) or "1,250,000.00".
enum class DigitGrouping { kNone, kThousands };
std::string FormatDecimalMinor(int64_t minor, std::string_view currency, DigitGrouping grouping);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_SOW_TEXT_H_
