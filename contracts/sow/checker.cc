#include "trialledger/contracts/sow.h"

#include "trialledger/contracts/abi.h"

#include <algorithm>
#include <map>
#include <set>

#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/limits.h"
#include "trialledger/sdk/roles.h"

namespace tl::contracts {

std::string_view SowTypeName(SowType type) {
  switch (type) {
    case SowType::kBool:
      return "bool";
    case SowType::kInt:
      return "int";
    case SowType::kMoney:
      return "money";
    case SowType::kString:
      return "string";
    case SowType::kDate:
      return "date";
    case SowType::kError:
      break;
  }
  return "error";
}

namespace {

enum class Context { kLiteral, kCondition, kRule, kFunction };

// Built-in functions: name, argument types, result, and whether they read contract state.
struct Builtin {
  std::string_view name;
  std::vector<SowType> args;
  SowType result;
  bool reads_state;
};

const std::vector<Builtin>& Builtins() {
  static const std::vector<Builtin> kBuiltins = {
      {"length", {SowType::kString}, SowType::kInt, false},
      {"min", {SowType::kInt, SowType::kInt}, SowType::kInt, false},
      {"max", {SowType::kInt, SowType::kInt}, SowType::kInt, false},
      {"days_between", {SowType::kDate, SowType::kDate}, SowType::kInt, false},
      {"visits_of", {SowType::kString}, SowType::kInt, true},
      {"site_active", {SowType::kString}, SowType::kBool, true},
      {"subject_enrolled", {SowType::kString}, SowType::kBool, true},
      {"achieved", {SowType::kError}, SowType::kBool, true},  // takes a milestone's name
  };
  return kBuiltins;
}

class Checker {
 public:
  explicit Checker(SowFile* file) : file_(*file) {}

  void Run() {
    CheckHeader();
    for (ParameterDecl& parameter : file_.parameters)
      CheckParameter(parameter);
    for (size_t i = 0; i < file_.functions.size(); ++i)
      CheckFunction(i);
    CheckFeeds();
    for (const ObligationDecl& obligation : file_.obligations)
      Declare(obligation, "an obligation");
    for (const MilestoneDecl& milestone : file_.milestones)
      Declare(milestone, "a milestone");
    for (MilestoneDecl& milestone : file_.milestones)
      CheckMilestone(milestone);
    for (UnitFeeDecl& fee : file_.unit_fees)
      CheckUnitFee(fee);
    CheckPassThroughs();
    for (HoldbackDecl& holdback : file_.holdbacks)
      CheckHoldback(holdback);
    for (RuleDecl& rule : file_.rules)
      CheckRule(rule);
    CheckCostToCost();
  }

 private:
  [[noreturn]] void Fail(const Span& span, std::string message) const {
    throw CompileError{span, std::move(message)};
  }

  void Declare(const Named& item, std::string_view what) {
    if (item.name.size() > kItemNameBytesMax) {
      Fail(item.span, StrCat("names are at most ", kItemNameBytesMax, " characters"));
    }
    auto [it, inserted] = names_.emplace(item.name, std::string(what));
    if (!inserted) {
      Fail(item.span, StrCat("'", item.name, "' is already the name of ", it->second));
    }
    if (FindStateName(item.name)) {
      Fail(item.span, StrCat("'", item.name, "' is the name of built-in contract state"));
    }
  }

  void CheckHeader() {
    const Span& at = file_.contract.span;
    Declare(file_.contract, "the contract");
    if (file_.sponsor.empty()) Fail(at, "the contract needs a 'sponsor \"org\"' line");
    if (file_.cro.empty()) Fail(at, "the contract needs a 'cro \"org\"' line");
    if (file_.sponsor == file_.cro) Fail(at, "the sponsor and the CRO must be different");
    if (file_.currency.empty()) Fail(at, "the contract needs a 'currency' line");
    if (file_.study.empty()) Fail(at, "the contract needs a 'study \"ID\"' line");
    std::set<std::string> sites;
    for (const std::string& site : file_.sites) {
      if (site.empty() || site.size() > kFactFieldBytesMax || !sites.insert(site).second) {
        Fail(at, StrCat("site '", site, "' is empty, too long or listed twice"));
      }
    }
    for (const std::string* org : {&file_.sponsor, &file_.cro, &file_.study}) {
      if (org->size() > kFactFieldBytesMax) Fail(at, "names and identifiers are at most 64 bytes");
    }
  }

  void CheckParameter(ParameterDecl& parameter) {
    Declare(parameter, "a parameter");
    Expr& value = *parameter.default_value;
    const SowType type = Type(value, Context::kLiteral, nullptr);
    if (type != parameter.type) {
      Fail(value.span, StrCat("the default is ", SowTypeName(type), " but '", parameter.name,
                              "' is ", SowTypeName(parameter.type)));
    }
  }

  void CheckFeeds() {
    std::map<FactKind, Span> bound;
    for (const FeedDecl& feed : file_.feeds) {
      // Only members holding an oracle role may submit facts (node/ledger/contract_payloads.cc):
      // a feed bound to any other role could never report.
      // Clinops may report only confirmations: its members confirm, they do not measure.
      const bool oracle = feed.role.starts_with("oracle:") && roles::IsKnown(feed.role);
      if (feed.role == roles::kClinops) {
        for (size_t i = 0; i < feed.kinds.size(); ++i) {
          if (feed.kinds[i] != FactKind::kMilestoneConfirmed) {
            Fail(feed.kind_spans[i],
                 StrCat("a clinops feed reports milestone_confirmed only, not ",
                        FactKindName(feed.kinds[i]), " (bind it to an oracle role)"));
          }
        }
      } else if (!oracle) {
        Fail(feed.role_span, StrCat("'", feed.role, "' is not an oracle role of the network (",
                                    "oracle:edc, oracle:ctms or oracle:cost) nor clinops"));
      }
      for (size_t i = 0; i < feed.kinds.size(); ++i) {
        if (feed.kinds[i] == FactKind::kRetracted) {
          Fail(feed.kind_spans[i],
               "retractions are checked against the feed of the fact they retract; do not bind "
               "them");
        }
        if (!bound.emplace(feed.kinds[i], feed.kind_spans[i]).second) {
          Fail(feed.kind_spans[i],
               StrCat("'", FactKindName(feed.kinds[i]), "' is already bound to a feed"));
        }
      }
    }
  }

  const ObligationDecl* FindObligation(const std::string& name, const Span& span) {
    if (name.empty()) return nullptr;
    for (const ObligationDecl& obligation : file_.obligations) {
      if (obligation.name == name) return &obligation;
    }
    Fail(span, StrCat("unknown obligation '", name, "'"));
  }

  void CheckMilestone(MilestoneDecl& milestone) {
    FindObligation(milestone.obligation, milestone.obligation_span);
    if (*milestone.amount_minor == 0) Fail(milestone.amount_span, "the amount cannot be zero");
    current_evidence_ = &milestone.evidence_counters;
    ExpectType(*milestone.when, SowType::kBool, Context::kCondition, nullptr);
    current_evidence_ = nullptr;
    if (milestone.confirmed) {
      bool bound = false;
      for (const FeedDecl& feed : file_.feeds) {
        for (FactKind kind : feed.kinds)
          bound = bound || kind == FactKind::kMilestoneConfirmed;
      }
      if (!bound) {
        Fail(milestone.confirmed_span,
             "a confirmed milestone needs a feed that reports milestone_confirmed (e.g. feed "
             "\"clinops\" of sponsor reports milestone_confirmed)");
      }
      milestone.evidence_counters.push_back(abi::ConfirmedCounter(milestone.name));
    }
    if (milestone.constraint) {
      ExpectType(*milestone.constraint, SowType::kBool, Context::kCondition, nullptr);
    }
  }

  void CheckUnitFee(UnitFeeDecl& fee) {
    Declare(fee, "a unit fee");
    FindObligation(fee.obligation, fee.obligation_span);
    if (!fee.counter.starts_with("visit/")) {
      std::optional<StateName> state = FindStateName(fee.counter);
      if (!state || state->ref != NameRef::kCounter) {
        Fail(fee.counter_span,
             StrCat("'", fee.counter, "' is not a count a unit fee can be paid per"));
      }
    }
    if (fee.cap_minor) {
      fee.cap_units = *fee.cap_minor / *fee.rate_minor;  // whole units only: rounded down
      if (fee.cap_units < 1) Fail(fee.cap_span, "the cap is below one unit's rate");
    }
  }

  void CheckPassThroughs() {
    std::set<std::string> categories;
    for (const PassThroughDecl& pass : file_.pass_throughs) {
      Declare(pass, "a pass-through");
      FindObligation(pass.obligation, pass.obligation_span);
      for (size_t i = 0; i < pass.categories.size(); ++i) {
        if (!categories.insert(pass.categories[i]).second) {
          Fail(pass.category_spans[i], StrCat("cost category \"", pass.categories[i],
                                              "\" already belongs to a pass-through"));
        }
      }
    }
  }

  void CheckHoldback(HoldbackDecl& holdback) {
    Declare(holdback, "a holdback");
    for (const MilestoneDecl& milestone : file_.milestones) {
      if (milestone.name != holdback.released_by) continue;
      if (milestone.kind != MilestoneKindDecl::kFixedFee) {
        Fail(holdback.released_span, "a holdback is released by a fixed-fee milestone");
      }
      return;
    }
    Fail(holdback.released_span, StrCat("unknown milestone '", holdback.released_by, "'"));
  }

  void CheckRule(RuleDecl& rule) {
    Declare(rule, "a rule");
    for (Requirement& requirement : rule.requirements) {
      ExpectType(*requirement.condition, SowType::kBool, Context::kRule, nullptr);
      if (requirement.hold) CheckHold(rule, requirement);
    }
  }

  // A fact can wait only for its site's activation: anything else could wait forever, and the
  // generated code releases held facts when a site_activated fact applies.
  void CheckHold(const RuleDecl& rule, const Requirement& requirement) {
    const Expr& condition = *requirement.condition;
    const bool site_active = condition.kind == Expr::Kind::kCall &&
                             condition.text == "site_active" && condition.args.size() == 1 &&
                             condition.args[0]->kind == Expr::Kind::kFactField &&
                             condition.args[0]->text == "site";
    if (!site_active) {
      Fail(requirement.hold_span,
           "'else hold' waits for a site's activation: it needs 'require site_active(fact.site)'");
    }
    for (FactKind kind : rule.kinds) {
      if (!FactHasSubject(kind)) {
        Fail(rule.span, StrCat("'else hold' holds subject and visit facts; ", FactKindName(kind),
                               " facts cannot wait for a site's activation"));
      }
    }
    const bool activations_reported =
        std::any_of(file_.feeds.begin(), file_.feeds.end(), [](const FeedDecl& feed) {
          return std::find(feed.kinds.begin(), feed.kinds.end(), FactKind::kSiteActivated) !=
                 feed.kinds.end();
        });
    if (!activations_reported) {
      Fail(requirement.hold_span,
           "'else hold' needs a feed that reports site_activated, or held facts would wait "
           "forever");
    }
  }

  // One obligation measured by service costs over the estimate at completion; the others that
  // use cost-to-cost are measured by their pass-through's spend over its budget.
  void CheckCostToCost() {
    int service_measures = 0;
    for (const ObligationDecl& obligation : file_.obligations) {
      if (obligation.recognition != RecognitionKind::kCostToCost) continue;
      const bool pass_through = std::any_of(
          file_.pass_throughs.begin(), file_.pass_throughs.end(),
          [&](const PassThroughDecl& pass) { return pass.obligation == obligation.name; });
      if (!pass_through && ++service_measures > 1) {
        Fail(obligation.span,
             "only one obligation can be measured by service costs over the estimate at "
             "completion; tie the others to a pass-through");
      }
    }
  }

  // ---- functions ----
  struct Scope {
    FunctionDecl* function;
    std::map<std::string, int> slots;
    std::set<int> loop_slots;
  };

  void CheckFunction(size_t index) {
    FunctionDecl& function = file_.functions[index];
    Named named{function.name, "", function.span};
    Declare(named, "a function");
    for (const Builtin& builtin : Builtins()) {
      if (builtin.name == function.name) {
        Fail(function.span, StrCat("'", function.name, "' is a built-in function"));
      }
    }
    Scope scope{&function, {}, {}};
    for (const Param& param : function.params)
      AddSlot(&scope, param.name, param.type, param.span);
    CheckBlock(&scope, function.body);
    checked_functions_ = index + 1;
  }

  int AddSlot(Scope* scope, const std::string& name, SowType type, const Span& span) {
    if (scope->slots.count(name) != 0) {
      Fail(span, StrCat("'", name, "' is already defined in this function"));
    }
    if (scope->function->slot_types.size() >= 200) Fail(span, "too many variables in a function");
    const int slot = static_cast<int>(scope->function->slot_types.size());
    scope->function->slot_types.push_back(type);
    scope->slots[name] = slot;
    return slot;
  }

  void CheckBlock(Scope* scope, std::vector<Stmt>& body) {
    for (Stmt& stmt : body) {
      switch (stmt.kind) {
        case Stmt::Kind::kLet: {
          const SowType type = Type(*stmt.value, Context::kFunction, scope);
          stmt.slot = AddSlot(scope, stmt.name, type, stmt.span);
          break;
        }
        case Stmt::Kind::kAssign: {
          auto it = scope->slots.find(stmt.name);
          if (it == scope->slots.end()) {
            Fail(stmt.span, StrCat("unknown variable '", stmt.name, "'; declare it with let"));
          }
          if (scope->loop_slots.count(it->second) != 0) {
            Fail(stmt.span, "a loop variable cannot be assigned");
          }
          stmt.slot = it->second;
          ExpectType(*stmt.value, scope->function->slot_types[stmt.slot], Context::kFunction,
                     scope);
          break;
        }
        case Stmt::Kind::kIf:
          ExpectType(*stmt.value, SowType::kBool, Context::kFunction, scope);
          CheckBlock(scope, stmt.body);
          CheckBlock(scope, stmt.else_body);
          break;
        case Stmt::Kind::kFor:
          stmt.slot = AddSlot(scope, stmt.name, SowType::kInt, stmt.span);
          scope->loop_slots.insert(stmt.slot);
          CheckBlock(scope, stmt.body);
          break;
        case Stmt::Kind::kReturn:
          ExpectType(*stmt.value, scope->function->result, Context::kFunction, scope);
          break;
      }
    }
  }

  // ---- expressions ----
  void ExpectType(Expr& expr, SowType want, Context context, Scope* scope) {
    const SowType got = Type(expr, context, scope);
    if (got != want) {
      Fail(expr.span, StrCat("expected ", SowTypeName(want), ", this is ", SowTypeName(got)));
    }
  }

  void NoteEvidence(const std::string& key) {
    if (current_evidence_ == nullptr) return;
    if (std::find(current_evidence_->begin(), current_evidence_->end(), key) ==
        current_evidence_->end()) {
      current_evidence_->push_back(key);
    }
  }

  SowType Type(Expr& expr, Context context, Scope* scope) {
    expr.type = Infer(expr, context, scope);
    return expr.type;
  }

  SowType Infer(Expr& expr, Context context, Scope* scope) {
    switch (expr.kind) {
      case Expr::Kind::kBool:
        return SowType::kBool;
      case Expr::Kind::kInt:
        return SowType::kInt;
      case Expr::Kind::kMoney:
        return SowType::kMoney;
      case Expr::Kind::kString:
        if (expr.text.size() > kFactFieldBytesMax * 4) Fail(expr.span, "text is too long");
        return SowType::kString;
      case Expr::Kind::kDate:
        return SowType::kDate;
      case Expr::Kind::kName:
        return InferName(expr, context, scope);
      case Expr::Kind::kFactField: {
        if (context != Context::kRule) {
          Fail(expr.span, "'fact' is only available inside a rule");
        }
        std::optional<SowType> type = FactFieldType(expr.text);
        if (!type) Fail(expr.op_span, StrCat("facts have no field '", expr.text, "'"));
        return *type;
      }
      case Expr::Kind::kCall:
        return InferCall(expr, context, scope);
      case Expr::Kind::kUnary: {
        const SowType operand = Type(*expr.args[0], context, scope);
        if (expr.text == "not") {
          if (operand != SowType::kBool) Fail(expr.op_span, "'not' needs a bool");
          return SowType::kBool;
        }
        if (operand != SowType::kInt && operand != SowType::kMoney) {
          Fail(expr.op_span, "'-' needs an int or money");
        }
        return operand;
      }
      case Expr::Kind::kBinary:
        return InferBinary(expr, context, scope);
    }
    return SowType::kError;
  }

  SowType InferName(Expr& expr, Context context, Scope* scope) {
    if (scope != nullptr) {
      auto it = scope->slots.find(expr.text);
      if (it != scope->slots.end()) {
        expr.ref = NameRef::kLocal;
        expr.index = it->second;
        return scope->function->slot_types[it->second];
      }
    }
    if (context == Context::kLiteral) Fail(expr.span, "a default must be a literal value");
    if (context == Context::kFunction) {
      Fail(expr.span, StrCat("unknown name '", expr.text,
                             "' (functions see only their parameters and variables)"));
    }
    if (std::optional<StateName> state = FindStateName(expr.text)) {
      expr.ref = state->ref;
      expr.key = std::string(state->name);
      NoteEvidence(expr.key);
      return state->ref == NameRef::kCounter ? SowType::kInt
             : state->ref == NameRef::kFlag  ? SowType::kBool
                                             : SowType::kMoney;
    }
    for (size_t i = 0; i < file_.parameters.size(); ++i) {
      if (file_.parameters[i].name == expr.text) {
        expr.ref = NameRef::kParameter;
        expr.index = static_cast<int>(i);
        return file_.parameters[i].type;
      }
    }
    Fail(expr.span, StrCat("unknown name '", expr.text, "'"));
  }

  SowType InferCall(Expr& expr, Context context, Scope* scope) {
    if (context == Context::kLiteral) Fail(expr.span, "a default must be a literal value");
    for (size_t i = 0; i < checked_functions_; ++i) {
      FunctionDecl& function = file_.functions[i];
      if (function.name != expr.text) continue;
      if (expr.args.size() != function.params.size()) {
        Fail(expr.op_span, StrCat("'", expr.text, "' takes ", function.params.size(),
                                  " arguments, not ", expr.args.size()));
      }
      for (size_t a = 0; a < expr.args.size(); ++a) {
        ExpectType(*expr.args[a], function.params[a].type, context, scope);
      }
      expr.index = static_cast<int>(i);
      return function.result;
    }
    for (const Builtin& builtin : Builtins()) {
      if (builtin.name != expr.text) continue;
      if (builtin.reads_state && context == Context::kFunction) {
        Fail(expr.op_span,
             StrCat("'", expr.text, "' reads contract state, which functions cannot"));
      }
      if (expr.args.size() != builtin.args.size()) {
        Fail(expr.op_span, StrCat("'", expr.text, "' takes ", builtin.args.size(),
                                  " arguments, not ", expr.args.size()));
      }
      if (builtin.name == "achieved") {
        Expr& name = *expr.args[0];
        const bool known = name.kind == Expr::Kind::kName &&
                           std::any_of(file_.milestones.begin(), file_.milestones.end(),
                                       [&](const MilestoneDecl& m) { return m.name == name.text; });
        if (!known) Fail(name.span, "'achieved' takes the name of a milestone");
        name.type = SowType::kBool;
        return SowType::kBool;
      }
      for (size_t a = 0; a < expr.args.size(); ++a) {
        ExpectType(*expr.args[a], builtin.args[a], context, scope);
      }
      if (builtin.name == "visits_of" && expr.args[0]->kind == Expr::Kind::kString) {
        NoteEvidence(StrCat("visit/", expr.args[0]->text));
      }
      expr.index = -1;
      return builtin.result;
    }
    const bool later = std::any_of(file_.functions.begin(), file_.functions.end(),
                                   [&](const FunctionDecl& f) { return f.name == expr.text; });
    Fail(expr.op_span, later ? StrCat("'", expr.text,
                                      "' is declared later; a function can call only "
                                      "functions declared before it")
                             : StrCat("unknown function '", expr.text, "'"));
  }

  SowType InferBinary(Expr& expr, Context context, Scope* scope) {
    const SowType left = Type(*expr.args[0], context, scope);
    const SowType right = Type(*expr.args[1], context, scope);
    const std::string& op = expr.text;
    auto mismatch = [&]() {
      Fail(expr.op_span,
           StrCat("'", op, "' cannot combine ", SowTypeName(left), " and ", SowTypeName(right)));
    };
    if (op == "and" || op == "or") {
      if (left != SowType::kBool || right != SowType::kBool) mismatch();
      return SowType::kBool;
    }
    if (op == "==" || op == "!=") {
      if (left != right) mismatch();
      return SowType::kBool;
    }
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
      if (left != right || left == SowType::kBool) mismatch();
      return SowType::kBool;
    }
    if (op == "+" || op == "-") {
      if (left != right || (left != SowType::kInt && left != SowType::kMoney)) mismatch();
      return left;
    }
    if (op == "*") {
      if (left == SowType::kInt && right == SowType::kInt) return SowType::kInt;
      if (left == SowType::kMoney && right == SowType::kInt) return SowType::kMoney;
      if (left == SowType::kInt && right == SowType::kMoney) return SowType::kMoney;
      mismatch();
    }
    // "/": whole numbers only, rounded toward zero.
    if (left != SowType::kInt || right != SowType::kInt) mismatch();
    return SowType::kInt;
  }

  SowFile& file_;
  std::map<std::string, std::string> names_;
  size_t checked_functions_ = 0;
  std::vector<std::string>* current_evidence_ = nullptr;
};

}  // namespace

std::optional<StateName> FindStateName(std::string_view name) {
  for (const abi::StateName& state : abi::kStateNames) {
    if (state.name != name) continue;
    switch (state.kind) {
      case abi::StateKind::kCounter:
        return StateName{state.name, NameRef::kCounter};
      case abi::StateKind::kFlag:
        return StateName{state.name, NameRef::kFlag};
      case abi::StateKind::kMoney:
        return StateName{state.name, NameRef::kMoneyState};
    }
  }
  return std::nullopt;
}

std::optional<SowType> FactFieldType(std::string_view field) {
  if (field == "site" || field == "subject" || field == "visit_type" || field == "category" ||
      field == "study") {
    return SowType::kString;
  }
  if (field == "date") return SowType::kDate;
  if (field == "amount") return SowType::kMoney;
  return std::nullopt;
}

void Check(SowFile* file) {
  Checker(file).Run();
}

}  // namespace tl::contracts
