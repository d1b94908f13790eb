#include "trialledger/contracts/diagnostic.h"

#include <algorithm>

#include "trialledger/base/str_cat.h"

namespace tl::contracts {

std::string FormatDiagnostic(std::string_view file_name, std::string_view source,
                             const CompileError& error) {
  const Span& span = error.span;
  std::string out =
      StrCat(file_name, ":", span.line, ":", span.column, ": error: ", error.message, "\n");
  const size_t line_start = std::min(span.offset, source.size()) - (span.column - 1);
  size_t line_end = source.find('\n', line_start);
  if (line_end == std::string_view::npos) line_end = source.size();
  std::string_view line = source.substr(line_start, line_end - line_start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  out += StrCat("  ", line, "\n  ");
  // Tabs stay tabs under the caret so it lines up in any terminal.
  for (int i = 0; i + 1 < span.column && static_cast<size_t>(i) < line.size(); ++i) {
    out += line[i] == '\t' ? '\t' : ' ';
  }
  out += '^';
  const size_t room =
      line.size() > static_cast<size_t>(span.column) ? line.size() - span.column : 0;
  out.append(std::min(span.length > 0 ? span.length - 1 : 0, room), '~');
  out += '\n';
  return out;
}

}  // namespace tl::contracts
