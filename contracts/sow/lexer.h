// Tokens of the SOW language. Keywords are ordinary identifiers that the parser recognises in
// context, so a new clause never breaks an existing name elsewhere.
#ifndef TRIALLEDGER_CONTRACTS_LEXER_H_
#define TRIALLEDGER_CONTRACTS_LEXER_H_

#include <string>
#include <string_view>
#include <vector>

#include "trialledger/contracts/diagnostic.h"

namespace tl::contracts {

enum class TokenKind {
  kIdentifier,
  kNumber,  // digits; after a currency code also "1,250,000.00"
  kDate,    // YYYY-MM-DD
  kString,  // text is the unescaped contents
  kPunct,   // { } ( ) , : . .. -> = == != < <= > >= + - * / %
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  Span span;
};

// Throws CompileError on a character or literal it cannot read.
std::vector<Token> Lex(std::string_view source);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_LEXER_H_
