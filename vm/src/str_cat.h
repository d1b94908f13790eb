// Locale-free string concatenation for messages. (Debian's abseil has its own string_view,
// which does not accept std::string_view, so absl::StrCat is not used in the VM.)
#ifndef TRIALLEDGER_VM_SRC_STR_CAT_H_
#define TRIALLEDGER_VM_SRC_STR_CAT_H_

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace tl::vm::internal {

inline void AppendPiece(std::string* out, std::string_view piece) {
  out->append(piece);
}
inline void AppendPiece(std::string* out, absl::string_view piece) {
  out->append(piece.data(), piece.size());
}
inline void AppendPiece(std::string* out, const char* piece) {
  out->append(piece);
}
inline void AppendPiece(std::string* out, const std::string& piece) {
  out->append(piece);
}
inline void AppendPiece(std::string* out, char c) {
  out->push_back(c);
}
template <std::integral T>
requires(!std::same_as<T, char> && !std::same_as<T, bool>) void AppendPiece(std::string* out,
                                                                            T number) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof(digits), number).ptr;
  out->append(digits, end);
}

template <typename... Pieces>
void StrAppend(std::string* out, const Pieces&... pieces) {
  (AppendPiece(out, pieces), ...);
}

template <typename... Pieces>
std::string StrCat(const Pieces&... pieces) {
  std::string out;
  StrAppend(&out, pieces...);
  return out;
}

}  // namespace tl::vm::internal

#endif  // TRIALLEDGER_VM_SRC_STR_CAT_H_
