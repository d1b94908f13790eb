// Facts that wait for their site's activation (`require site_active(fact.site) else hold`): a
// fact failing such a rule at a site never activated is kept under hf/<id>, its id queued under
// hq/<site>; the site's activation applies the queue in order (apply_released), and a correction
// or retraction of a held fact replaces or removes it before anything counted it.
#include "codegen_internal.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/limits.h"
#include "trialledger/vm/opcodes.h"

namespace tl::contracts {

using vm::Opcode;
using vm::Type;

namespace {
// A site's queue: at most kHeldFactsPerSiteMax fact ids.
constexpr int64_t kHeldQueueBytes = 8 + kHeldFactsPerSiteMax * kStoredTextBytes;
}  // namespace

bool Codegen::HasHoldRules() const {
  for (const RuleDecl& rule : file_.rules) {
    for (const Requirement& requirement : rule.requirements) {
      if (requirement.hold) return true;
    }
  }
  return false;
}

bool Codegen::HoldsKind(FactKind kind) const {
  for (const RuleDecl& rule : file_.rules) {
    for (const Requirement& requirement : rule.requirements) {
      if (!requirement.hold) continue;
      for (FactKind k : rule.kinds) {
        if (k == kind) return true;
      }
    }
  }
  return false;
}

// hold_reason(fact: record) -> string: "" unless a hold rule of the fact's kind fails, then
// "rule NAME: why".
void Codegen::GenerateHoldReason() {
  const std::vector<Type> params = {Type::kRecord};
  vm::FunctionBuilder& f = module_.AddFunction("hold_reason", params, Type::kString);
  Emitter e(module_, f, params);
  const uint16_t fact = 0;
  const uint16_t kind = e.Fixed(Type::kInt);
  e.Op(Opcode::kRecget, kind, fact, abi::kFieldKind);
  ExprEnv env;
  env.has_fact = true;
  env.fact = fact;
  for (const RuleDecl& rule : file_.rules) {
    for (const Requirement& requirement : rule.requirements) {
      if (!requirement.hold) continue;
      Emitter::TempScope scope(e);
      e.If(KindIn(e, kind, rule.kinds), [&] {
        const uint16_t broken = e.Temp(Type::kBool);
        e.Op(Opcode::kNot, broken, Expr(e, *requirement.condition, env));
        const std::string& why = !rule.title.empty() ? rule.title : rule.name;
        e.If(broken, [&] { e.Op(Opcode::kRet, e.Str(StrCat("rule ", rule.name, ": ", why))); });
      });
    }
  }
  e.Op(Opcode::kRet, e.Str(""));
  hold_reason_ = GenFunction{&f, e.worst_case_gas()};
}

uint16_t Codegen::HeldQueue(Emitter& e, uint16_t queue_key) {
  const uint16_t none = e.Temp(Type::kList);
  e.Op(Opcode::kLnew, none);
  const uint16_t queue = Get(e, Type::kList, queue_key, none, kHeldQueueBytes);
  const uint16_t count = e.Temp(Type::kInt);
  e.Op(Opcode::kLlen, count, queue);
  const uint16_t fits = e.Temp(Type::kBool);
  e.Op(Opcode::kLe, fits, count, e.Int(kHeldFactsPerSiteMax));
  e.Op(Opcode::kCheck, fits, e.Str("a site holds more facts than the limit"));
  return queue;
}

void Codegen::TakeHeld(Emitter& e, const FactRegs& regs,
                       const std::function<void(uint16_t, uint16_t)>& result) {
  Emitter::TempScope scope(e);
  const uint16_t held_key = Key(e, abi::kPrefixHeldFact, regs.id);
  const uint16_t bytes = Get(e, Type::kBytes, held_key, e.Bytes(""), kStoredFactBytesMax);
  e.If(NonEmpty(e, bytes), [&] {
    const uint16_t held = e.Temp(Type::kRecord);
    e.Op(Opcode::kDecode, held, bytes, 0, kStoredFactBytesMax);
    const uint16_t site = e.Temp(Type::kString);
    e.Op(Opcode::kRecget, site, held, abi::kFieldSite);
    const uint16_t same = e.Temp(Type::kBool);
    e.Op(Opcode::kEqv, same, ContentOf(e, held), regs.content, 16 + 8 * kTextGasBound);
    e.If(same, [&] {
      result(e.Int(abi::kResultDuplicate),
             Concat(e, {"already held until site ", site, " is activated: ", regs.id}));
    });
    const uint16_t plain = e.Temp(Type::kBool);
    e.Op(Opcode::kRecget, plain, regs.fact, abi::kFieldCorrection);
    e.Op(Opcode::kNot, plain, plain);
    e.If(plain, [&] {
      result(e.Int(abi::kResultRejected),
             Concat(e, {"source record ", regs.id,
                        " is held with different content; send the new content as a "
                        "correction"}));
    });
    const uint16_t held_kind = e.Temp(Type::kInt);
    e.Op(Opcode::kRecget, held_kind, held, abi::kFieldKind);
    CallFunction(e, authorize_, Type::kNone, {held_kind, regs.index});
    e.Op(Opcode::kSdel, held_key, 0, 0, kKeyBytesBound);
    const uint16_t queue_key = Key(e, abi::kPrefixHeldQueue, site);
    const uint16_t queue = HeldQueue(e, queue_key);
    const uint16_t count = e.Temp(Type::kInt);
    e.Op(Opcode::kLlen, count, queue);
    const uint16_t kept = e.Temp(Type::kList);
    e.Op(Opcode::kLnew, kept);
    e.For(count, kHeldFactsPerSiteMax, [&](uint16_t i) {
      Emitter::TempScope inner(e);
      const uint16_t item = e.Temp(Type::kString);
      e.Op(Opcode::kLget, item, queue, i);
      const uint16_t other = e.Temp(Type::kBool);
      e.Op(Opcode::kEqv, other, item, regs.id, 2 + kTextGasBound);
      e.Op(Opcode::kNot, other, other);
      e.If(other, [&] { e.Op(Opcode::kLpush, kept, item, 0, kHeldFactsPerSiteMax); });
    });
    Put(e, queue_key, kept, kHeldQueueBytes);
    e.Op(Opcode::kLoadb, regs.was_held, 1);
    e.Op(Opcode::kLoadi, regs.code, abi::kResultCorrected);
  });
}

void Codegen::HoldIfInactive(Emitter& e, const FactRegs& regs,
                             const std::function<void(uint16_t, uint16_t)>& result,
                             const std::function<void(uint16_t)>& reject) {
  Emitter::TempScope scope(e);
  const uint16_t reason = CallFunction(e, hold_reason_, Type::kString, {regs.fact});
  e.If(NonEmpty(e, reason), [&] {
    const uint16_t site = e.Temp(Type::kString);
    e.Op(Opcode::kRecget, site, regs.fact, abi::kFieldSite);
    // A closed site is never activated again: the fact is rejected, not held.
    const uint16_t status = GetInt(e, Key(e, abi::kPrefixSite, site));
    const uint16_t closed = e.Temp(Type::kBool);
    e.Op(Opcode::kNe, closed, status, e.Int(abi::kSiteNone));
    e.If(closed, [&] { reject(reason); });
    // A correction of an applied fact would have to take back what it counted to hold it; it is
    // refused like any rejected correction.
    const uint16_t corrects_applied = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, corrects_applied, regs.code, e.Int(abi::kResultCorrected));
    const uint16_t fresh = e.Temp(Type::kBool);
    e.Op(Opcode::kNot, fresh, regs.was_held);
    e.Op(Opcode::kAnd, corrects_applied, corrects_applied, fresh);
    e.If(corrects_applied, [&] { reject(reason); });
    const uint16_t queue_key = Key(e, abi::kPrefixHeldQueue, site);
    const uint16_t queue = HeldQueue(e, queue_key);
    const uint16_t count = e.Temp(Type::kInt);
    e.Op(Opcode::kLlen, count, queue);
    const uint16_t full = e.Temp(Type::kBool);
    e.Op(Opcode::kLe, full, e.Int(kHeldFactsPerSiteMax), count);
    e.If(full, [&] {
      reject(Concat(e, {"site ", site,
                        StrCat(" already holds ", kHeldFactsPerSiteMax,
                               " facts waiting for its activation (the limit); report the "
                               "activation first")}));
    });
    e.Op(Opcode::kLpush, queue, regs.id, 0, kHeldFactsPerSiteMax);
    Put(e, queue_key, queue, kHeldQueueBytes);
    const uint16_t bytes = e.Temp(Type::kBytes);
    e.Op(Opcode::kEncode, bytes, regs.fact, 0, kStoredFactBytesMax / 8);
    const uint16_t size = e.Temp(Type::kInt);
    e.Op(Opcode::kBlen, size, bytes);
    const uint16_t fits = e.Temp(Type::kBool);
    e.Op(Opcode::kLe, fits, size, e.Const(vm::Value::MakeInt(kStoredFactBytesMax)));
    e.Op(Opcode::kCheck, fits, e.Str("a held fact's record is too large"));
    Put(e, Key(e, abi::kPrefixHeldFact, regs.id), bytes, kStoredFactBytesMax);
    EmitEvent(e, "fact_held", {{"fact", regs.id}, {"site", site}, {"rule", reason}});
    result(e.Int(abi::kResultHeld), reason);
  });
}

void Codegen::ReleaseHeld(Emitter& e, uint16_t activation, uint16_t activation_id, uint16_t index) {
  Emitter::TempScope scope(e);
  const uint16_t site = e.Temp(Type::kString);
  e.Op(Opcode::kRecget, site, activation, abi::kFieldSite);
  const uint16_t queue_key = Key(e, abi::kPrefixHeldQueue, site);
  const uint16_t queue = HeldQueue(e, queue_key);
  const uint16_t count = e.Temp(Type::kInt);
  e.Op(Opcode::kLlen, count, queue);
  e.For(count, kHeldFactsPerSiteMax, [&](uint16_t i) {
    Emitter::TempScope inner(e);
    const uint16_t held_id = e.Temp(Type::kString);
    e.Op(Opcode::kLget, held_id, queue, i);
    const uint16_t held_key = Key(e, abi::kPrefixHeldFact, held_id);
    const uint16_t bytes = Get(e, Type::kBytes, held_key, e.Bytes(""), kStoredFactBytesMax);
    const uint16_t held = e.Temp(Type::kRecord);
    e.Op(Opcode::kDecode, held, bytes, 0, kStoredFactBytesMax);
    e.Op(Opcode::kSdel, held_key, 0, 0, kKeyBytesBound);
    const uint16_t outcome = CallFunction(e, apply_released_, Type::kRecord, {held, index});
    const uint16_t code = e.Temp(Type::kInt);
    e.Op(Opcode::kRecget, code, outcome, 0);
    const uint16_t message = e.Temp(Type::kString);
    e.Op(Opcode::kRecget, message, outcome, 1);
    const uint16_t applied = e.Temp(Type::kBool);
    e.Op(Opcode::kEq, applied, code, e.Int(abi::kResultApplied));
    const uint16_t outcome_name = e.Temp(Type::kString);
    e.If(
        applied, [&] { e.Op(Opcode::kMove, outcome_name, e.Str("applied")); },
        [&] { e.Op(Opcode::kMove, outcome_name, e.Str("rejected")); });
    const uint16_t kind = e.Temp(Type::kInt);
    e.Op(Opcode::kRecget, kind, held, abi::kFieldKind);
    const uint16_t kind_name = e.Temp(Type::kString);
    e.Load(kind_name, *vm::Value::MakeString(""));
    std::vector<std::pair<int64_t, std::function<void()>>> names;
    for (FactKind k : AllFactKinds()) {
      if (!HoldsKind(k)) continue;
      names.emplace_back(static_cast<int64_t>(k), [&e, kind_name, k] {
        e.Op(Opcode::kMove, kind_name, e.Str(FactKindName(k)));
      });
    }
    Switch(e, kind, names, nullptr);
    const uint16_t subject = e.Temp(Type::kString);
    e.Op(Opcode::kRecget, subject, held, abi::kFieldSubject);
    const uint16_t detail = e.Temp(Type::kString);
    e.Op(Opcode::kRecget, detail, held, abi::kFieldDetail);
    const uint16_t date = e.Temp(Type::kTime);
    e.Op(Opcode::kRecget, date, held, abi::kFieldDate);
    EmitEvent(e, "fact_released",
              {{"released", held_id},
               {"kind", kind_name},
               {"site", site},
               {"subject", subject},
               {"detail", detail},
               {"date", date},
               {"outcome", outcome_name},
               {"message", message},
               {"fact", activation_id}});
  });
  e.Op(Opcode::kSdel, queue_key, 0, 0, kKeyBytesBound);
}

}  // namespace tl::contracts
