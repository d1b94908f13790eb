#include "output.h"

#include <algorithm>
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

void PrintTable(const Json& rows) {
  std::vector<std::string> columns;
  for (const auto& [key, unused] : rows.front().items())
    columns.push_back(key);
  std::vector<size_t> widths;
  for (const std::string& column : columns)
    widths.push_back(column.size());
  for (const Json& row : rows) {
    for (size_t c = 0; c < columns.size(); ++c) {
      widths[c] = std::max(widths[c], Cell(row.value(columns[c], Json())).size());
    }
  }
  auto print_line = [&](auto cell_of) {
    std::string line;
    for (size_t c = 0; c < columns.size(); ++c) {
      std::string cell = cell_of(c);
      line += cell;
      if (c + 1 < columns.size()) line += std::string(widths[c] - cell.size() + 2, ' ');
    }
    std::cout << line << "\n";
  };
  print_line([&](size_t c) {
    std::string upper = columns[c];
    for (char& ch : upper)
      ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return upper;
  });
  for (const Json& row : rows) {
    print_line([&](size_t c) { return Cell(row.value(columns[c], Json())); });
  }
}

void PrintObject(const Json& object) {
  size_t width = 0;
  for (const auto& [key, value] : object.items()) {
    if (!IsTable(value)) width = std::max(width, key.size());
  }
  for (const auto& [key, value] : object.items()) {
    if (IsTable(value)) continue;
    std::cout << key << std::string(width - key.size() + 2, ' ') << Cell(value) << "\n";
  }
  for (const auto& [key, value] : object.items()) {
    if (!IsTable(value)) continue;
    std::cout << "\n" << key << ":\n";
    PrintTable(value);
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

void Print(const Json& value, OutputFormat format) {
  if (format == OutputFormat::kCsv) {
    PrintCsv(value);
  } else if (format == OutputFormat::kJson) {
    std::cout << value.dump(2) << "\n";
  } else if (IsTable(value)) {
    PrintTable(value);
  } else if (value.is_object()) {
    PrintObject(value);
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
