// The syntax tree of a SOW file. The parser builds it; the checker resolves names and fills in
// types (the fields marked "checker"); the code generator reads it.
#ifndef TRIALLEDGER_CONTRACTS_AST_H_
#define TRIALLEDGER_CONTRACTS_AST_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "trialledger/contracts/diagnostic.h"
#include "trialledger/contracts/fact_kinds.h"

namespace tl::contracts {

enum class SowType { kError, kBool, kInt, kMoney, kString, kDate };
std::string_view SowTypeName(SowType type);

// What a name in an expression refers to (checker).
enum class NameRef {
  kNone,
  kCounter,     // an int counter in storage: enrolled, sites_activated, ...
  kFlag,        // a study flag: first_patient_in, database_locked, ...
  kMoneyState,  // cost_incurred, estimate_at_completion
  kParameter,
  kLocal,  // function parameter or local variable
};

struct Expr {
  enum class Kind {
    kBool,
    kInt,
    kMoney,
    kString,
    kDate,
    kName,
    kCall,
    kFactField,
    kUnary,
    kBinary
  };
  Kind kind = Kind::kInt;
  Span span;         // the whole expression
  Span op_span;      // the operator (unary, binary) or the callee name (call)
  std::string text;  // name, callee, operator, field, string value, or currency of a money literal
  int64_t number = 0;  // int value, money minor units, date ms, or bool
  std::vector<std::unique_ptr<Expr>> args;

  SowType type = SowType::kError;  // checker
  NameRef ref = NameRef::kNone;    // checker, kName only
  int index = -1;                  // checker: parameter, local slot or function index
  std::string key;                 // checker: the counter's name in storage (c/<key>)
};

struct Stmt {
  enum class Kind { kLet, kAssign, kIf, kFor, kReturn };
  Kind kind = Kind::kReturn;
  Span span;
  std::string name;             // let, assign, for
  int slot = -1;                // checker: local slot of `name`
  std::unique_ptr<Expr> value;  // let, assign, return; the condition of if
  int64_t from = 0, to = 0;     // for: from inclusive, to exclusive
  std::vector<Stmt> body;
  std::vector<Stmt> else_body;
};

struct Param {
  std::string name;
  SowType type = SowType::kError;
  Span span;
};

struct FunctionDecl {
  std::string name;
  Span span;
  std::vector<Param> params;
  SowType result = SowType::kError;
  std::vector<Stmt> body;
  std::vector<SowType> slot_types;  // checker: params first, then locals
};

struct Named {
  std::string name;
  std::string title;
  Span span;
};

struct ParameterDecl : Named {
  SowType type = SowType::kError;
  std::unique_ptr<Expr> default_value;
};

enum class RecognitionKind { kCostToCost, kUnits, kMilestones, kPointInTime };

struct ObligationDecl : Named {
  int64_t standalone_price_minor = 0;
  std::optional<RecognitionKind> recognition;
};

enum class MilestoneKindDecl { kFixedFee, kIncentive, kPenalty };

struct MilestoneDecl : Named {
  MilestoneKindDecl kind = MilestoneKindDecl::kFixedFee;
  std::unique_ptr<Expr> when;
  std::optional<int64_t> amount_minor;  // penalties hold a negative amount after parsing
  Span amount_span;
  std::string obligation;
  Span obligation_span;
  std::optional<int64_t> deadline_ms;
  std::string estimate;  // most_likely_amount, expected_value
  std::unique_ptr<Expr> constraint;
  // `confirmed`: it counts only once a milestone_confirmed fact names it (the sponsor's clinops,
  // say, through the feed the SOW binds that kind to), besides `when`.
  bool confirmed = false;
  Span confirmed_span;
  std::vector<std::string> evidence_counters;  // checker: counters `when` reads, in order, then
                                               // confirmed/<name> for a confirmed milestone
};

struct UnitFeeDecl : Named {
  std::string counter;  // a counter name, or "visit/<TYPE>"
  Span counter_span;
  std::optional<int64_t> rate_minor;
  int64_t cap_units = 0;  // 0: no cap (a money cap is turned into units by the checker)
  std::optional<int64_t> cap_minor;
  Span cap_span;
  std::string obligation;
  Span obligation_span;
};

struct PassThroughDecl : Named {
  std::optional<int64_t> budget_minor;
  std::vector<std::string> categories;
  std::vector<Span> category_spans;
  std::optional<bool> principal;
  std::string obligation;
  Span obligation_span;
};

struct HoldbackDecl : Named {
  int64_t percent = 0;
  Span percent_span;
  bool of_milestones = false;
  bool of_unit_fees = false;
  std::string released_by;
  Span released_span;
};

struct Requirement {
  std::unique_ptr<Expr> condition;
  std::string message;  // "" to use the rule's title
  // `else hold`: a fact failing it at a site never activated waits for the activation instead
  // of being rejected (the checker allows only `require site_active(fact.site) else hold`).
  bool hold = false;
  Span hold_span;
};

struct RuleDecl : Named {
  std::vector<FactKind> kinds;
  std::vector<Requirement> requirements;
};

struct FeedDecl {
  std::string role;
  Span role_span;
  std::string party;  // "sponsor" or "cro"
  std::vector<FactKind> kinds;
  std::vector<Span> kind_spans;
};

struct SowFile {
  Named contract;
  int64_t version = 0;
  std::string sponsor, cro, currency, study;
  Span currency_span;
  std::vector<std::string> sites;
  int64_t payment_terms_days = 0;
  std::vector<ParameterDecl> parameters;
  std::vector<FeedDecl> feeds;
  std::vector<ObligationDecl> obligations;
  std::vector<MilestoneDecl> milestones;  // fixed fees, incentives and penalties, in SOW order
  std::vector<UnitFeeDecl> unit_fees;
  std::vector<PassThroughDecl> pass_throughs;
  std::vector<HoldbackDecl> holdbacks;
  std::vector<RuleDecl> rules;
  std::vector<FunctionDecl> functions;
};

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_AST_H_
