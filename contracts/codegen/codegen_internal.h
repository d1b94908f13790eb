// The code generator's shared state and helpers; see codegen.h for the generated functions.
#ifndef TRIALLEDGER_CONTRACTS_CODEGEN_INTERNAL_H_
#define TRIALLEDGER_CONTRACTS_CODEGEN_INTERNAL_H_

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "codegen.h"
#include "emitter.h"
#include "trialledger/contracts/abi.h"
#include "trialledger/contracts/ast.h"
#include "trialledger/contracts/limits.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/vm/builder.h"

namespace tl::contracts {

// Encoded sizes of stored values (value_codec), for gas bounds. The limits on what is stored
// (effects per fact, a stored fact's bytes) are contracts/limits.h's.
inline constexpr int64_t kIntValueBytes = 9;
inline constexpr int64_t kMoneyValueBytes = 24;
inline constexpr int64_t kTextValueBytes = kTextBytesBound + 5;
// A payload is never larger than the transaction that carries it.
inline constexpr int64_t kPayloadBytesBound = static_cast<int64_t>(limits::kTxBytesMax);
// Storage keys: a prefix of at most 16 bytes and a name, fact id ("<system>/<record>", 129
// bytes at most) or fact field.
inline constexpr int64_t kKeyBytesBound = 160;
// Text stored or emitted: SOW names, fact ids and fact fields.
inline constexpr int64_t kStoredTextBytes = kKeyBytesBound + 5;

// A generated function and the bound on the gas one call of it can use.
struct GenFunction {
  vm::FunctionBuilder* builder = nullptr;
  int64_t gas = 0;
};

// Where an expression is compiled: the locals of a SOW function, or the fact under validation.
struct ExprEnv {
  const std::vector<uint16_t>* locals = nullptr;
  bool has_fact = false;
  uint16_t fact = 0;
};

// Registers of process_fact that the hold helpers read or set.
struct FactRegs {
  uint16_t fact = 0, id = 0, index = 0;
  uint16_t content = 0;   // the fact's content record
  uint16_t code = 0;      // the result code so far (int)
  uint16_t was_held = 0;  // bool: the fact replaces a held one
};

// A piece of a generated message: literal text or a string register.
using Piece = std::variant<std::string, uint16_t>;

class Codegen {
 public:
  explicit Codegen(const SowFile& file) : file_(file) {}
  GeneratedModule Run();

 private:
  // codegen_expr.cc
  uint16_t Expr(Emitter& e, const contracts::Expr& expr, const ExprEnv& env);
  uint16_t Call(Emitter& e, const contracts::Expr& expr, const ExprEnv& env);
  uint16_t Compare(Emitter& e, const contracts::Expr& expr, uint16_t left, uint16_t right);
  uint16_t Arithmetic(Emitter& e, const contracts::Expr& expr, uint16_t left, uint16_t right);
  void GenerateUserFunction(size_t index);
  void Statements(Emitter& e, const std::vector<Stmt>& body, const std::vector<uint16_t>& slots);

  // codegen_helpers.cc: storage, text, events and results.
  uint16_t Key(Emitter& e, std::string_view prefix, uint16_t name);  // bytes key prefix+name
  uint16_t ConstKey(Emitter& e, std::string_view prefix, std::string_view name);
  uint16_t Get(Emitter& e, vm::Type type, uint16_t key, uint16_t fallback, int64_t value_bytes);
  uint16_t GetInt(Emitter& e, uint16_t key);
  uint16_t GetMoney(Emitter& e, uint16_t key);
  void Put(Emitter& e, uint16_t key, uint16_t value, int64_t value_bytes);
  uint16_t Concat(Emitter& e, std::initializer_list<Piece> pieces);
  // A bool register: whether a string or bytes register holds anything.
  uint16_t NonEmpty(Emitter& e, uint16_t text);
  // A bool register: whether the int register `kind` is one of `kinds`.
  uint16_t KindIn(Emitter& e, uint16_t kind, const std::vector<FactKind>& kinds);
  uint16_t Zero(Emitter& e);  // zero money in the contract currency
  // `list_bytes` bounds the encoding of a list field (evidence), if there is one.
  void EmitEvent(Emitter& e, std::string_view name,
                 std::initializer_list<std::pair<std::string, uint16_t>> fields,
                 int64_t list_bytes = 0);
  uint16_t Record(Emitter& e, const std::vector<std::string>& names,
                  const std::vector<uint16_t>& values);
  uint16_t CallFunction(Emitter& e, const GenFunction& callee, vm::Type result,
                        std::initializer_list<uint16_t> args);
  // if (reg == case) arm, else the next case, else `otherwise`; the bound is the costliest arm.
  void Switch(Emitter& e, uint16_t reg,
              const std::vector<std::pair<int64_t, std::function<void()>>>& cases,
              const std::function<void()>& otherwise);
  static vm::Type VmType(SowType type);
  vm::Value LiteralValue(const contracts::Expr& expr) const;

  // codegen_settle.cc
  void GenerateInvoice();
  void GenerateProgress();
  void GenerateSettle();
  void SettleUnitFee(Emitter& e, const UnitFeeDecl& fee, uint16_t fact_id);
  void SettleMilestone(Emitter& e, const MilestoneDecl& milestone, uint16_t fact_id,
                       uint16_t fact_date);
  // A bool register: whether a `confirmed` milestone has its confirmation.
  uint16_t Confirmed(Emitter& e, const MilestoneDecl& milestone);
  // A bool register: whether the milestone's condition holds, and its confirmation if it needs one.
  uint16_t Met(Emitter& e, const MilestoneDecl& milestone);
  // Releases a holdback (invoicing what it withheld) or, reversing that, withholds it again.
  void MoveHoldback(Emitter& e, const HoldbackDecl& holdback, uint16_t milestone_name,
                    bool release);
  void GenerateConditions();
  void GenerateUnsettle();
  void ReverseMilestone(Emitter& e, const MilestoneDecl& milestone, uint16_t status_key,
                        uint16_t fact_id, uint16_t fact_date);
  void GenerateRequirements();

  // codegen_facts.cc
  void GenerateAuthorize();
  void GeneratePassThroughOf();
  void GenerateValidate();
  void GenerateReverse();
  void GenerateProcessFact(bool released);
  uint16_t ContentOf(Emitter& e, uint16_t fact);  // the content record of a fact record

  // codegen_hold.cc: facts that wait for their site's activation (`else hold`).
  bool HasHoldRules() const;
  bool HoldsKind(FactKind kind) const;
  void GenerateHoldReason();
  uint16_t HeldQueue(Emitter& e, uint16_t queue_key);  // the list of ids under hq/<site>
  // A fact whose id is held: a duplicate, a refused resubmission, or a correction or retraction
  // that takes the held fact out of its queue (then code = corrected, was_held = true).
  void TakeHeld(Emitter& e, const FactRegs& regs,
                const std::function<void(uint16_t, uint16_t)>& result);
  // Holds the fact if a hold rule fails at a site never activated, and returns `held`.
  void HoldIfInactive(Emitter& e, const FactRegs& regs,
                      const std::function<void(uint16_t, uint16_t)>& result,
                      const std::function<void(uint16_t)>& reject);
  // After a site_activated fact applies: every fact held for its site, in order.
  void ReleaseHeld(Emitter& e, uint16_t activation, uint16_t activation_id, uint16_t index);

  // codegen.cc: entry points.
  void GenerateInit();
  void GenerateSubmit();
  void GenerateMigrate();

  const SowFile& file_;
  vm::ModuleBuilder module_;
  std::vector<GenFunction> user_functions_;
  GenFunction authorize_, pass_through_of_, validate_, reverse_, process_fact_, settle_, invoice_,
      progress_;
  GenFunction hold_reason_, apply_released_;  // only with hold rules
  GenFunction conditions_, unsettle_;
  // Settles only the milestones due at signature (`when` reads contract_signed); unset when there
  // are none.
  GenFunction settle_signed_;
  GeneratedModule out_;
};

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_CODEGEN_INTERNAL_H_
