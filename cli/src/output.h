// Printing command results as a table for people or as JSON for programs (-o json). Commands
// build an ordered JSON value and hand it here; nothing else prints results.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tl::cli {

using Json = nlohmann::ordered_json;

enum class OutputFormat { kTable, kJson };

// An object prints as "field  value" lines; an array of objects as aligned columns; an object
// whose values include arrays of objects prints its scalar fields, then each array as a table.
void Print(const Json& value, OutputFormat format);

std::string ResultCodeName(int code);  // "ok", "bad_signature", ...

}  // namespace tl::cli
