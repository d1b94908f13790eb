// Message building for errors and output, the same in every library.
//
//   std::string why = StrCat("block ", height, ": expected ", expected_hex);
//   StrAppend(&line, ", ", name);
//   std::string roles = Join(member.roles(), ", ");
//
// Locale-free: integers are written with std::to_chars, so a message is the same bytes on every
// machine (some messages end up in block results, which are hashed). Debian's abseil is built
// with its own string_view, which absl::StrCat does not take from std::string_view; this one takes
// both, and absl::Status::message() through MessageOf.
#pragma once

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace tl {

namespace internal {

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

}  // namespace internal

template <typename... Pieces>
void StrAppend(std::string* out, const Pieces&... pieces) {
  (internal::AppendPiece(out, pieces), ...);
}

template <typename... Pieces>
std::string StrCat(const Pieces&... pieces) {
  std::string out;
  StrAppend(&out, pieces...);
  return out;
}

// Items (anything a std::string_view can be made from) joined with `separator`.
template <typename Range>
std::string Join(const Range& items, std::string_view separator) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out.append(separator);
    first = false;
    out.append(std::string_view(item));
  }
  return out;
}

// An absl::Status message as std::string_view.
inline std::string_view MessageOf(const absl::Status& status) {
  return {status.message().data(), status.message().size()};
}

}  // namespace tl
