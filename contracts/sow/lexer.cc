#include "lexer.h"

#include <algorithm>

#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/sow_text.h"

namespace tl::contracts {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentChar(char c) {
  return IsIdentStart(c) || IsDigit(c);
}

class Lexer {
 public:
  explicit Lexer(std::string_view source) : source_(source) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < source.size(); ++i) {
      if (source[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpaceAndComments();
      if (pos_ >= source_.size()) break;
      tokens.push_back(Next(tokens.empty() ? nullptr : &tokens.back()));
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.span = SpanAt(pos_, 1);
    tokens.push_back(end);
    return tokens;
  }

 private:
  Span SpanAt(size_t start, size_t length) const {
    Span span;
    span.offset = start;
    span.length = length == 0 ? 1 : length;
    // The last line that starts at or before `start`.
    const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), start);
    span.line = static_cast<int>(next - line_starts_.begin());
    span.column = static_cast<int>(start - *(next - 1)) + 1;
    return span;
  }

  [[noreturn]] void Fail(size_t start, size_t length, std::string message) const {
    throw CompileError{SpanAt(start, length), std::move(message)};
  }

  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < source_.size() ? source_[pos_ + ahead] : '\0';
  }

  void SkipSpaceAndComments() {
    while (pos_ < source_.size()) {
      const char c = source_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (c == '/' && Peek(1) == '/') {
        while (pos_ < source_.size() && source_[pos_] != '\n')
          ++pos_;
      } else {
        break;
      }
    }
  }

  Token Make(TokenKind kind, size_t start, std::string text) const {
    Token token;
    token.kind = kind;
    token.text = std::move(text);
    token.span = SpanAt(start, pos_ - start);
    return token;
  }

  Token Next(const Token* previous) {
    const size_t start = pos_;
    const char c = source_[pos_];
    if (IsIdentStart(c)) {
      while (IsIdentChar(Peek()))
        ++pos_;
      return Make(TokenKind::kIdentifier, start, std::string(source_.substr(start, pos_ - start)));
    }
    if (IsDigit(c)) return Number(start, previous);
    if (c == '"') return String(start);
    static constexpr std::string_view kTwo[] = {"..", "->", "==", "!=", "<=", ">="};
    for (std::string_view op : kTwo) {
      if (source_.substr(pos_, 2) == op) {
        pos_ += 2;
        return Make(TokenKind::kPunct, start, std::string(op));
      }
    }
    if (std::string_view("{}(),:.=<>+-*/%").find(c) != std::string_view::npos) {
      ++pos_;
      return Make(TokenKind::kPunct, start, std::string(1, c));
    }
    Fail(start, 1, StrCat("unexpected character '", std::string(1, c), "'"));
  }

  Token Number(size_t start, const Token* previous) {
    // A calendar date: exactly YYYY-MM-DD.
    if (pos_ + 10 <= source_.size() && source_[pos_ + 4] == '-' && source_[pos_ + 7] == '-') {
      bool shape = true;
      for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        shape = shape && IsDigit(source_[pos_ + i]);
      if (shape && !IsIdentChar(Peek(10))) {
        pos_ += 10;
        const std::string text(source_.substr(start, 10));
        if (!ParseIsoDate(text)) Fail(start, 10, StrCat("'", text, "' is not a valid date"));
        return Make(TokenKind::kDate, start, text);
      }
    }
    // Money amounts follow a currency code and may group digits with commas and carry decimals.
    const bool money = previous != nullptr && previous->kind == TokenKind::kIdentifier &&
                       IsCurrencyCode(previous->text) &&
                       previous->span.offset + previous->span.length <= start;
    while (true) {
      if (IsDigit(Peek())) {
        ++pos_;
      } else if (money && Peek() == ',' && IsDigit(Peek(1))) {
        ++pos_;
      } else if (money && Peek() == '.' && IsDigit(Peek(1))) {
        ++pos_;
      } else {
        break;
      }
    }
    if (IsIdentStart(Peek())) {
      Fail(start, pos_ - start + 1, "a number must be followed by a space or an operator");
    }
    return Make(TokenKind::kNumber, start, std::string(source_.substr(start, pos_ - start)));
  }

  Token String(size_t start) {
    ++pos_;
    std::string text;
    while (true) {
      if (pos_ >= source_.size() || source_[pos_] == '\n') {
        Fail(start, 1, "text is missing its closing quote");
      }
      const char c = source_[pos_++];
      if (c == '"') break;
      if (c == '\\') {
        const char e = Peek();
        if (e != '"' && e != '\\') Fail(pos_ - 1, 2, "only \\\" and \\\\ escapes are allowed");
        text += e;
        ++pos_;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x20) Fail(pos_ - 1, 1, "control character in text");
      text += c;
    }
    return Make(TokenKind::kString, start, std::move(text));
  }

  std::string_view source_;
  std::vector<size_t> line_starts_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<Token> Lex(std::string_view source) {
  return Lexer(source).Run();
}

}  // namespace tl::contracts
