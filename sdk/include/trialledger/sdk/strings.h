// Message building for errors and output. Debian's Abseil is built with its own string_view, so
// absl::StrCat does not take std::string_view; StrCat here (on fmt) takes anything fmt formats,
// including absl::string_view (what absl::Status::message() returns).
#pragma once

#include <fmt/format.h>

#include <iterator>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<fmt::string_view> {
  template <typename Context>
  auto format(absl::string_view value, Context& context) const {
    return fmt::formatter<fmt::string_view>::format(fmt::string_view(value.data(), value.size()),
                                                    context);
  }
};

namespace tl {

// An absl::Status message as std::string_view.
inline std::string_view MessageOf(const absl::Status& status) {
  return {status.message().data(), status.message().size()};
}

template <typename... Parts>
std::string StrCat(const Parts&... parts) {
  std::string out;
  (fmt::format_to(std::back_inserter(out), "{}", parts), ...);
  return out;
}

}  // namespace tl
