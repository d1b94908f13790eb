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

// The format and, for tables, whether cells are shown whole (--wide). It converts to and from
// OutputFormat, so code that only asks for the format need not know about the rest.
struct OutputStyle {
  OutputStyle(OutputFormat format = OutputFormat::kTable, bool wide = false)  // NOLINT: implicit
      : format(format), wide(wide) {}
  operator OutputFormat() const { return format; }  // NOLINT: implicit
  OutputFormat format;
  bool wide;
};

// How tables stay narrow unless --wide: a hash (hex of kShortHashAbove digits or more) shows its
// first kShortHashDigits, any other cell at most kCellWidthMax characters, each cut ending in "…".
inline constexpr size_t kShortHashAbove = 40;
inline constexpr size_t kShortHashDigits = 12;
inline constexpr size_t kCellWidthMax = 60;

// An object prints as "field  value" lines; an array of objects as aligned columns; an object
// whose values include arrays of objects prints its scalar fields, then each array as a table.
// In tables, a column of numbers and amounts is right-aligned, a negative amount is shown in
// parentheses as finance reads it ("-1,250.00" as "(1,250.00)"), and cells are cut to size
// unless `style.wide`; "field value" lines are never cut (an id there is meant to be copied).
// As CSV (-o csv, for spreadsheets): an array of objects is a header and a record per object; an
// object with lists of objects is one CSV of their rows, each led by the object's own scalar
// fields and, when it has several lists, a `section` column naming the list; any other object is
// `field,value` records.
void Print(const Json& value, OutputStyle style);

// One table cell as shown (exposed for its tests): `text` with a negative amount in parentheses
// and, unless `wide`, cut to size.
std::string TableCell(const std::string& text, bool wide);
// Whether `text` is a number or an amount ("1,250.00", "(5.00)", "USD 10.00", "42").
bool IsNumericCell(std::string_view text);
// The width of `text` on a terminal: its UTF-8 code points.
size_t DisplayWidth(std::string_view text);

std::string ResultCodeName(int code);  // "ok", "bad_signature", ...

}  // namespace tl::cli
