// Facts: who may report them, whether they are plausible, what they change, and how a
// correction undoes what an earlier fact did.
#include "codegen_internal.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/fact_payload.h"
#include "trialledger/contracts/fact_rules.h"
#include "trialledger/contracts/limits.h"
#include "trialledger/contracts/sow_text.h"
#include "trialledger/vm/opcodes.h"

namespace tl::contracts {

using vm::Opcode;
using vm::Type;

namespace {

const std::vector<std::string> kContentShape = {"kind", "id",      "study",  "date",
                                                "site", "subject", "detail", "amount"};
const std::vector<std::string> kStoredShape = {"content",      "counter_keys", "counter_deltas",
                                               "money_keys",   "money_deltas", "status_keys",
                                               "status_before"};
enum StoredField : uint16_t {
  kStoredContent = 0,
  kStoredCounterKeys,
  kStoredCounterDeltas,
  kStoredMoneyKeys,
  kStoredMoneyDeltas,
  kStoredStatusKeys,
  kStoredStatusBefore,
};

std::string_view FlagCounter(FactKind kind) {
  switch (kind) {
    case FactKind::kFirstPatientIn:
      return "first_patient_in";
    case FactKind::kLastPatientLastVisit:
      return "last_patient_last_visit";
    default:
      return "database_locked";
  }
}

int64_t KindNumber(FactKind kind) {
  return static_cast<int64_t>(kind);
}

}  // namespace

uint16_t Codegen::ContentOf(Emitter& e, uint16_t fact) {
  std::vector<uint16_t> fields;
  for (uint16_t i = 0; i < abi::kContentFieldCount; ++i) {
    const uint16_t value = e.Temp(i == abi::kFieldKind     ? Type::kInt
                                  : i == abi::kFieldDate   ? Type::kTime
                                  : i == abi::kFieldAmount ? Type::kMoney
                                                           : Type::kString);
    e.Op(Opcode::kRecget, value, fact, i);
    fields.push_back(value);
  }
  return Record(e, kContentShape, fields);
}

namespace {

// The fact's place in its batch as messages give it, counted from 1 as every report of a
// submission counts (`index` counts from 0).
uint16_t FactPosition(Emitter& e, uint16_t index) {
  const uint16_t number = e.Temp(Type::kInt);
  e.Op(Opcode::kAdd, number, index, e.Int(1));
  const uint16_t position = e.Temp(Type::kString);
  e.Op(Opcode::kItos, position, number, 0, 4);
  return position;
}

}  // namespace

// authorize(kind: int, index: int): traps unless the signer may report facts of `kind`.
void Codegen::GenerateAuthorize() {
  const std::vector<Type> params = {Type::kInt, Type::kInt};
  vm::FunctionBuilder& f = module_.AddFunction("authorize", params, Type::kNone);
  Emitter e(module_, f, params);
  const uint16_t kind = 0, index = 1;
  std::vector<std::pair<int64_t, std::function<void()>>> cases;
  for (FactKind fact_kind : AllFactKinds()) {
    if (fact_kind == FactKind::kRetracted) continue;
    const FeedDecl* bound = nullptr;
    for (const FeedDecl& feed : file_.feeds) {
      for (FactKind k : feed.kinds) {
        if (k == fact_kind) bound = &feed;
      }
    }
    cases.emplace_back(
        KindNumber(fact_kind), [&e, this, bound, fact_kind, position_register = index] {
          const uint16_t position = FactPosition(e, position_register);
          if (bound == nullptr) {
            e.Op(Opcode::kAbort, Concat(e, {"fact ", position, ": this contract binds no feed to ",
                                            std::string(FactKindName(fact_kind)), " facts"}));
            return;
          }
          const std::string& org = bound->party == "sponsor" ? file_.sponsor : file_.cro;
          const uint16_t caller_org = e.Temp(Type::kString);
          e.Op(Opcode::kCorg, caller_org, 0, 0, kTextGasBound);
          const uint16_t ok = e.Temp(Type::kBool);
          e.Op(Opcode::kEqv, ok, caller_org, e.Str(org), 2 + kTextGasBound);
          const uint16_t role = e.Temp(Type::kBool);
          e.Op(Opcode::kHasrole, role, e.Str(bound->role));
          e.Op(Opcode::kAnd, ok, ok, role);
          e.Op(Opcode::kNot, ok, ok);
          e.If(ok, [&] {
            e.Op(Opcode::kAbort,
                 Concat(e, {"fact ", position, ": ", std::string(FactKindName(fact_kind)),
                            " facts must be signed by a '", bound->role, "' key of ", org}));
          });
        });
  }
  Switch(e, kind, cases, [&] {
    const uint16_t number = e.Temp(Type::kString);
    e.Op(Opcode::kItos, number, kind, 0, 4);
    e.Op(Opcode::kAbort, Concat(e, {"unknown fact kind ", number}));
  });
  e.Op(Opcode::kRetv);
  authorize_ = GenFunction{&f, e.worst_case_gas()};
}

// pass_through_of(category: string) -> string: the pass-through a cost category belongs to.
void Codegen::GeneratePassThroughOf() {
  const std::vector<Type> params = {Type::kString};
  vm::FunctionBuilder& f = module_.AddFunction("pass_through_of", params, Type::kString);
  Emitter e(module_, f, params);
  const uint16_t out = e.Fixed(Type::kString);
  e.Load(out, *vm::Value::MakeString(""));
  for (const PassThroughDecl& pass : file_.pass_throughs) {
    for (const std::string& category : pass.categories) {
      Emitter::TempScope scope(e);
      const uint16_t match = e.Temp(Type::kBool);
      e.Op(Opcode::kEqv, match, 0, e.Str(category), 2 + kTextGasBound);
      e.If(match, [&] { e.Op(Opcode::kMove, out, e.Str(pass.name)); });
    }
  }
  e.Op(Opcode::kRet, out);
  pass_through_of_ = GenFunction{&f, e.worst_case_gas()};
}

// validate(fact: record) -> string: "" when plausible, else why not.
void Codegen::GenerateValidate() {
  const std::vector<Type> params = {Type::kRecord};
  vm::FunctionBuilder& f = module_.AddFunction("validate", params, Type::kString);
  Emitter e(module_, f, params);
  const uint16_t fact = 0;
  const uint16_t kind = e.Fixed(Type::kInt);
  e.Op(Opcode::kRecget, kind, fact, abi::kFieldKind);
  auto field = [&](abi::FactField index, Type type) {
    const uint16_t value = e.Temp(type);
    e.Op(Opcode::kRecget, value, fact, index);
    return value;
  };
  auto kind_is = [&](bool (*predicate)(FactKind)) {
    std::vector<FactKind> kinds;
    for (FactKind k : AllFactKinds()) {
      if (predicate(k)) kinds.push_back(k);
    }
    return KindIn(e, kind, kinds);
  };
  auto fail_if = [&](uint16_t condition, std::initializer_list<Piece> why) {
    e.If(condition, [&] { e.Op(Opcode::kRet, Concat(e, why)); });
  };
  auto empty = [&](uint16_t text) {
    const uint16_t length = e.Temp(Type::kInt);
    e.Op(Opcode::kSlen, length, text);
    const uint16_t is_empty = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, is_empty, length, e.Int(0));
    return is_empty;
  };
  {
    Emitter::TempScope scope(e);
    const uint16_t retraction = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, retraction, kind, e.Int(KindNumber(FactKind::kRetracted)));
    fail_if(retraction, {""});
  }
  {
    Emitter::TempScope scope(e);
    const uint16_t study = field(abi::kFieldStudy, Type::kString);
    const uint16_t other = e.Temp(Type::kBool);
    e.Op(Opcode::kEqv, other, study, e.Str(file_.study), 2 + kTextGasBound);
    e.Op(Opcode::kNot, other, other);
    const uint16_t given = empty(study);
    e.Op(Opcode::kNot, given, given);
    e.Op(Opcode::kAnd, other, other, given);
    fail_if(other, {"the fact is for study ", study, ", this contract covers ", file_.study});
  }
  {
    Emitter::TempScope scope(e);
    const uint16_t date = field(abi::kFieldDate, Type::kTime);
    const uint16_t now = e.Temp(Type::kTime);
    e.Op(Opcode::kBtime, now);
    const uint16_t future = e.Temp(Type::kBool);
    e.Op(Opcode::kLtv, future, now, date, 2);
    fail_if(future, {"the fact is dated after the block that records it"});
  }
  {
    Emitter::TempScope scope(e);
    const uint16_t source_time = field(abi::kFieldSourceTime, Type::kTime);
    const uint16_t latest = e.Temp(Type::kTime);
    e.Op(Opcode::kBtime, latest);
    e.Op(Opcode::kTadd, latest, latest, e.Const(vm::Value::MakeDuration(kSourceTimeSkewMaxMs)));
    const uint16_t ahead = e.Temp(Type::kBool);
    e.Op(Opcode::kLtv, ahead, latest, source_time, 2);
    fail_if(ahead, {StrCat("the source time is later than the block's time plus the allowed skew (",
                           kSourceTimeSkewMaxMs / 1000, " s)")});
  }
  {
    Emitter::TempScope scope(e);
    e.If(kind_is(FactHasSite), [&] {
      const uint16_t site = field(abi::kFieldSite, Type::kString);
      fail_if(empty(site), {"the fact needs a site"});
      if (file_.sites.empty()) return;
      const uint16_t known = e.Temp(Type::kBool);
      e.Op(Opcode::kLoadb, known, 0);
      const uint16_t match = e.Temp(Type::kBool);
      for (const std::string& listed : file_.sites) {
        e.Op(Opcode::kEqv, match, site, e.Str(listed), 2 + kTextGasBound);
        e.Op(Opcode::kOr, known, known, match);
      }
      e.Op(Opcode::kNot, known, known);
      fail_if(known, {"site ", site, " is not a site of study ", file_.study});
    });
  }
  {
    Emitter::TempScope scope(e);
    e.If(kind_is(FactHasSubject), [&] {
      fail_if(empty(field(abi::kFieldSubject, Type::kString)), {"the fact needs a subject"});
    });
  }
  {
    Emitter::TempScope scope(e);
    e.If(kind_is(FactHasDetail), [&] {
      fail_if(empty(field(abi::kFieldDetail, Type::kString)),
              {"the fact needs a visit type, cost category or milestone"});
    });
  }
  {
    // A confirmation names a milestone the SOW marks `confirmed`.
    Emitter::TempScope scope(e);
    const uint16_t confirmation = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, confirmation, kind, e.Int(KindNumber(FactKind::kMilestoneConfirmed)));
    e.If(confirmation, [&] {
      const uint16_t milestone = field(abi::kFieldDetail, Type::kString);
      const uint16_t awaited = e.Temp(Type::kBool);
      e.Op(Opcode::kLoadb, awaited, 0);
      const uint16_t match = e.Temp(Type::kBool);
      for (const MilestoneDecl& declared : file_.milestones) {
        if (!declared.confirmed) continue;
        e.Op(Opcode::kEqv, match, milestone, e.Str(declared.name), 2 + kTextGasBound);
        e.Op(Opcode::kOr, awaited, awaited, match);
      }
      e.Op(Opcode::kNot, awaited, awaited);
      fail_if(awaited,
              {"milestone ", milestone, " is not one of this contract's confirmed milestones"});
    });
  }
  {
    Emitter::TempScope scope(e);
    e.If(kind_is(FactHasAmount), [&] {
      const uint16_t amount = field(abi::kFieldAmount, Type::kMoney);
      const uint16_t currency = e.Temp(Type::kString);
      e.Op(Opcode::kMcur, currency, amount);
      const uint16_t wrong = e.Temp(Type::kBool);
      e.Op(Opcode::kEqv, wrong, currency, e.Str(file_.currency), 4);
      e.Op(Opcode::kNot, wrong, wrong);
      fail_if(wrong, {kAmountCurrencyRule, file_.currency});
      const uint16_t positive = e.Temp(Type::kBool);
      e.Op(Opcode::kLtv, positive, Zero(e), amount, 4);
      e.Op(Opcode::kNot, positive, positive);
      fail_if(positive, {kAmountPositiveRule});
    });
  }
  ExprEnv env;
  env.has_fact = true;
  env.fact = fact;
  for (const RuleDecl& rule : file_.rules) {
    Emitter::TempScope scope(e);
    e.If(KindIn(e, kind, rule.kinds), [&] {
      for (const Requirement& requirement : rule.requirements) {
        if (requirement.hold) continue;  // hold_reason's
        Emitter::TempScope inner(e);
        const uint16_t broken = e.Temp(Type::kBool);
        e.Op(Opcode::kNot, broken, Expr(e, *requirement.condition, env));
        const std::string& why = !requirement.message.empty() ? requirement.message
                                 : !rule.title.empty()        ? rule.title
                                                              : rule.name;
        fail_if(broken, {StrCat("rule ", rule.name, ": ", why)});
      }
    });
  }
  e.Op(Opcode::kRet, e.Str(""));
  validate_ = GenFunction{&f, e.worst_case_gas()};
}

// reverse(stored: record, by: string): undoes a stored fact's effects; `by` is the correcting
// fact, which becomes the evidence of every counter it moves back.
void Codegen::GenerateReverse() {
  const std::vector<Type> params = {Type::kRecord, Type::kString};
  vm::FunctionBuilder& f = module_.AddFunction("reverse", params, Type::kNone);
  Emitter e(module_, f, params);
  const uint16_t stored = 0, by = 1;
  auto for_effects = [&](uint16_t keys_field, const std::function<void(uint16_t, uint16_t)>& body,
                         uint16_t values_field, Type value_type) {
    Emitter::TempScope scope(e);
    const uint16_t keys = e.Temp(Type::kList);
    e.Op(Opcode::kRecget, keys, stored, keys_field);
    const uint16_t values = e.Temp(Type::kList);
    e.Op(Opcode::kRecget, values, stored, values_field);
    const uint16_t count = e.Temp(Type::kInt);
    e.Op(Opcode::kLlen, count, keys);
    const uint16_t fits = e.Temp(Type::kBool);
    e.Op(Opcode::kLe, fits, count, e.Int(kEffectsPerFactMax));
    e.Op(Opcode::kCheck, fits, e.Str("stored fact has too many effects"));
    e.For(count, kEffectsPerFactMax, [&](uint16_t i) {
      Emitter::TempScope inner(e);
      const uint16_t key = e.Temp(Type::kString);
      e.Op(Opcode::kLget, key, keys, i);
      const uint16_t value = e.Temp(value_type);
      e.Op(Opcode::kLget, value, values, i);
      body(key, value);
    });
  };
  for_effects(
      kStoredCounterKeys,
      [&](uint16_t name, uint16_t delta) {
        const uint16_t key = Key(e, abi::kPrefixCounter, name);
        const uint16_t count = GetInt(e, key);
        e.Op(Opcode::kSub, count, count, delta);
        Put(e, key, count, kIntValueBytes);
        Put(e, Key(e, abi::kPrefixEvidence, name), by, kStoredTextBytes);
      },
      kStoredCounterDeltas, Type::kInt);
  for_effects(
      kStoredMoneyKeys,
      [&](uint16_t name, uint16_t delta) {
        const uint16_t key = Key(e, abi::kPrefixMoney, name);
        const uint16_t total = GetMoney(e, key);
        e.Op(Opcode::kMsub, total, total, delta, 4);
        Put(e, key, total, kMoneyValueBytes);
        Put(e, Key(e, abi::kPrefixEvidence, name), by, kStoredTextBytes);
      },
      kStoredMoneyDeltas, Type::kMoney);
  for_effects(
      kStoredStatusKeys,
      [&](uint16_t key_text, uint16_t before) {
        const uint16_t key = e.Temp(Type::kBytes);
        e.Op(Opcode::kStob, key, key_text, 0, kTextGasBound);
        Put(e, key, before, kIntValueBytes);
      },
      kStoredStatusBefore, Type::kInt);
  {
    Emitter::TempScope scope(e);
    const uint16_t content = e.Temp(Type::kRecord);
    e.Op(Opcode::kRecget, content, stored, kStoredContent);
    const uint16_t kind = e.Temp(Type::kInt);
    e.Op(Opcode::kRecget, kind, content, abi::kFieldKind);
    const uint16_t is_cost = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, is_cost, kind, e.Int(KindNumber(FactKind::kCostIncurred)));
    e.If(is_cost, [&] {
      const uint16_t category = e.Temp(Type::kString);
      e.Op(Opcode::kRecget, category, content, abi::kFieldDetail);
      const uint16_t amount = e.Temp(Type::kMoney);
      e.Op(Opcode::kRecget, amount, content, abi::kFieldAmount);
      e.Op(Opcode::kMneg, amount, amount, 0, 4);
      const uint16_t pass = CallFunction(e, pass_through_of_, Type::kString, {category});
      EmitEvent(e, "cost_incurred",
                {{"category", category}, {"amount", amount}, {"pass_through", pass}, {"fact", by}});
    });
    const uint16_t is_estimate = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, is_estimate, kind, e.Int(KindNumber(FactKind::kEstimateAtCompletion)));
    e.Op(Opcode::kOr, is_estimate, is_estimate, is_cost);
    e.If(is_estimate, [&] { CallFunction(e, progress_, Type::kNone, {}); });
  }
  e.Op(Opcode::kRetv);
  reverse_ = GenFunction{&f, e.worst_case_gas()};
}

// process_fact(fact: record, index: int) -> record {code, message}, and with `released`
// apply_released(fact, index): a held fact applied when its site's activation applies. It was
// authorized and looked up when it was held and is never held again; the activation's run
// settles once after every released fact, so it does not settle on its own.
void Codegen::GenerateProcessFact(bool released) {
  const std::vector<Type> params = {Type::kRecord, Type::kInt};
  vm::FunctionBuilder& f =
      module_.AddFunction(released ? "apply_released" : "process_fact", params, Type::kRecord);
  Emitter e(module_, f, params);
  const bool holds = !released && HasHoldRules();
  const uint16_t fact = 0, index = 1;
  auto fixed_field = [&](abi::FactField field, Type type) {
    const uint16_t value = e.Fixed(type);
    e.Op(Opcode::kRecget, value, fact, field);
    return value;
  };
  const uint16_t kind = fixed_field(abi::kFieldKind, Type::kInt);
  const uint16_t id = fixed_field(abi::kFieldId, Type::kString);
  const uint16_t date = fixed_field(abi::kFieldDate, Type::kTime);
  const uint16_t code = e.Fixed(Type::kInt);
  e.Op(Opcode::kLoadi, code, abi::kResultApplied);
  auto result = [&](uint16_t result_code, uint16_t message) {
    e.Op(Opcode::kRet, Record(e, {"code", "message"}, {result_code, message}));
  };
  // A rejected new fact changes nothing; a rejected correction would leave the earlier fact
  // reversed, so it rejects the whole transaction instead.
  auto reject = [&](uint16_t why) {
    const uint16_t correcting = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, correcting, code, e.Int(abi::kResultCorrected));
    e.If(
        correcting,
        [&] {
          const uint16_t position = FactPosition(e, index);
          e.Op(Opcode::kAbort,
               Concat(e, {"fact ", position, ": correction of ", id, " rejected: ", why}));
        },
        [&] { result(e.Int(abi::kResultRejected), why); });
  };
  const uint16_t retraction = e.Fixed(Type::kBool);
  e.Op(Opcode::kEq, retraction, kind, e.Int(KindNumber(FactKind::kRetracted)));
  if (!released) {
    Emitter::TempScope scope(e);
    const uint16_t reported = e.Temp(Type::kBool);
    e.Op(Opcode::kNot, reported, retraction);
    e.If(reported, [&] { CallFunction(e, authorize_, Type::kNone, {kind, index}); });
  }
  const uint16_t content = e.Fixed(Type::kRecord);
  e.Op(Opcode::kMove, content, ContentOf(e, fact));
  const uint16_t fact_key = e.Fixed(Type::kBytes);
  e.Op(Opcode::kMove, fact_key, Key(e, abi::kPrefixFact, id));
  // Whether this fact replaces a held one (a correction or retraction of a fact still waiting).
  const uint16_t was_held = e.Fixed(Type::kBool);
  e.Op(Opcode::kLoadb, was_held, 0);
  // Which milestones were met before a correction reversed the earlier version (empty otherwise).
  const uint16_t met_before = e.Fixed(Type::kList);
  e.Op(Opcode::kLnew, met_before);
  if (!released) {
    Emitter::TempScope scope(e);
    const uint16_t bytes = Get(e, Type::kBytes, fact_key, e.Bytes(""), kStoredFactBytesMax);
    const uint16_t known = NonEmpty(e, bytes);
    e.If(
        known,
        [&] {
          const uint16_t stored = e.Temp(Type::kRecord);
          e.Op(Opcode::kDecode, stored, bytes, 0, kStoredFactBytesMax);
          const uint16_t before = e.Temp(Type::kRecord);
          e.Op(Opcode::kRecget, before, stored, kStoredContent);
          const uint16_t same = e.Temp(Type::kBool);
          e.Op(Opcode::kEqv, same, before, content, 16 + 8 * kTextGasBound);
          e.If(same, [&] {
            result(e.Int(abi::kResultDuplicate), Concat(e, {"already applied: ", id}));
          });
          const uint16_t correction = e.Temp(Type::kBool);
          e.Op(Opcode::kRecget, correction, fact, abi::kFieldCorrection);
          e.Op(Opcode::kNot, correction, correction);
          e.If(correction, [&] {
            result(e.Int(abi::kResultRejected),
                   Concat(e, {"source record ", id,
                              " was already reported with different content; send the new "
                              "content as a correction"}));
          });
          const uint16_t before_kind = e.Temp(Type::kInt);
          e.Op(Opcode::kRecget, before_kind, before, abi::kFieldKind);
          CallFunction(e, authorize_, Type::kNone, {before_kind, index});
          e.Op(Opcode::kMove, met_before, CallFunction(e, conditions_, Type::kList, {}));
          CallFunction(e, reverse_, Type::kNone, {stored, id});
          e.Op(Opcode::kLoadi, code, abi::kResultCorrected);
        },
        [&] {
          if (holds) {
            TakeHeld(e,
                     {.fact = fact,
                      .id = id,
                      .index = index,
                      .content = content,
                      .code = code,
                      .was_held = was_held},
                     result);
          }
          e.If(retraction, [&] {
            const uint16_t unknown = e.Temp(Type::kBool);
            e.Op(Opcode::kNot, unknown, was_held);
            e.If(unknown, [&] {
              result(e.Int(abi::kResultRejected), Concat(e, {"nothing to retract: no fact ", id}));
            });
          });
        });
  }
  {
    Emitter::TempScope scope(e);
    const uint16_t why = CallFunction(e, validate_, Type::kString, {fact});
    e.If(NonEmpty(e, why), [&] { reject(why); });
  }
  if (holds)
    HoldIfInactive(e, {.fact = fact, .id = id, .code = code, .was_held = was_held}, result, reject);
  // What the fact changes, recorded so a later correction can undo exactly that.
  const uint16_t counter_keys = e.Fixed(Type::kList), counter_deltas = e.Fixed(Type::kList),
                 money_keys = e.Fixed(Type::kList), money_deltas = e.Fixed(Type::kList),
                 status_keys = e.Fixed(Type::kList), status_before = e.Fixed(Type::kList);
  for (uint16_t list :
       {counter_keys, counter_deltas, money_keys, money_deltas, status_keys, status_before}) {
    e.Op(Opcode::kLnew, list);
  }
  auto add_counter = [&](uint16_t name, int64_t delta) {
    Emitter::TempScope scope(e);
    const uint16_t key = Key(e, abi::kPrefixCounter, name);
    const uint16_t count = GetInt(e, key);
    const uint16_t change = e.Int(delta);
    e.Op(Opcode::kAdd, count, count, change);
    Put(e, key, count, kIntValueBytes);
    Put(e, Key(e, abi::kPrefixEvidence, name), id, kStoredTextBytes);
    e.Op(Opcode::kLpush, counter_keys, name, 0, kEffectsPerFactMax);
    e.Op(Opcode::kLpush, counter_deltas, change, 0, kEffectsPerFactMax);
  };
  auto add_money = [&](uint16_t name, uint16_t delta) {
    Emitter::TempScope scope(e);
    const uint16_t key = Key(e, abi::kPrefixMoney, name);
    const uint16_t total = GetMoney(e, key);
    e.Op(Opcode::kMadd, total, total, delta, 4);
    Put(e, key, total, kMoneyValueBytes);
    Put(e, Key(e, abi::kPrefixEvidence, name), id, kStoredTextBytes);
    e.Op(Opcode::kLpush, money_keys, name, 0, kEffectsPerFactMax);
    e.Op(Opcode::kLpush, money_deltas, delta, 0, kEffectsPerFactMax);
  };
  // Subject and site kinds follow the transition table of fact_rules.h.
  auto status_machine = [&](FactKind fact_kind, std::string_view prefix, abi::FactField field,
                            std::string_view noun) {
    const uint16_t who = e.Temp(Type::kString);
    e.Op(Opcode::kRecget, who, fact, field);
    const uint16_t key_text = Concat(e, {std::string(prefix), who});
    const uint16_t key = e.Temp(Type::kBytes);
    e.Op(Opcode::kStob, key, key_text, 0, kTextGasBound);
    const uint16_t status = GetInt(e, key);
    const std::vector<Transition>& rows = TransitionsOf(fact_kind);
    std::function<void(size_t)> row = [&](size_t r) {
      if (r == rows.size()) return;
      const Transition& t = rows[r];
      Emitter::TempScope scope(e);
      const uint16_t from = e.Temp(Type::kBool);
      e.Op(Opcode::kLoadb, from, 0);
      const uint16_t match = e.Temp(Type::kBool);
      for (int64_t s : t.from) {
        e.Op(Opcode::kEq, match, status, e.Int(s));
        e.Op(Opcode::kOr, from, from, match);
      }
      e.If(
          from,
          [&] {
            if (!t.reject.empty()) {
              reject(Concat(e, {std::string(noun), " ", who, " ", std::string(t.reject)}));
              return;
            }
            if (t.to >= 0) {
              Put(e, key, e.Int(t.to), kIntValueBytes);
              e.Op(Opcode::kLpush, status_keys, key_text, 0, kEffectsPerFactMax);
              e.Op(Opcode::kLpush, status_before, status, 0, kEffectsPerFactMax);
            }
            for (const CounterDelta& d : t.deltas) {
              Emitter::TempScope inner(e);
              add_counter(e.Str(d.counter), d.delta);
            }
          },
          [&] { row(r + 1); });
    };
    row(0);
  };
  std::vector<std::pair<int64_t, std::function<void()>>> cases;
  for (FactKind fact_kind : AllFactKinds()) {
    std::function<void()> apply;
    if (FactHasSubject(fact_kind) && fact_kind != FactKind::kVisitCompleted) {
      apply = [&, fact_kind] {
        status_machine(fact_kind, abi::kPrefixSubject, abi::kFieldSubject, "subject");
      };
    } else if (fact_kind == FactKind::kVisitCompleted) {
      apply = [&] {
        add_counter(e.Str("visits"), 1);
        const uint16_t type = e.Temp(Type::kString);
        e.Op(Opcode::kRecget, type, fact, abi::kFieldDetail);
        add_counter(Concat(e, {"visit/", type}), 1);
      };
    } else if (FactHasSite(fact_kind)) {
      apply = [&, fact_kind] {
        status_machine(fact_kind, abi::kPrefixSite, abi::kFieldSite, "site");
        if (holds && fact_kind == FactKind::kSiteActivated) ReleaseHeld(e, fact, id, index);
      };
    } else if (fact_kind == FactKind::kFirstPatientIn ||
               fact_kind == FactKind::kLastPatientLastVisit ||
               fact_kind == FactKind::kDatabaseLock) {
      apply = [&, fact_kind] {
        const uint16_t name = e.Str(FlagCounter(fact_kind));
        const uint16_t first = e.Temp(Type::kBool);
        e.Op(Opcode::kEq, first, GetInt(e, Key(e, abi::kPrefixCounter, name)), e.Int(0));
        e.If(first, [&] { add_counter(name, 1); });
      };
    } else if (fact_kind == FactKind::kMilestoneConfirmed) {
      apply = [&] {
        const uint16_t milestone = e.Temp(Type::kString);
        e.Op(Opcode::kRecget, milestone, fact, abi::kFieldDetail);
        const uint16_t name = Concat(e, {std::string(abi::kConfirmedPrefix), milestone});
        const uint16_t first = e.Temp(Type::kBool);
        e.Op(Opcode::kEq, first, GetInt(e, Key(e, abi::kPrefixCounter, name)), e.Int(0));
        e.If(first, [&] { add_counter(name, 1); });
      };
    } else if (fact_kind == FactKind::kCostIncurred) {
      apply = [&] {
        const uint16_t category = e.Temp(Type::kString);
        e.Op(Opcode::kRecget, category, fact, abi::kFieldDetail);
        const uint16_t amount = e.Temp(Type::kMoney);
        e.Op(Opcode::kRecget, amount, fact, abi::kFieldAmount);
        const uint16_t pass = CallFunction(e, pass_through_of_, Type::kString, {category});
        e.If(
            NonEmpty(e, pass),
            [&] {
              for (const PassThroughDecl& p : file_.pass_throughs) {
                Emitter::TempScope scope(e);
                const uint16_t this_one = e.Temp(Type::kBool);
                e.Op(Opcode::kEqv, this_one, pass, e.Str(p.name), 2 + kTextGasBound);
                e.If(this_one, [&] {
                  const uint16_t name = e.Str(abi::Key(abi::kPassThroughSpend, p.name));
                  const uint16_t spent = GetMoney(e, Key(e, abi::kPrefixMoney, name));
                  e.Op(Opcode::kMadd, spent, spent, amount, 4);
                  const uint16_t over = e.Temp(Type::kBool);
                  e.Op(Opcode::kLtv, over, e.Money(*p.budget_minor, file_.currency), spent, 4);
                  e.If(over, [&] {
                    reject(Concat(e, {"pass-through ", p.name, " would exceed its budget of ",
                                      FormatMoney(*p.budget_minor, file_.currency),
                                      "; a change order must raise it first"}));
                  });
                  add_money(name, amount);
                });
              }
            },
            [&] { add_money(e.Str("cost_incurred"), amount); });
        EmitEvent(
            e, "cost_incurred",
            {{"category", category}, {"amount", amount}, {"pass_through", pass}, {"fact", id}});
        CallFunction(e, progress_, Type::kNone, {});
      };
    } else if (fact_kind == FactKind::kEstimateAtCompletion) {
      apply = [&] {
        const uint16_t amount = e.Temp(Type::kMoney);
        e.Op(Opcode::kRecget, amount, fact, abi::kFieldAmount);
        const uint16_t name = e.Str("estimate_at_completion");
        const uint16_t change = e.Temp(Type::kMoney);
        e.Op(Opcode::kMsub, change, amount, GetMoney(e, Key(e, abi::kPrefixMoney, name)), 4);
        add_money(name, change);
        EmitEvent(e, "estimate_updated", {{"amount", amount}, {"fact", id}});
        CallFunction(e, progress_, Type::kNone, {});
      };
    } else {
      continue;  // a retraction only reverses
    }
    if (released && !HoldsKind(fact_kind)) continue;
    cases.emplace_back(KindNumber(fact_kind), [&e, apply] {
      Emitter::TempScope scope(e);
      apply();
    });
  }
  Switch(e, kind, cases, nullptr);
  {
    Emitter::TempScope scope(e);
    const uint16_t record = Record(e, kStoredShape,
                                   {content, counter_keys, counter_deltas, money_keys, money_deltas,
                                    status_keys, status_before});
    const uint16_t bytes = e.Temp(Type::kBytes);
    e.Op(Opcode::kEncode, bytes, record, 0, kStoredFactBytesMax / 8);
    const uint16_t length = e.Temp(Type::kInt);
    e.Op(Opcode::kBlen, length, bytes);
    const uint16_t fits = e.Temp(Type::kBool);
    e.Op(Opcode::kLe, fits, length, e.Const(vm::Value::MakeInt(kStoredFactBytesMax)));
    e.Op(Opcode::kCheck, fits, e.Str("a fact's stored record is too large"));
    Put(e, fact_key, bytes, kStoredFactBytesMax);
    if (!released) {
      // What the correction undid first, then what is now due.
      CallFunction(e, unsettle_, Type::kNone, {met_before, id, date});
      CallFunction(e, settle_, Type::kNone, {id, date});
    }
    result(code, e.Str(""));
  }
  (released ? apply_released_ : process_fact_) = GenFunction{&f, e.worst_case_gas()};
}

}  // namespace tl::contracts
