// Printing command results as a table for people or as JSON for programs (-o json). Commands
// build an ordered JSON value and hand it here; nothing else prints results.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tl::cli {

using Json = nlohmann::ordered_json;

enum class OutputFormat { kTable, kJson, kCsv };

// An object prints as "field  value" lines; an array of objects as aligned columns; an object
// whose values include arrays of objects prints its scalar fields, then each array as a table.
// As CSV (-o csv, for spreadsheets): an array of objects is a header and a record per object; an
// object with lists of objects is one CSV of their rows, each led by the object's own scalar
// fields and, when it has several lists, a `section` column naming the list; any other object is
// `field,value` records.
void Print(const Json& value, OutputFormat format);

std::string ResultCodeName(int code);  // "ok", "bad_signature", ...

}  // namespace tl::cli
