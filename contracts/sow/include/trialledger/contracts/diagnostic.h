// Where something is in a SOW file, and compile errors that point at it:
//
//   full_service.sow:14:9: error: unknown name 'enroled'
//     when enroled >= 10
//          ^~~~~~~
#ifndef TRIALLEDGER_CONTRACTS_DIAGNOSTIC_H_
#define TRIALLEDGER_CONTRACTS_DIAGNOSTIC_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace tl::contracts {

struct Span {
  size_t offset = 0;  // byte offset of the first character
  size_t length = 1;  // bytes; at least 1 so the caret has something to point at
  int line = 1;       // 1-based
  int column = 1;     // 1-based, in bytes
};

// A compile error: thrown inside the front end (lexer, parser, checker, code generator) and
// caught once at CompileSow's boundary, where it becomes a Status with the formatted text.
struct CompileError {
  Span span;
  std::string message;
};

// "FILE:LINE:COL: error: MESSAGE", the source line, and a caret (with tildes along the rest of
// the token) under the fault.
std::string FormatDiagnostic(std::string_view file_name, std::string_view source,
                             const CompileError& error);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_DIAGNOSTIC_H_
