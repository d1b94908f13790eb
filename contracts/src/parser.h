// The SOW grammar (docs/sow-language.md): a recursive-descent parser over Lex's tokens. It checks
// syntax and the things one clause can check alone (money in the contract currency, one clause of
// each kind per block); names and types are the checker's job.
#ifndef TRIALLEDGER_CONTRACTS_PARSER_H_
#define TRIALLEDGER_CONTRACTS_PARSER_H_

#include <string_view>

#include "ast.h"

namespace tl::contracts {

// Throws CompileError at the first fault.
SowFile Parse(std::string_view source);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_PARSER_H_
