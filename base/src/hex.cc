#include "trialledger/base/hex.h"

#include "trialledger/base/str_cat.h"

namespace tl {
namespace {

int NibbleOf(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xf]);
  }
  return hex;
}

absl::StatusOr<std::string> FromHex(std::string_view hex, std::string_view what) {
  if (hex.size() % 2 != 0) {
    return absl::InvalidArgumentError(
        StrCat(what, ": hex has an odd number of digits (", hex.size(), ")"));
  }
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = NibbleOf(hex[i]);
    int low = NibbleOf(hex[i + 1]);
    if (high < 0 || low < 0) {
      return absl::InvalidArgumentError(
          StrCat(what, ": not a hex digit at position ", high < 0 ? i : i + 1));
    }
    bytes.push_back(static_cast<char>(high << 4 | low));
  }
  return bytes;
}

absl::StatusOr<std::string> FromHexExact(std::string_view hex, size_t bytes,
                                         std::string_view what) {
  if (hex.size() != bytes * 2) {
    return absl::InvalidArgumentError(
        StrCat(what, ": expected ", bytes * 2, " hex digits, got ", hex.size()));
  }
  return FromHex(hex, what);
}

}  // namespace tl
