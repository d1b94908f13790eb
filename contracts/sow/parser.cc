#include "trialledger/contracts/sow.h"

#include <set>

#include "lexer.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/limits.h"
#include "trialledger/contracts/sow_text.h"

namespace tl::contracts {
namespace {

Span Cover(const Span& first, const Span& last) {
  Span span = first;
  span.length = last.offset + last.length - first.offset;
  return span;
}

class Parser {
 public:
  Parser(std::string_view source) : tokens_(Lex(source)) {}

  SowFile File() {
    SowFile file;
    ParseHeader(&file);
    while (!AtEnd())
      ParseItem(&file);
    return file;
  }

 private:
  // ---- token helpers ----
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  bool AtEnd() const { return Peek().kind == TokenKind::kEnd; }
  const Token& Take() {
    const Token& token = Peek();
    if (!AtEnd()) ++pos_;
    last_ = token.span;
    return token;
  }
  bool IsWord(std::string_view word, size_t ahead = 0) const {
    return Peek(ahead).kind == TokenKind::kIdentifier && Peek(ahead).text == word;
  }
  bool IsPunct(std::string_view punct) const {
    return Peek().kind == TokenKind::kPunct && Peek().text == punct;
  }
  bool AcceptWord(std::string_view word) {
    if (!IsWord(word)) return false;
    Take();
    return true;
  }
  bool AcceptPunct(std::string_view punct) {
    if (!IsPunct(punct)) return false;
    Take();
    return true;
  }
  static std::string Describe(const Token& token) {
    switch (token.kind) {
      case TokenKind::kEnd:
        return "the end of the file";
      case TokenKind::kString:
        return StrCat("text \"", token.text, "\"");
      default:
        return StrCat("'", token.text, "'");
    }
  }
  [[noreturn]] void Fail(const Span& span, std::string message) const {
    throw CompileError{span, std::move(message)};
  }
  [[noreturn]] void Expected(std::string_view what) const {
    Fail(Peek().span, StrCat("expected ", what, ", found ", Describe(Peek())));
  }
  void ExpectWord(std::string_view word) {
    if (!AcceptWord(word)) Expected(StrCat("'", word, "'"));
  }
  void ExpectPunct(std::string_view punct) {
    if (!AcceptPunct(punct)) Expected(StrCat("'", punct, "'"));
  }
  const Token& ExpectIdentifier(std::string_view what) {
    if (Peek().kind != TokenKind::kIdentifier) Expected(what);
    return Take();
  }
  const Token& ExpectString(std::string_view what) {
    if (Peek().kind != TokenKind::kString) Expected(what);
    return Take();
  }
  int64_t ExpectInt(std::string_view what, Span* span = nullptr) {
    if (Peek().kind != TokenKind::kNumber) Expected(what);
    const Token& token = Take();
    if (span != nullptr) *span = token.span;
    if (token.text.find_first_not_of("0123456789") != std::string::npos || token.text.size() > 15) {
      Fail(token.span, StrCat("expected ", what, " (a whole number below 10^15)"));
    }
    return std::stoll(token.text);
  }
  int64_t ExpectDate(std::string_view what) {
    if (Peek().kind != TokenKind::kDate) Expected(StrCat(what, " (YYYY-MM-DD)"));
    return *ParseIsoDate(Take().text);
  }
  // CUR 1,250,000.00 in the contract's currency. `-` before the code is allowed only where the
  // caller says so (penalties are written positive; the clause makes them negative).
  int64_t ExpectMoney(std::string_view what, Span* span) {
    const Token& code = Peek();
    if (code.kind != TokenKind::kIdentifier || !IsCurrencyCode(code.text)) {
      Expected(StrCat(what, " (e.g. ", currency_.empty() ? "USD" : currency_, " 1,250.00)"));
    }
    Take();
    if (currency_.empty()) Fail(code.span, "declare the contract's 'currency' before any amount");
    if (code.text != currency_) {
      Fail(code.span,
           StrCat("amounts must be in the contract currency ", currency_, ", not ", code.text));
    }
    if (Peek().kind != TokenKind::kNumber) Expected(StrCat("an amount after ", code.text));
    const Token& amount = Take();
    std::string why;
    std::optional<int64_t> minor = ParseDecimalMinor(amount.text, code.text, &why);
    if (!minor) Fail(amount.span, why);
    *span = Cover(code.span, amount.span);
    return *minor;
  }
  std::string OptionalTitle() {
    if (Peek().kind == TokenKind::kString) return Take().text;
    return "";
  }
  void Once(std::set<std::string>* seen, const Token& clause) {
    if (!seen->insert(clause.text).second) {
      Fail(clause.span, StrCat("'", clause.text, "' is given twice in this block"));
    }
  }
  FactKind ExpectFactKind(Span* span) {
    const Token& token = ExpectIdentifier("a fact kind");
    *span = token.span;
    std::optional<FactKind> kind = FactKindFromName(token.text);
    if (!kind) Fail(token.span, StrCat("unknown fact kind '", token.text, "'"));
    return *kind;
  }
  template <typename T>
  void CheckCount(const std::vector<T>& items, const Span& span) {
    if (items.size() >= kSowItemsMax) {
      Fail(span, StrCat("too many items of this kind (at most ", kSowItemsMax, ")"));
    }
  }

  // ---- header and items ----
  void ParseHeader(SowFile* file) {
    ExpectWord("contract");
    const Token& name = ExpectIdentifier("the contract's name");
    file->contract.name = name.text;
    file->contract.span = name.span;
    file->contract.title = OptionalTitle();
    ExpectWord("version");
    Span span;
    file->version = ExpectInt("a version number", &span);
    if (file->version < 1) Fail(span, "versions start at 1");
  }

  void ParseItem(SowFile* file) {
    const Token& word = Peek();
    if (word.kind != TokenKind::kIdentifier) Expected("a declaration");
    const std::string text = word.text;
    if (text == "sponsor" || text == "cro") {
      Take();
      std::string& party = text == "sponsor" ? file->sponsor : file->cro;
      if (!party.empty()) Fail(word.span, StrCat("the ", text, " is named twice"));
      party = ExpectString(StrCat("the ", text, " organisation's name")).text;
      if (party.empty()) Fail(last_, "an organisation name cannot be empty");
    } else if (text == "currency") {
      Take();
      if (!currency_.empty()) Fail(word.span, "the currency is named twice");
      const Token& code = ExpectIdentifier("a currency code");
      if (!IsCurrencyCode(code.text)) Fail(code.span, "a currency code is three capital letters");
      currency_ = file->currency = code.text;
      file->currency_span = code.span;
    } else if (text == "study") {
      Take();
      if (!file->study.empty()) Fail(word.span, "the study is named twice");
      file->study = ExpectString("the study identifier").text;
      if (file->study.empty()) Fail(last_, "the study identifier cannot be empty");
    } else if (text == "sites") {
      Take();
      do {
        file->sites.push_back(ExpectString("a site identifier").text);
        CheckCount(file->sites, last_);
      } while (AcceptPunct(","));
    } else if (text == "payment") {
      Take();
      ExpectWord("terms");
      ExpectWord("net");
      Span span;
      file->payment_terms_days = ExpectInt("a number of days", &span);
      if (file->payment_terms_days > 365) Fail(span, "payment terms are at most 365 days");
      ExpectWord("days");
    } else if (text == "parameter") {
      ParseParameter(file);
    } else if (text == "feed") {
      ParseFeed(file);
    } else if (text == "obligation") {
      ParseObligation(file);
    } else if (text == "milestone" || text == "incentive" || text == "penalty") {
      ParseMilestone(file);
    } else if (text == "unit_fee") {
      ParseUnitFee(file);
    } else if (text == "pass_through") {
      ParsePassThrough(file);
    } else if (text == "holdback") {
      ParseHoldback(file);
    } else if (text == "rule") {
      ParseRule(file);
    } else if (text == "function") {
      ParseFunction(file);
    } else {
      Fail(word.span, StrCat("unknown declaration '", text, "'"));
    }
  }

  template <typename T>
  void StartNamed(T* item, std::string_view what) {
    Take();  // the declaration keyword
    const Token& name = ExpectIdentifier(StrCat("the ", what, "'s name"));
    item->name = name.text;
    item->span = name.span;
    item->title = OptionalTitle();
  }

  SowType ParseType() {
    const Token& token = ExpectIdentifier("a type (int, bool, money, string, date)");
    static constexpr std::pair<std::string_view, SowType> kTypes[] = {{"int", SowType::kInt},
                                                                      {"bool", SowType::kBool},
                                                                      {"money", SowType::kMoney},
                                                                      {"string", SowType::kString},
                                                                      {"date", SowType::kDate}};
    for (const auto& [name, type] : kTypes) {
      if (token.text == name) return type;
    }
    Fail(token.span, StrCat("unknown type '", token.text, "'"));
  }

  void ParseParameter(SowFile* file) {
    ParameterDecl parameter;
    Take();
    const Token& name = ExpectIdentifier("the parameter's name");
    parameter.name = name.text;
    parameter.span = name.span;
    CheckCount(file->parameters, name.span);
    ExpectPunct(":");
    parameter.type = ParseType();
    ExpectPunct("=");
    parameter.default_value = ParseExpression();
    file->parameters.push_back(std::move(parameter));
  }

  void ParseFeed(SowFile* file) {
    FeedDecl feed;
    Take();
    const Token& role = ExpectString("the oracle role, e.g. \"oracle:edc\"");
    feed.role = role.text;
    feed.role_span = role.span;
    ExpectWord("of");
    const Token& party = ExpectIdentifier("'sponsor' or 'cro'");
    if (party.text != "sponsor" && party.text != "cro") Expected("'sponsor' or 'cro'");
    feed.party = party.text;
    ExpectWord("reports");
    do {
      Span span;
      feed.kinds.push_back(ExpectFactKind(&span));
      feed.kind_spans.push_back(span);
    } while (AcceptPunct(","));
    file->feeds.push_back(std::move(feed));
  }

  void ParseObligation(SowFile* file) {
    ObligationDecl obligation;
    CheckCount(file->obligations, Peek().span);
    StartNamed(&obligation, "obligation");
    ExpectPunct("{");
    std::set<std::string> seen;
    Span price_span;
    bool priced = false;
    while (!AcceptPunct("}")) {
      const Token& clause = Peek();
      if (IsWord("standalone")) {
        Once(&seen, clause);
        Take();
        ExpectWord("price");
        obligation.standalone_price_minor = ExpectMoney("a standalone selling price", &price_span);
        priced = true;
      } else if (IsWord("recognised")) {
        Once(&seen, clause);
        Take();
        if (AcceptWord("at")) {
          ExpectWord("point");
          ExpectWord("in");
          ExpectWord("time");
          obligation.recognition = RecognitionKind::kPointInTime;
        } else {
          ExpectWord("over");
          ExpectWord("time");
          ExpectWord("by");
          const Token& measure = ExpectIdentifier("cost_to_cost, units or milestones");
          if (measure.text == "cost_to_cost") {
            obligation.recognition = RecognitionKind::kCostToCost;
          } else if (measure.text == "units") {
            obligation.recognition = RecognitionKind::kUnits;
          } else if (measure.text == "milestones") {
            obligation.recognition = RecognitionKind::kMilestones;
          } else {
            Fail(measure.span, "a measure of progress is cost_to_cost, units or milestones");
          }
        }
      } else {
        Expected("'standalone price', 'recognised' or '}'");
      }
    }
    if (!priced) Fail(obligation.span, "an obligation needs a 'standalone price'");
    if (!obligation.recognition) Fail(obligation.span, "an obligation needs 'recognised ...'");
    file->obligations.push_back(std::move(obligation));
  }

  void ParseFor(std::set<std::string>* seen, std::string* obligation, Span* span) {
    Once(seen, Peek());
    Take();
    const Token& name = ExpectIdentifier("an obligation's name");
    *obligation = name.text;
    *span = name.span;
  }

  void ParseMilestone(SowFile* file) {
    MilestoneDecl milestone;
    const std::string keyword = Peek().text;
    CheckCount(file->milestones, Peek().span);
    StartNamed(&milestone, keyword);
    milestone.kind = keyword == "milestone"   ? MilestoneKindDecl::kFixedFee
                     : keyword == "incentive" ? MilestoneKindDecl::kIncentive
                                              : MilestoneKindDecl::kPenalty;
    const bool variable = milestone.kind != MilestoneKindDecl::kFixedFee;
    ExpectPunct("{");
    std::set<std::string> seen;
    while (!AcceptPunct("}")) {
      const Token& clause = Peek();
      if (IsWord("when")) {
        Once(&seen, clause);
        Take();
        milestone.when = ParseExpression();
      } else if (IsWord("pays")) {
        Once(&seen, clause);
        Take();
        const int64_t minor = ExpectMoney("an amount", &milestone.amount_span);
        milestone.amount_minor = milestone.kind == MilestoneKindDecl::kPenalty ? -minor : minor;
      } else if (IsWord("for")) {
        ParseFor(&seen, &milestone.obligation, &milestone.obligation_span);
      } else if (IsWord("confirmed")) {
        Once(&seen, clause);
        milestone.confirmed = true;
        milestone.confirmed_span = Take().span;
      } else if (variable && IsWord("by")) {
        Once(&seen, clause);
        Take();
        milestone.deadline_ms = ExpectDate("a deadline");
      } else if (variable && IsWord("estimate")) {
        Once(&seen, clause);
        Take();
        const Token& method = ExpectIdentifier("most_likely_amount or expected_value");
        if (method.text != "most_likely_amount" && method.text != "expected_value") {
          Fail(method.span, "an estimate is most_likely_amount or expected_value");
        }
        milestone.estimate = method.text;
      } else if (variable && IsWord("constrained")) {
        Once(&seen, clause);
        Take();
        ExpectWord("until");
        milestone.constraint = ParseExpression();
      } else {
        Expected(variable
                     ? "'when', 'pays', 'by', 'estimate', 'constrained', 'confirmed', 'for' or '}'"
                     : "'when', 'pays', 'confirmed', 'for' or '}'");
      }
    }
    if (!milestone.when) Fail(milestone.span, StrCat("a ", keyword, " needs 'when'"));
    if (!milestone.amount_minor) Fail(milestone.span, StrCat("a ", keyword, " needs 'pays'"));
    if (variable && milestone.estimate.empty()) milestone.estimate = "most_likely_amount";
    file->milestones.push_back(std::move(milestone));
  }

  void ParseUnitFee(SowFile* file) {
    UnitFeeDecl fee;
    CheckCount(file->unit_fees, Peek().span);
    StartNamed(&fee, "unit fee");
    ExpectPunct("{");
    std::set<std::string> seen;
    while (!AcceptPunct("}")) {
      const Token& clause = Peek();
      if (IsWord("per")) {
        Once(&seen, clause);
        Take();
        const Token& counter =
            ExpectIdentifier("what is counted, e.g. enrolled or visit \"WEEK4\"");
        fee.counter_span = counter.span;
        if (counter.text == "visit" && Peek().kind == TokenKind::kString) {
          const Token& type = Take();
          if (type.text.empty() || type.text.size() > kFactFieldBytesMax) {
            Fail(type.span, "a visit type is 1 to 64 characters");
          }
          fee.counter = StrCat("visit/", type.text);
          fee.counter_span = Cover(counter.span, type.span);
        } else {
          fee.counter = counter.text;
        }
      } else if (IsWord("rate")) {
        Once(&seen, clause);
        Take();
        Span span;
        fee.rate_minor = ExpectMoney("a rate per unit", &span);
        if (*fee.rate_minor <= 0) Fail(span, "a rate must be positive");
      } else if (IsWord("cap")) {
        Once(&seen, clause);
        Take();
        if (Peek().kind == TokenKind::kNumber) {
          fee.cap_units = ExpectInt("a number of units", &fee.cap_span);
          if (fee.cap_units < 1) Fail(fee.cap_span, "a cap must be at least 1 unit");
          ExpectWord("units");
        } else {
          fee.cap_minor = ExpectMoney("a cap", &fee.cap_span);
        }
      } else if (IsWord("for")) {
        ParseFor(&seen, &fee.obligation, &fee.obligation_span);
      } else {
        Expected("'per', 'rate', 'cap', 'for' or '}'");
      }
    }
    if (fee.counter.empty()) Fail(fee.span, "a unit fee needs 'per'");
    if (!fee.rate_minor) Fail(fee.span, "a unit fee needs 'rate'");
    file->unit_fees.push_back(std::move(fee));
  }

  void ParsePassThrough(SowFile* file) {
    PassThroughDecl pass;
    CheckCount(file->pass_throughs, Peek().span);
    StartNamed(&pass, "pass-through");
    ExpectPunct("{");
    std::set<std::string> seen;
    while (!AcceptPunct("}")) {
      const Token& clause = Peek();
      if (IsWord("budget")) {
        Once(&seen, clause);
        Take();
        Span span;
        pass.budget_minor = ExpectMoney("a budget", &span);
        if (*pass.budget_minor <= 0) Fail(span, "a budget must be positive");
      } else if (IsWord("costs")) {
        Once(&seen, clause);
        Take();
        do {
          const Token& category = ExpectString("a cost category");
          if (category.text.empty() || category.text.size() > kFactFieldBytesMax) {
            Fail(category.span, "a cost category is 1 to 64 characters");
          }
          pass.categories.push_back(category.text);
          pass.category_spans.push_back(category.span);
          CheckCount(pass.categories, category.span);
        } while (AcceptPunct(","));
      } else if (IsWord("principal") || IsWord("agent")) {
        if (pass.principal) Fail(clause.span, "say 'principal' or 'agent' once");
        pass.principal = Take().text == "principal";
      } else if (IsWord("for")) {
        ParseFor(&seen, &pass.obligation, &pass.obligation_span);
      } else {
        Expected("'budget', 'costs', 'principal', 'agent', 'for' or '}'");
      }
    }
    if (!pass.budget_minor) Fail(pass.span, "a pass-through needs a 'budget'");
    if (pass.categories.empty()) Fail(pass.span, "a pass-through needs 'costs' (its categories)");
    if (!pass.principal) Fail(pass.span, "a pass-through needs 'principal' or 'agent'");
    file->pass_throughs.push_back(std::move(pass));
  }

  void ParseHoldback(SowFile* file) {
    HoldbackDecl holdback;
    CheckCount(file->holdbacks, Peek().span);
    StartNamed(&holdback, "holdback");
    ExpectPunct("{");
    std::set<std::string> seen;
    while (!AcceptPunct("}")) {
      const Token& clause = Peek();
      if (IsWord("withhold")) {
        Once(&seen, clause);
        Take();
        holdback.percent = ExpectInt("a percentage", &holdback.percent_span);
        if (!AcceptPunct("%")) ExpectWord("percent");
        if (holdback.percent < 1 || holdback.percent > 100) {
          Fail(holdback.percent_span, "a holdback is 1 to 100 percent");
        }
        ExpectWord("of");
        do {
          const Token& what = ExpectIdentifier("milestones or unit_fees");
          if (what.text == "milestones") {
            holdback.of_milestones = true;
          } else if (what.text == "unit_fees") {
            holdback.of_unit_fees = true;
          } else {
            Fail(what.span, "a holdback applies to milestones or unit_fees");
          }
        } while (AcceptWord("and"));
      } else if (IsWord("released")) {
        Once(&seen, clause);
        Take();
        ExpectWord("by");
        const Token& milestone = ExpectIdentifier("the releasing milestone's name");
        holdback.released_by = milestone.text;
        holdback.released_span = milestone.span;
      } else {
        Expected("'withhold', 'released by' or '}'");
      }
    }
    if (holdback.percent == 0) Fail(holdback.span, "a holdback needs 'withhold N percent of ...'");
    if (holdback.released_by.empty()) Fail(holdback.span, "a holdback needs 'released by'");
    file->holdbacks.push_back(std::move(holdback));
  }

  void ParseRule(SowFile* file) {
    RuleDecl rule;
    CheckCount(file->rules, Peek().span);
    StartNamed(&rule, "rule");
    ExpectPunct("{");
    ExpectWord("on");
    do {
      Span span;
      rule.kinds.push_back(ExpectFactKind(&span));
    } while (AcceptPunct(","));
    while (!AcceptPunct("}")) {
      ExpectWord("require");
      Requirement requirement;
      requirement.condition = ParseExpression();
      if (AcceptWord("else")) {
        if (IsWord("hold")) {
          requirement.hold = true;
          requirement.hold_span = Take().span;
        } else {
          requirement.message = ExpectString("a message or 'hold'").text;
        }
      }
      rule.requirements.push_back(std::move(requirement));
      CheckCount(rule.requirements, last_);
    }
    if (rule.requirements.empty()) Fail(rule.span, "a rule needs at least one 'require'");
    file->rules.push_back(std::move(rule));
  }

  // ---- functions ----
  void ParseFunction(SowFile* file) {
    FunctionDecl function;
    CheckCount(file->functions, Peek().span);
    Take();
    const Token& name = ExpectIdentifier("the function's name");
    function.name = name.text;
    function.span = name.span;
    ExpectPunct("(");
    if (!AcceptPunct(")")) {
      do {
        Param param;
        const Token& pname = ExpectIdentifier("a parameter name");
        param.name = pname.text;
        param.span = pname.span;
        ExpectPunct(":");
        param.type = ParseType();
        function.params.push_back(param);
        CheckCount(function.params, pname.span);
      } while (AcceptPunct(","));
      ExpectPunct(")");
    }
    ExpectPunct("->");
    function.result = ParseType();
    function.body = ParseBlock(0);
    if (function.body.empty() || function.body.back().kind != Stmt::Kind::kReturn) {
      Fail(last_, "a function must end with 'return'");
    }
    file->functions.push_back(std::move(function));
  }

  std::vector<Stmt> ParseBlock(size_t depth) {
    if (depth > kExpressionDepthMax) Fail(Peek().span, "blocks are nested too deeply");
    ExpectPunct("{");
    std::vector<Stmt> body;
    while (!AcceptPunct("}"))
      body.push_back(ParseStatement(depth));
    return body;
  }

  Stmt ParseStatement(size_t depth) {
    Stmt stmt;
    stmt.span = Peek().span;
    if (AcceptWord("let")) {
      stmt.kind = Stmt::Kind::kLet;
      const Token& name = ExpectIdentifier("a variable name");
      stmt.name = name.text;
      stmt.span = name.span;
      ExpectPunct("=");
      stmt.value = ParseExpression();
    } else if (AcceptWord("return")) {
      stmt.kind = Stmt::Kind::kReturn;
      stmt.value = ParseExpression();
    } else if (AcceptWord("if")) {
      stmt.kind = Stmt::Kind::kIf;
      stmt.value = ParseExpression();
      stmt.body = ParseBlock(depth + 1);
      if (AcceptWord("else")) {
        if (IsWord("if")) {
          stmt.else_body.push_back(ParseStatement(depth + 1));
        } else {
          stmt.else_body = ParseBlock(depth + 1);
        }
      }
    } else if (AcceptWord("for")) {
      stmt.kind = Stmt::Kind::kFor;
      const Token& name = ExpectIdentifier("a loop variable");
      stmt.name = name.text;
      stmt.span = name.span;
      ExpectWord("in");
      Span from_span, to_span;
      stmt.from = ExpectInt("the first value (a whole number)", &from_span);
      ExpectPunct("..");
      stmt.to = ExpectInt("the end value (a whole number)", &to_span);
      if (stmt.to < stmt.from || stmt.to - stmt.from > kLoopIterationsMax) {
        Fail(Cover(from_span, to_span), StrCat("a loop runs 0 to ", kLoopIterationsMax, " times"));
      }
      stmt.body = ParseBlock(depth + 1);
    } else if (Peek().kind == TokenKind::kIdentifier && Peek(1).kind == TokenKind::kPunct &&
               Peek(1).text == "=") {
      stmt.kind = Stmt::Kind::kAssign;
      const Token& name = Take();
      stmt.name = name.text;
      stmt.span = name.span;
      Take();
      stmt.value = ParseExpression();
    } else {
      Expected("a statement (let, if, for, return or an assignment)");
    }
    return stmt;
  }

  // ---- expressions ----
  std::unique_ptr<Expr> ParseExpression() {
    depth_ = 0;
    nodes_ = 0;
    return ParseOr();
  }

  std::unique_ptr<Expr> Binary(std::unique_ptr<Expr> left, const Token& op,
                               std::unique_ptr<Expr> right) {
    if (++nodes_ > kExpressionOperatorsMax) {
      Fail(op.span, StrCat("the expression has more than ", kExpressionOperatorsMax,
                           " operators; split it into a function"));
    }
    auto expr = std::make_unique<Expr>();
    expr->kind = Expr::Kind::kBinary;
    expr->text = op.text;
    expr->op_span = op.span;
    expr->span = Cover(left->span, right->span);
    expr->args.push_back(std::move(left));
    expr->args.push_back(std::move(right));
    return expr;
  }

  std::unique_ptr<Expr> ParseOr() {
    auto left = ParseAnd();
    while (IsWord("or")) {
      const Token& op = Take();
      left = Binary(std::move(left), op, ParseAnd());
    }
    return left;
  }

  std::unique_ptr<Expr> ParseAnd() {
    auto left = ParseNot();
    while (IsWord("and")) {
      const Token& op = Take();
      left = Binary(std::move(left), op, ParseNot());
    }
    return left;
  }

  std::unique_ptr<Expr> Nested() {
    if (++depth_ > kExpressionDepthMax) Fail(Peek().span, "the expression is nested too deeply");
    return nullptr;
  }

  std::unique_ptr<Expr> ParseNot() {
    if (IsWord("not")) {
      Nested();
      const Token& op = Take();
      auto expr = std::make_unique<Expr>();
      expr->kind = Expr::Kind::kUnary;
      expr->text = "not";
      expr->op_span = op.span;
      expr->args.push_back(ParseNot());
      expr->span = Cover(op.span, expr->args[0]->span);
      --depth_;
      return expr;
    }
    return ParseComparison();
  }

  std::unique_ptr<Expr> ParseComparison() {
    auto left = ParseAdditive();
    static constexpr std::string_view kOps[] = {"==", "!=", "<", "<=", ">", ">="};
    for (std::string_view op : kOps) {
      if (IsPunct(op)) {
        const Token& token = Take();
        auto expr = Binary(std::move(left), token, ParseAdditive());
        for (std::string_view again : kOps) {
          if (IsPunct(again)) Fail(Peek().span, "comparisons do not chain; use 'and'");
        }
        return expr;
      }
    }
    return left;
  }

  std::unique_ptr<Expr> ParseAdditive() {
    auto left = ParseMultiplicative();
    while (IsPunct("+") || IsPunct("-")) {
      const Token& op = Take();
      left = Binary(std::move(left), op, ParseMultiplicative());
    }
    return left;
  }

  std::unique_ptr<Expr> ParseMultiplicative() {
    auto left = ParseUnary();
    while (IsPunct("*") || IsPunct("/")) {
      const Token& op = Take();
      left = Binary(std::move(left), op, ParseUnary());
    }
    return left;
  }

  std::unique_ptr<Expr> ParseUnary() {
    if (IsPunct("-")) {
      Nested();
      const Token& op = Take();
      auto expr = std::make_unique<Expr>();
      expr->kind = Expr::Kind::kUnary;
      expr->text = "-";
      expr->op_span = op.span;
      expr->args.push_back(ParseUnary());
      expr->span = Cover(op.span, expr->args[0]->span);
      --depth_;
      return expr;
    }
    return ParsePrimary();
  }

  std::unique_ptr<Expr> ParsePrimary() {
    const Token& token = Peek();
    auto expr = std::make_unique<Expr>();
    expr->span = token.span;
    switch (token.kind) {
      case TokenKind::kNumber:
        expr->kind = Expr::Kind::kInt;
        expr->number = ExpectInt("a whole number");
        return expr;
      case TokenKind::kDate:
        expr->kind = Expr::Kind::kDate;
        expr->number = ExpectDate("a date");
        return expr;
      case TokenKind::kString:
        expr->kind = Expr::Kind::kString;
        expr->text = Take().text;
        return expr;
      case TokenKind::kPunct:
        if (token.text == "(") {
          Nested();
          Take();
          auto inner = ParseOr();
          ExpectPunct(")");
          --depth_;
          return inner;
        }
        Expected("a value");
      case TokenKind::kEnd:
        Expected("a value");
      case TokenKind::kIdentifier:
        break;
    }
    if (token.text == "true" || token.text == "false") {
      expr->kind = Expr::Kind::kBool;
      expr->number = Take().text == "true";
      return expr;
    }
    if (IsCurrencyCode(token.text) && Peek(1).kind == TokenKind::kNumber) {
      expr->kind = Expr::Kind::kMoney;
      expr->text = token.text;
      expr->number = ExpectMoney("an amount", &expr->span);
      return expr;
    }
    const Token& name = Take();
    expr->text = name.text;
    expr->op_span = name.span;
    if (name.text == "fact" && AcceptPunct(".")) {
      const Token& field = ExpectIdentifier("a fact field");
      expr->kind = Expr::Kind::kFactField;
      expr->text = field.text;
      expr->op_span = field.span;
      expr->span = Cover(name.span, field.span);
      return expr;
    }
    if (AcceptPunct("(")) {
      Nested();
      expr->kind = Expr::Kind::kCall;
      if (!AcceptPunct(")")) {
        do {
          expr->args.push_back(ParseOr());
        } while (AcceptPunct(","));
        ExpectPunct(")");
      }
      expr->span = Cover(name.span, last_);
      --depth_;
      return expr;
    }
    expr->kind = Expr::Kind::kName;
    return expr;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  Span last_;
  std::string currency_;
  size_t depth_ = 0;
  size_t nodes_ = 0;
};

}  // namespace

SowFile Parse(std::string_view source) {
  if (source.size() > kSowSourceBytesMax) {
    throw CompileError{Span{}, StrCat("the file is larger than ", kSowSourceBytesMax, " bytes")};
  }
  return Parser(source).File();
}

}  // namespace tl::contracts
