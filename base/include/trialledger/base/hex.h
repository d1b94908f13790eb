// Lower-case hex for keys, hashes and ids as people see them.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tl {

std::string ToHex(std::string_view bytes);
// Accepts upper or lower case; `what` names the value in the error ("public_key", "tx id").
absl::StatusOr<std::string> FromHex(std::string_view hex, std::string_view what);
// FromHex that also requires an exact decoded length.
absl::StatusOr<std::string> FromHexExact(std::string_view hex, size_t bytes, std::string_view what);

}  // namespace tl
