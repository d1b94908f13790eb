// Settling: after every fact (and after an amendment) unit fees follow their counters and
// milestones are checked in SOW order; what becomes due is invoiced, net of holdbacks.
#include <algorithm>

#include "codegen_internal.h"
#include "metadata.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/sow_text.h"
#include "trialledger/vm/opcodes.h"

namespace tl::contracts {

using vm::Opcode;
using vm::Type;

namespace {
// Invoice categories: which holdbacks apply.
constexpr int64_t kInvoiceNotWithheld = 0;
constexpr int64_t kInvoiceMilestone = 1;
constexpr int64_t kInvoiceUnitFee = 2;

bool ReleasesHoldback(const SowFile& file, const MilestoneDecl& milestone) {
  for (const HoldbackDecl& holdback : file.holdbacks) {
    if (holdback.released_by == milestone.name) return true;
  }
  return false;
}

// Which holdbacks a milestone's invoice withholds: none for a penalty or for the milestone
// that releases a holdback.
int64_t InvoiceCategoryOf(const SowFile& file, const MilestoneDecl& milestone) {
  return milestone.kind == MilestoneKindDecl::kPenalty || ReleasesHoldback(file, milestone)
             ? kInvoiceNotWithheld
             : kInvoiceMilestone;
}

}  // namespace

// invoice(item: string, gross: money, category: int)
void Codegen::GenerateInvoice() {
  const std::vector<Type> params = {Type::kString, Type::kMoney, Type::kInt};
  vm::FunctionBuilder& f = module_.AddFunction("invoice", params, Type::kNone);
  Emitter e(module_, f, params);
  const uint16_t item = 0, gross = 1, category = 2;
  const uint16_t withheld = e.Fixed(Type::kMoney);
  e.Load(withheld, *vm::Value::MakeMoney(file_.currency, 0));
  for (const HoldbackDecl& holdback : file_.holdbacks) {
    Emitter::TempScope scope(e);
    const uint16_t covered = e.Temp(Type::kBool);
    e.Op(Opcode::kLoadb, covered, 0);
    const uint16_t match = e.Temp(Type::kBool);
    if (holdback.of_milestones) {
      e.Op(Opcode::kEq, match, category, e.Int(kInvoiceMilestone));
      e.Op(Opcode::kOr, covered, covered, match);
    }
    if (holdback.of_unit_fees) {
      e.Op(Opcode::kEq, match, category, e.Int(kInvoiceUnitFee));
      e.Op(Opcode::kOr, covered, covered, match);
    }
    e.If(covered, [&] {
      const uint16_t released = GetInt(e, ConstKey(e, abi::kPrefixReleased, holdback.name));
      const uint16_t open = e.Temp(Type::kBool);
      e.Op(Opcode::kEq, open, released, e.Int(0));
      e.If(open, [&] {
        // The withheld share of each invoice is rounded once, half up, to the minor unit.
        const uint16_t share = e.Temp(Type::kMoney);
        e.Op(Opcode::kMmul, share, gross, e.Int(holdback.percent), 4);
        e.OpRounded(Opcode::kMdiv, share, share, e.Int(100), vm::RoundingMode::kHalfUp);
        const uint16_t key = ConstKey(e, abi::kPrefixHeld, holdback.name);
        const uint16_t total = GetMoney(e, key);
        e.Op(Opcode::kMadd, total, total, share, 4);
        Put(e, key, total, kMoneyValueBytes);
        EmitEvent(e, "holdback_withheld",
                  {{"holdback", e.Str(holdback.name)},
                   {"item", item},
                   {"amount", share},
                   {"total_withheld", total}});
        e.Op(Opcode::kMadd, withheld, withheld, share, 4);
      });
    });
  }
  Emitter::TempScope scope(e);
  const uint16_t net = e.Temp(Type::kMoney);
  e.Op(Opcode::kMsub, net, gross, withheld, 4);
  const uint16_t now = e.Temp(Type::kTime);
  e.Op(Opcode::kBtime, now);
  const uint16_t due = e.Temp(Type::kTime);
  e.Op(Opcode::kTadd, due, now,
       e.Const(vm::Value::MakeDuration(file_.payment_terms_days * kMsPerDay)));
  EmitEvent(
      e, "invoice_due",
      {{"item", item}, {"gross", gross}, {"holdback", withheld}, {"net", net}, {"due_at", due}});
  e.Op(Opcode::kRetv);
  invoice_ = GenFunction{&f, e.worst_case_gas()};
}

// progress(): the cost-to-cost measure of each obligation that uses it.
void Codegen::GenerateProgress() {
  vm::FunctionBuilder& f = module_.AddFunction("progress", {}, Type::kNone);
  Emitter e(module_, f, {});
  for (const ObligationDecl& obligation : file_.obligations) {
    if (obligation.recognition != RecognitionKind::kCostToCost) continue;
    Emitter::TempScope scope(e);
    const uint16_t cost = e.Fixed(Type::kMoney);
    const uint16_t estimate = e.Fixed(Type::kMoney);
    e.Load(cost, *vm::Value::MakeMoney(file_.currency, 0));
    e.Load(estimate, *vm::Value::MakeMoney(file_.currency, 0));
    bool pass_through = false;
    for (const PassThroughDecl& pass : file_.pass_throughs) {
      if (pass.obligation != obligation.name) continue;
      // Measured by what the pass-through has spent over its budget.
      pass_through = true;
      const uint16_t spent =
          GetMoney(e, ConstKey(e, abi::kPrefixMoney, abi::Key(abi::kPassThroughSpend, pass.name)));
      e.Op(Opcode::kMadd, cost, cost, spent, 4);
      e.Op(Opcode::kMadd, estimate, estimate, e.Money(*pass.budget_minor, file_.currency), 4);
    }
    if (!pass_through) {
      // Service costs incurred over the latest estimate at completion.
      e.Op(Opcode::kMove, cost, GetMoney(e, ConstKey(e, abi::kPrefixMoney, "cost_incurred")));
      e.Op(Opcode::kMove, estimate,
           GetMoney(e, ConstKey(e, abi::kPrefixMoney, "estimate_at_completion")));
    }
    const uint16_t progress = e.Temp(Type::kRational);
    e.Op(Opcode::kRnew, progress, e.Int(0), e.Int(1), 4);
    const uint16_t known = e.Temp(Type::kBool);
    e.Op(Opcode::kLtv, known, Zero(e), estimate, 4);
    e.If(known, [&] {
      e.Op(Opcode::kMratio, progress, cost, estimate, 4);
      // Progress never exceeds 100 %: costs beyond the estimate wait for a new estimate.
      const uint16_t one = e.Temp(Type::kRational);
      e.Op(Opcode::kRnew, one, e.Int(1), e.Int(1), 4);
      const uint16_t over = e.Temp(Type::kBool);
      e.Op(Opcode::kLtv, over, one, progress, 4);
      e.If(over, [&] { e.Op(Opcode::kMove, progress, one); });
    });
    EmitEvent(e, "progress_updated",
              {{"obligation", e.Str(obligation.name)},
               {"cost_to_date", cost},
               {"estimate_at_completion", estimate},
               {"progress", progress}});
  }
  e.Op(Opcode::kRetv);
  progress_ = GenFunction{&f, e.worst_case_gas()};
}

void Codegen::SettleUnitFee(Emitter& e, const UnitFeeDecl& fee, uint16_t fact_id) {
  Emitter::TempScope scope(e);
  const uint16_t earned = GetInt(e, ConstKey(e, abi::kPrefixCounter, fee.counter));
  if (fee.cap_units > 0) {
    const uint16_t cap = e.Const(vm::Value::MakeInt(fee.cap_units));
    const uint16_t over = e.Temp(Type::kBool);
    e.Op(Opcode::kLt, over, cap, earned);
    e.If(over, [&] { e.Op(Opcode::kMove, earned, cap); });
  }
  const uint16_t key = ConstKey(e, abi::kPrefixUnits, fee.name);
  const uint16_t before = GetInt(e, key);
  const uint16_t changed = e.Temp(Type::kBool);
  e.Op(Opcode::kNe, changed, earned, before);
  e.If(changed, [&] {
    const uint16_t delta = e.Temp(Type::kInt);
    e.Op(Opcode::kSub, delta, earned, before);
    const uint16_t rate = e.Money(*fee.rate_minor, file_.currency);
    const uint16_t amount = e.Temp(Type::kMoney);
    e.Op(Opcode::kMmul, amount, rate, delta, 4);
    Put(e, key, earned, kIntValueBytes);
    const uint16_t gained = e.Temp(Type::kBool);
    e.Op(Opcode::kLt, gained, e.Int(0), delta);
    const uint16_t name = e.Str(fee.name);
    e.If(
        gained,
        [&] {
          EmitEvent(e, "units_earned",
                    {{"fee", name},
                     {"units", delta},
                     {"rate", rate},
                     {"amount", amount},
                     {"total_units", earned},
                     {"fact", fact_id}});
        },
        [&] {
          const uint16_t units = e.Temp(Type::kInt);
          e.Op(Opcode::kNeg, units, delta);
          const uint16_t reversed = e.Temp(Type::kMoney);
          e.Op(Opcode::kMneg, reversed, amount, 0, 4);
          EmitEvent(e, "units_reversed",
                    {{"fee", name},
                     {"units", units},
                     {"rate", rate},
                     {"amount", reversed},
                     {"total_units", earned},
                     {"fact", fact_id}});
        });
    CallFunction(e, invoice_, Type::kNone, {name, amount, e.Int(kInvoiceUnitFee)});
  });
}

uint16_t Codegen::Confirmed(Emitter& e, const MilestoneDecl& milestone) {
  const uint16_t confirmed = e.Temp(Type::kBool);
  e.Op(Opcode::kLt, confirmed, e.Int(0),
       GetInt(e, ConstKey(e, abi::kPrefixCounter, abi::ConfirmedCounter(milestone.name))));
  return confirmed;
}

void Codegen::MoveHoldback(Emitter& e, const HoldbackDecl& holdback, uint16_t milestone_name,
                           bool release) {
  const uint16_t total = GetMoney(e, ConstKey(e, abi::kPrefixHeld, holdback.name));
  Put(e, ConstKey(e, abi::kPrefixReleased, holdback.name), e.Int(release ? 1 : 0), kIntValueBytes);
  const uint16_t holdback_name = e.Str(holdback.name);
  EmitEvent(e, release ? "holdback_released" : "holdback_release_reversed",
            {{"holdback", holdback_name}, {"milestone", milestone_name}, {"amount", total}});
  const uint16_t any = e.Temp(Type::kBool);
  e.Op(Opcode::kLtv, any, Zero(e), total, 4);
  e.If(any, [&] {
    uint16_t amount = total;
    if (!release) {
      amount = e.Temp(Type::kMoney);
      e.Op(Opcode::kMneg, amount, total, 0, 4);
    }
    CallFunction(e, invoice_, Type::kNone, {holdback_name, amount, e.Int(kInvoiceNotWithheld)});
  });
}

uint16_t Codegen::Met(Emitter& e, const MilestoneDecl& milestone) {
  const ExprEnv env;
  const uint16_t met = e.Temp(Type::kBool);
  e.Op(Opcode::kMove, met, Expr(e, *milestone.when, env));
  if (milestone.confirmed) e.Op(Opcode::kAnd, met, met, Confirmed(e, milestone));
  return met;
}

void Codegen::SettleMilestone(Emitter& e, const MilestoneDecl& milestone, uint16_t fact_id,
                              uint16_t fact_date) {
  Emitter::TempScope scope(e);
  const ExprEnv env;
  const uint16_t status_key = ConstKey(e, abi::kPrefixMilestone, milestone.name);
  const uint16_t status = GetInt(e, status_key);
  const uint16_t pending = e.Temp(Type::kBool);
  e.Op(Opcode::kEq, pending, status, e.Int(abi::kMilestonePending));
  const uint16_t name = e.Str(milestone.name);
  const uint16_t amount = e.Money(*milestone.amount_minor, file_.currency);
  e.If(pending, [&] {
    if (milestone.constraint) {
      // Variable consideration enters the transaction price once the constraint is released.
      Emitter::TempScope inner(e);
      const uint16_t key = ConstKey(e, abi::kPrefixConstraint, milestone.name);
      const uint16_t released = GetInt(e, key);
      const uint16_t open = e.Temp(Type::kBool);
      e.Op(Opcode::kEq, open, released, e.Int(0));
      e.If(open, [&] {
        e.If(Expr(e, *milestone.constraint, env), [&] {
          Put(e, key, e.Int(1), kIntValueBytes);
          EmitEvent(e, "constraint_released",
                    {{"item", name}, {"amount", amount}, {"fact", fact_id}});
        });
      });
    }
    auto lapse = [&] {
      Put(e, status_key, e.Int(abi::kMilestoneLapsed), kIntValueBytes);
      EmitEvent(e, "incentive_lapsed",
                {{"item", name}, {"fact", fact_id}, {"fact_date", fact_date}});
    };
    auto achieve = [&] {
      Put(e, status_key, e.Int(abi::kMilestoneAchieved), kIntValueBytes);
      // Evidence: the fact that last changed each piece of state the condition reads, then the
      // fact that completed it; each once.
      const uint16_t evidence = e.Temp(Type::kList);
      e.Op(Opcode::kLnew, evidence);
      const uint16_t seen = e.Temp(Type::kMap);
      e.Op(Opcode::kMapnew, seen);
      const int64_t evidence_max = static_cast<int64_t>(milestone.evidence_counters.size()) + 1;
      const int64_t map_gas = 13 * (1 + kTextGasBound) + evidence_max;
      auto add = [&](uint16_t id) {
        e.If(NonEmpty(e, id), [&] {
          const uint16_t known = e.Temp(Type::kBool);
          e.Op(Opcode::kMaphas, known, seen, id, map_gas);
          e.Op(Opcode::kNot, known, known);
          e.If(known, [&] {
            e.Op(Opcode::kMapput, seen, id, e.Bool(true), map_gas);
            e.Op(Opcode::kLpush, evidence, id, 0, evidence_max);
          });
        });
      };
      for (const std::string& counter : milestone.evidence_counters) {
        Emitter::TempScope inner(e);
        add(Get(e, Type::kString, ConstKey(e, abi::kPrefixEvidence, counter), e.Str(""),
                kStoredTextBytes));
      }
      add(fact_id);
      const uint16_t height = e.Temp(Type::kInt);
      e.Op(Opcode::kHeight, height);
      const uint16_t now = e.Temp(Type::kTime);
      e.Op(Opcode::kBtime, now);
      const uint16_t record =
          Record(e, {"height", "time", "amount", "evidence", "fact", "fact_date"},
                 {height, now, amount, evidence, fact_id, fact_date});
      Put(e, ConstKey(e, abi::kPrefixAchievement, milestone.name), record,
          evidence_max * kStoredTextBytes + 128);
      EmitEvent(e, "milestone_achieved",
                {{"milestone", name},
                 {"kind", e.Str(abi::MilestoneKindName(MilestoneKindOf(milestone.kind)))},
                 {"amount", amount},
                 {"evidence", evidence},
                 {"fact", fact_id},
                 {"fact_date", fact_date}},
                evidence_max * kStoredTextBytes + 8);
      CallFunction(e, invoice_, Type::kNone,
                   {name, amount, e.Int(InvoiceCategoryOf(file_, milestone))});
      for (const HoldbackDecl& holdback : file_.holdbacks) {
        if (holdback.released_by != milestone.name) continue;
        Emitter::TempScope inner(e);
        MoveHoldback(e, holdback, name, /*release=*/true);
      }
    };
    const uint16_t met = Met(e, milestone);
    uint16_t late = 0;
    if (milestone.deadline_ms) {
      late = e.Temp(Type::kBool);
      e.Op(Opcode::kLtv, late, e.Const(vm::Value::MakeTime(*milestone.deadline_ms)), fact_date, 4);
    }
    e.If(
        met,
        [&] {
          if (milestone.deadline_ms) {
            e.If(late, lapse, achieve);
          } else {
            achieve();
          }
        },
        [&] {
          if (milestone.deadline_ms) e.If(late, lapse);
        });
  });
}

// requirements() -> list of bool: for each milestone in SOW order, whether each part of its
// condition holds now (MilestoneParts), then, for a confirmed one, whether it is confirmed.
// Read-only: `milestones show` lists what a pending milestone still waits for from it.
void Codegen::GenerateRequirements() {
  vm::FunctionBuilder& f = module_.AddFunction("requirements", {}, Type::kList);
  Emitter e(module_, f, {});
  int64_t count = 0;
  for (const MilestoneDecl& milestone : file_.milestones)
    count += static_cast<int64_t>(MilestoneParts(milestone).size()) + (milestone.confirmed ? 1 : 0);
  const uint16_t holds = e.Fixed(Type::kList);
  e.Op(Opcode::kLnew, holds);
  const ExprEnv env;
  for (const MilestoneDecl& milestone : file_.milestones) {
    for (const contracts::Expr* part : MilestoneParts(milestone)) {
      Emitter::TempScope scope(e);
      e.Op(Opcode::kLpush, holds, Expr(e, *part, env), 0, count);
    }
    if (milestone.confirmed) {
      Emitter::TempScope scope(e);
      e.Op(Opcode::kLpush, holds, Confirmed(e, milestone), 0, count);
    }
  }
  e.Op(Opcode::kRet, holds);
  module_.AddEntryPoint(std::string(abi::kEntryRequirements), f.index());
  out_.entry_gas.emplace_back(abi::kEntryRequirements, e.worst_case_gas());
}

// settle(fact_id: string, fact_date: time)
void Codegen::GenerateSettle() {
  const std::vector<Type> params = {Type::kString, Type::kTime};
  vm::FunctionBuilder& f = module_.AddFunction("settle", params, Type::kNone);
  Emitter e(module_, f, params);
  for (const UnitFeeDecl& fee : file_.unit_fees)
    SettleUnitFee(e, fee, 0);
  for (const MilestoneDecl& milestone : file_.milestones)
    SettleMilestone(e, milestone, 0, 1);
  e.Op(Opcode::kRetv);
  settle_ = GenFunction{&f, e.worst_case_gas()};

  // settle_signed(fact_id: string, fact_date: time): what instantiation settles. Only the fees
  // due at signature: every other milestone waits for facts (an incentive's deadline, say, is
  // judged by fact dates, not by the block that signs the contract).
  std::vector<const MilestoneDecl*> at_signature;
  for (const MilestoneDecl& milestone : file_.milestones) {
    const auto& reads = milestone.evidence_counters;
    if (std::find(reads.begin(), reads.end(), abi::kStateContractSigned) != reads.end()) {
      at_signature.push_back(&milestone);
    }
  }
  if (at_signature.empty()) return;
  vm::FunctionBuilder& signed_f = module_.AddFunction("settle_signed", params, Type::kNone);
  Emitter signed_e(module_, signed_f, params);
  for (const MilestoneDecl* milestone : at_signature)
    SettleMilestone(signed_e, *milestone, 0, 1);
  signed_e.Op(Opcode::kRetv);
  settle_signed_ = GenFunction{&signed_f, signed_e.worst_case_gas()};
}

// conditions() -> list of bool: for each milestone in SOW order, whether it is met now (its
// condition and, for a confirmed one, its confirmation). A correction takes it before it reverses
// the earlier version, so unsettle can tell what the correction itself undid.
void Codegen::GenerateConditions() {
  vm::FunctionBuilder& f = module_.AddFunction("conditions", {}, Type::kList);
  Emitter e(module_, f, {});
  const uint16_t met = e.Fixed(Type::kList);
  e.Op(Opcode::kLnew, met);
  const int64_t count = static_cast<int64_t>(file_.milestones.size());
  for (const MilestoneDecl& milestone : file_.milestones) {
    Emitter::TempScope scope(e);
    e.Op(Opcode::kLpush, met, Met(e, milestone), 0, count);
  }
  e.Op(Opcode::kRet, met);
  conditions_ = GenFunction{&f, e.worst_case_gas()};
}

// unsettle(before: list of bool, fact_id: string, fact_date: time): after a correction or a
// retraction, each achieved milestone that was met before it and is not met now, in SOW order
// (so one that reads achieved(M) follows M), is reversed: back to pending, a credit for its
// amount, and a holdback it released is withheld again.
void Codegen::GenerateUnsettle() {
  const std::vector<Type> params = {Type::kList, Type::kString, Type::kTime};
  vm::FunctionBuilder& f = module_.AddFunction("unsettle", params, Type::kNone);
  Emitter e(module_, f, params);
  const uint16_t before = 0, fact_id = 1, fact_date = 2;
  const int64_t count = static_cast<int64_t>(file_.milestones.size());
  const uint16_t length = e.Fixed(Type::kInt);
  e.Op(Opcode::kLlen, length, before);
  const uint16_t complete = e.Fixed(Type::kBool);
  e.Op(Opcode::kEq, complete, length, e.Int(count));
  e.If(complete, [&] {
    for (size_t i = 0; i < file_.milestones.size(); ++i) {
      const MilestoneDecl& milestone = file_.milestones[i];
      Emitter::TempScope scope(e);
      const uint16_t status_key = ConstKey(e, abi::kPrefixMilestone, milestone.name);
      const uint16_t lost = e.Temp(Type::kBool);
      e.Op(Opcode::kEq, lost, GetInt(e, status_key), e.Int(abi::kMilestoneAchieved));
      const uint16_t was = e.Temp(Type::kBool);
      e.Op(Opcode::kLget, was, before, e.Int(static_cast<int64_t>(i)));
      e.Op(Opcode::kAnd, lost, lost, was);
      const uint16_t gone = e.Temp(Type::kBool);
      e.Op(Opcode::kNot, gone, Met(e, milestone));
      e.Op(Opcode::kAnd, lost, lost, gone);
      e.If(lost, [&] { ReverseMilestone(e, milestone, status_key, fact_id, fact_date); });
    }
  });
  e.Op(Opcode::kRetv);
  unsettle_ = GenFunction{&f, e.worst_case_gas()};
}

void Codegen::ReverseMilestone(Emitter& e, const MilestoneDecl& milestone, uint16_t status_key,
                               uint16_t fact_id, uint16_t fact_date) {
  Put(e, status_key, e.Int(abi::kMilestonePending), kIntValueBytes);
  e.Op(Opcode::kSdel, ConstKey(e, abi::kPrefixAchievement, milestone.name), 0, 0, kKeyBytesBound);
  const uint16_t name = e.Str(milestone.name);
  const uint16_t amount = e.Money(*milestone.amount_minor, file_.currency);
  EmitEvent(e, "milestone_reversed",
            {{"milestone", name},
             {"kind", e.Str(abi::MilestoneKindName(MilestoneKindOf(milestone.kind)))},
             {"amount", amount},
             {"fact", fact_id},
             {"fact_date", fact_date}});
  const uint16_t credit = e.Temp(Type::kMoney);
  e.Op(Opcode::kMneg, credit, amount, 0, 4);
  CallFunction(e, invoice_, Type::kNone,
               {name, credit, e.Int(InvoiceCategoryOf(file_, milestone))});
  for (const HoldbackDecl& holdback : file_.holdbacks) {
    if (holdback.released_by != milestone.name) continue;
    Emitter::TempScope scope(e);
    const uint16_t released_key = ConstKey(e, abi::kPrefixReleased, holdback.name);
    const uint16_t released = e.Temp(Type::kBool);
    e.Op(Opcode::kNe, released, GetInt(e, released_key), e.Int(0));
    e.If(released, [&] { MoveHoldback(e, holdback, name, /*release=*/false); });
  }
}

}  // namespace tl::contracts
