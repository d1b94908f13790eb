#include "output.h"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <vector>

#include "trialledger/base/str_cat.h"
#include "trialledger/export/csv.h"
#include "trialledger/sdk/protocol.h"

namespace tl::cli {
namespace {

std::string Cell(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "-";
  if (value.is_array()) {
    std::string joined;
    for (const Json& item : value)
      joined += (joined.empty() ? "" : ",") + Cell(item);
    return joined;
  }
  return value.dump();
}

bool IsTable(const Json& value) {
  return value.is_array() && !value.empty() && value.front().is_object();
}

bool IsDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

// "1,250.00", "1250", "0.5": digits in groups of three or not, an optional fraction.
bool IsUnsignedDecimal(std::string_view text) {
  const size_t point = text.find('.');
  std::string_view whole = text.substr(0, point);
  if (point != std::string_view::npos && !IsDigits(text.substr(point + 1))) return false;
  if (whole.find(',') == std::string_view::npos) return IsDigits(whole);
  const size_t first = whole.find(',');
  if (first == 0 || first > 3 || !IsDigits(whole.substr(0, first))) return false;
  for (size_t at = first; at < whole.size(); at += 4) {
    if (whole[at] != ',' || at + 4 > whole.size() || !IsDigits(whole.substr(at + 1, 3))) {
      return false;
    }
  }
  return true;
}

// An amount as the books and contracts write it, with or without its currency code:
// "-1,250.00", "USD -5.00", "USD 10.00". Sets `negative`.
bool IsAmountText(std::string_view text, bool* negative) {
  if (text.size() > 4 && text[3] == ' ' && std::all_of(text.begin(), text.begin() + 3, [](char c) {
        return std::isupper(static_cast<unsigned char>(c));
      })) {
    text.remove_prefix(4);
  }
  *negative = text.starts_with('-');
  if (*negative) text.remove_prefix(1);
  return IsUnsignedDecimal(text) &&
         (text.find('.') != std::string_view::npos || text.find(',') != std::string_view::npos);
}

// "-1,250.00" as "(1,250.00)", "USD -5.00" as "USD (5.00)"; anything else unchanged.
std::string FinanceNegative(const std::string& text) {
  bool negative = false;
  if (!IsAmountText(text, &negative) || !negative) return text;
  const size_t minus = text.find('-');
  return StrCat(text.substr(0, minus), "(", text.substr(minus + 1), ")");
}

bool IsLongHash(std::string_view text) {
  return text.size() >= kShortHashAbove && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
         });
}

// The first `width` code points of `text`.
std::string CutToWidth(const std::string& text, size_t width) {
  size_t points = 0;
  for (size_t at = 0; at < text.size(); ++at) {
    if ((static_cast<unsigned char>(text[at]) & 0xC0) != 0x80 && points++ == width) {
      return text.substr(0, at);
    }
  }
  return text;
}

// A cell of a table: objects inside it (a list of differences, of evidence) as key=value words.
std::string TableText(const Json& value) {
  if (value.is_object()) {
    std::string words;
    for (const auto& [key, field] : value.items()) {
      words += StrCat(words.empty() ? "" : " ", key, "=", TableText(field));
    }
    return words;
  }
  if (value.is_array() && !value.empty() && value.front().is_object()) {
    std::string joined;
    for (const Json& item : value)
      joined += (joined.empty() ? "" : "; ") + TableText(item);
    return joined;
  }
  return Cell(value);
}

// A value as a table shows it: amounts in parentheses when negative, then cut unless wide.
std::string ShownCell(const Json& value, bool wide) {
  if (!value.is_string()) return TableCell(TableText(value), wide);
  return TableCell(value.get<std::string>(), wide);
}

void PrintTable(const Json& rows, bool wide) {
  std::vector<std::string> columns;
  for (const auto& [key, unused] : rows.front().items())
    columns.push_back(key);
  std::vector<std::vector<std::string>> cells;
  for (const Json& row : rows) {
    std::vector<std::string>& line = cells.emplace_back();
    for (const std::string& column : columns)
      line.push_back(ShownCell(row.value(column, Json()), wide));
  }
  std::vector<size_t> widths;
  std::vector<bool> numeric(columns.size(), true), parenthesised(columns.size(), false);
  for (size_t c = 0; c < columns.size(); ++c) {
    widths.push_back(columns[c].size());
    bool any = false;
    for (const std::vector<std::string>& line : cells) {
      const std::string& cell = line[c];
      if (cell.empty() || cell == "-") continue;
      any = true;
      numeric[c] = numeric[c] && IsNumericCell(cell);
      parenthesised[c] = parenthesised[c] || cell.ends_with(')');
    }
    numeric[c] = numeric[c] && any;
    for (std::vector<std::string>& line : cells) {
      // Figures line up on the decimal point: a positive amount leaves room for the ")".
      if (numeric[c] && parenthesised[c] && !line[c].ends_with(')')) line[c] += ' ';
      widths[c] = std::max(widths[c], DisplayWidth(line[c]));
    }
  }
  auto print_line = [&](const std::vector<std::string>& line) {
    std::string out;
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string pad(widths[c] - DisplayWidth(line[c]), ' ');
      const bool last = c + 1 == columns.size();
      out += numeric[c] ? pad + line[c] : line[c] + (last ? "" : pad);
      if (!last) out += "  ";
    }
    while (out.ends_with(' '))
      out.pop_back();  // an empty last cell, a positive's ")" room
    std::cout << out << "\n";
  };
  std::vector<std::string> header;
  for (std::string upper : columns) {
    for (char& ch : upper)
      ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    header.push_back(std::move(upper));
  }
  print_line(header);
  for (const std::vector<std::string>& line : cells)
    print_line(line);
}

void PrintObject(const Json& object, bool wide) {
  size_t width = 0;
  for (const auto& [key, value] : object.items()) {
    if (!IsTable(value)) width = std::max(width, key.size());
  }
  for (const auto& [key, value] : object.items()) {
    if (IsTable(value)) continue;
    std::cout << key << std::string(width - key.size() + 2, ' ')
              << (value.is_string() ? FinanceNegative(value.get<std::string>()) : Cell(value))
              << "\n";
  }
  for (const auto& [key, value] : object.items()) {
    if (!IsTable(value)) continue;
    std::cout << "\n" << key << ":\n";
    PrintTable(value, wide);
  }
}

// Columns in the order they first appear, over every row.
std::vector<std::string> ColumnsOf(const std::vector<Json>& rows) {
  std::vector<std::string> columns;
  for (const Json& row : rows) {
    for (const auto& [key, unused] : row.items()) {
      if (std::find(columns.begin(), columns.end(), key) == columns.end()) columns.push_back(key);
    }
  }
  return columns;
}

void PrintCsvRows(const std::vector<Json>& rows) {
  const std::vector<std::string> columns = ColumnsOf(rows);
  std::cout << journal_export::CsvRecord(columns);
  for (const Json& row : rows) {
    std::vector<std::string> fields;
    for (const std::string& column : columns) {
      const Json cell = row.value(column, Json());
      fields.push_back(cell.is_null() ? "" : Cell(cell));
    }
    std::cout << journal_export::CsvRecord(fields);
  }
}

void PrintCsv(const Json& value) {
  if (IsTable(value)) {
    PrintCsvRows(std::vector<Json>(value.begin(), value.end()));
    return;
  }
  if (!value.is_object()) {
    std::cout << journal_export::CsvRecord({value.is_array() && value.empty() ? "" : Cell(value)});
    return;
  }
  Json scalars = Json::object();
  std::vector<std::string> tables;
  for (const auto& [key, field] : value.items()) {
    if (IsTable(field)) {
      tables.push_back(key);
    } else if (!field.is_array() || !field.empty()) {
      scalars[key] = field;
    }
  }
  if (tables.empty()) {
    std::cout << journal_export::CsvRecord({"field", "value"});
    for (const auto& [key, field] : scalars.items()) {
      std::cout << journal_export::CsvRecord({key, Cell(field)});
    }
    return;
  }
  std::vector<Json> rows;
  for (const std::string& table : tables) {
    for (const Json& row : value[table]) {
      Json out = Json::object();
      if (tables.size() > 1) out["section"] = table;
      for (const auto& [key, field] : scalars.items())
        out[key] = field;
      for (const auto& [key, field] : row.items())
        out[key] = field;
      rows.push_back(std::move(out));
    }
  }
  PrintCsvRows(rows);
}

}  // namespace

std::string TableCell(const std::string& text, bool wide) {
  const std::string shown = FinanceNegative(text);
  if (wide) return shown;
  if (IsLongHash(shown)) return shown.substr(0, kShortHashDigits) + "…";
  if (DisplayWidth(shown) > kCellWidthMax) return CutToWidth(shown, kCellWidthMax - 1) + "…";
  return shown;
}

bool IsNumericCell(std::string_view text) {
  if (text.starts_with('(') && text.ends_with(')')) {
    text = text.substr(1, text.size() - 2);
  } else if (text.size() > 4 && text[3] == ' ' && text.substr(4).starts_with('(') &&
             text.ends_with(')')) {
    return IsNumericCell(StrCat(text.substr(0, 4), text.substr(5, text.size() - 6)));
  }
  bool negative = false;
  if (IsAmountText(text, &negative)) return true;
  if (text.starts_with('-')) text.remove_prefix(1);
  return IsUnsignedDecimal(text);
}

size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void Print(const Json& value, OutputStyle style) {
  if (style.format == OutputFormat::kCsv) {
    PrintCsv(value);
  } else if (style.format == OutputFormat::kJson) {
    std::cout << value.dump(2) << "\n";
  } else if (IsTable(value)) {
    PrintTable(value, style.wide);
  } else if (value.is_object()) {
    PrintObject(value, style.wide);
  } else if (value.is_array() && value.empty()) {
    std::cout << "(none)\n";
  } else {
    std::cout << Cell(value) << "\n";
  }
}

std::string ResultCodeName(int code) {
  std::string name = v1::TxResultCode_Name(static_cast<v1::TxResultCode>(code));
  if (name.starts_with("TX_")) name = name.substr(3);
  for (char& ch : name)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return name.empty() ? std::to_string(code) : name;
}

}  // namespace tl::cli
