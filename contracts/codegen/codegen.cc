// Entry points and the order the generated functions are built in (a callee before its callers,
// so every call site knows its callee's gas bound).
#include "codegen_internal.h"
#include "trialledger/base/check.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/limits.h"
#include "trialledger/vm/opcodes.h"

namespace tl::contracts {

using vm::Opcode;
using vm::Type;

namespace {
// Gas of `payload` and `decode` on a maximal transaction, and of the loop around each fact.
constexpr int64_t kPayloadGasBound = 16 + kPayloadBytesBound + kPayloadBytesBound / 8;
constexpr int64_t kPerFactOverheadGas = 64;
}  // namespace

// init(): payload is a map from parameter name to value; absent parameters keep their default.
void Codegen::GenerateInit() {
  vm::FunctionBuilder& f = module_.AddFunction("init", {}, Type::kNone);
  Emitter e(module_, f, {});
  const uint16_t version_key = e.Bytes(abi::kKeyVersion);
  const uint16_t fresh = e.Fixed(Type::kBool);
  e.Op(Opcode::kEq, fresh, GetInt(e, version_key), e.Int(0));
  e.Op(Opcode::kCheck, fresh, e.Str("the contract is already instantiated"));
  const uint16_t payload = e.Fixed(Type::kBytes);
  e.Op(Opcode::kPayload, payload, 0, 0, kPayloadBytesBound / 8);
  const uint16_t values = e.Fixed(Type::kMap);
  e.Op(Opcode::kDecode, values, payload, 0, kPayloadBytesBound);
  const int64_t map_gas = 13 * (1 + kTextGasBound);
  for (const ParameterDecl& parameter : file_.parameters) {
    Emitter::TempScope scope(e);
    const uint16_t name = e.Str(parameter.name);
    const uint16_t given = e.Temp(Type::kBool);
    e.Op(Opcode::kMaphas, given, values, name, map_gas);
    e.If(given, [&] {
      const uint16_t value = e.Temp(VmType(parameter.type));
      e.Op(Opcode::kMapget, value, values, name, map_gas);
      Put(e, ConstKey(e, abi::kPrefixParameter, parameter.name), value, kStoredTextBytes);
    });
  }
  Put(e, version_key, e.Const(vm::Value::MakeInt(file_.version)), kIntValueBytes);
  Put(e, ConstKey(e, abi::kPrefixCounter, abi::kStateContractSigned), e.Int(1), kIntValueBytes);
  EmitEvent(e, "contract_instantiated",
            {{"contract", e.Str(file_.contract.name)},
             {"version", e.Const(vm::Value::MakeInt(file_.version))}});
  if (settle_signed_.builder != nullptr) {
    // Fees due at signature (`when contract_signed`) are achieved now.
    const uint16_t now = e.Fixed(Type::kTime);
    e.Op(Opcode::kBtime, now);
    CallFunction(e, settle_signed_, Type::kNone,
                 {e.Str(StrCat("signature/v", file_.version)), now});
  }
  e.Op(Opcode::kRetv);
  module_.AddEntryPoint(std::string(abi::kEntryInit), f.index());
  out_.entry_gas.emplace_back(abi::kEntryInit, e.worst_case_gas());
}

// submit() -> list: payload is a list of fact records; one result record per fact.
void Codegen::GenerateSubmit() {
  const int64_t per_fact = GasAdd(process_fact_.gas, kPerFactOverheadGas);
  const int64_t room = kGasPerTransaction - kPayloadGasBound - 1024;
  out_.facts_per_batch_max = std::min<int64_t>(kFactsPerBatchMax, room / per_fact);
  if (out_.facts_per_batch_max < 1) {
    throw CompileError{
        file_.contract.span,
        StrCat("one fact may need up to ", per_fact, " gas, more than a transaction's ",
               kGasPerTransaction, "; the SOW has too many milestones, fees or rules")};
  }
  vm::FunctionBuilder& f = module_.AddFunction("submit", {}, Type::kList);
  Emitter e(module_, f, {});
  const uint16_t version = e.Fixed(Type::kInt);
  e.Op(Opcode::kMove, version, GetInt(e, e.Bytes(abi::kKeyVersion)));
  const uint16_t current = e.Fixed(Type::kBool);
  e.Op(Opcode::kEq, current, version, e.Const(vm::Value::MakeInt(file_.version)));
  e.Op(Opcode::kCheck, current,
       e.Str(StrCat("the contract's state is not at version ", file_.version,
                    " (not instantiated, or amended to another version)")));
  const uint16_t payload = e.Fixed(Type::kBytes);
  e.Op(Opcode::kPayload, payload, 0, 0, kPayloadBytesBound / 8);
  const uint16_t facts = e.Fixed(Type::kList);
  e.Op(Opcode::kDecode, facts, payload, 0, kPayloadBytesBound);
  const uint16_t count = e.Fixed(Type::kInt);
  e.Op(Opcode::kLlen, count, facts);
  const uint16_t fits = e.Fixed(Type::kBool);
  e.Op(Opcode::kLe, fits, count, e.Int(out_.facts_per_batch_max));
  e.Op(Opcode::kCheck, fits,
       e.Str(
           StrCat("a batch holds at most ", out_.facts_per_batch_max, " facts for this contract")));
  const uint16_t results = e.Fixed(Type::kList);
  e.Op(Opcode::kLnew, results);
  e.For(count, out_.facts_per_batch_max, [&](uint16_t i) {
    Emitter::TempScope scope(e);
    const uint16_t fact = e.Temp(Type::kRecord);
    e.Op(Opcode::kLget, fact, facts, i);
    const uint16_t result = CallFunction(e, process_fact_, Type::kRecord, {fact, i});
    e.Op(Opcode::kLpush, results, result, 0, kFactsPerBatchMax);
  });
  e.Op(Opcode::kRet, results);
  module_.AddEntryPoint(std::string(abi::kEntrySubmit), f.index());
  out_.entry_gas.emplace_back(abi::kEntrySubmit, e.worst_case_gas());
}

// migrate(): payload is the version the state was at; this code's version takes over, and unit
// fees and milestones are settled again under the amended terms.
void Codegen::GenerateMigrate() {
  vm::FunctionBuilder& f = module_.AddFunction("migrate", {}, Type::kNone);
  Emitter e(module_, f, {});
  const uint16_t payload = e.Fixed(Type::kBytes);
  e.Op(Opcode::kPayload, payload, 0, 0, 4);
  const uint16_t previous = e.Fixed(Type::kInt);
  e.Op(Opcode::kDecode, previous, payload, 0, 16);
  const uint16_t version_key = e.Bytes(abi::kKeyVersion);
  const uint16_t ok = e.Fixed(Type::kBool);
  e.Op(Opcode::kEq, ok, GetInt(e, version_key), previous);
  e.Op(Opcode::kCheck, ok, e.Str("the contract's state is not at the version being amended"));
  const uint16_t version = e.Const(vm::Value::MakeInt(file_.version));
  e.Op(Opcode::kLt, ok, previous, version);
  e.Op(Opcode::kCheck, ok, e.Str("an amendment must raise the version"));
  Put(e, version_key, version, kIntValueBytes);
  EmitEvent(e, "contract_amended", {{"from_version", previous}, {"to_version", version}});
  const uint16_t now = e.Fixed(Type::kTime);
  e.Op(Opcode::kBtime, now);
  const uint16_t label = e.Str(StrCat("amendment/v", file_.version));
  CallFunction(e, settle_, Type::kNone, {label, now});
  CallFunction(e, progress_, Type::kNone, {});
  e.Op(Opcode::kRetv);
  module_.AddEntryPoint(std::string(abi::kEntryMigrate), f.index());
  out_.entry_gas.emplace_back(abi::kEntryMigrate, e.worst_case_gas());
}

GeneratedModule Codegen::Run() {
  for (size_t i = 0; i < file_.functions.size(); ++i)
    GenerateUserFunction(i);
  GenerateInvoice();
  GenerateProgress();
  GenerateSettle();
  GenerateConditions();
  GenerateUnsettle();
  GenerateAuthorize();
  GeneratePassThroughOf();
  GenerateValidate();
  GenerateReverse();
  if (HasHoldRules()) {
    GenerateHoldReason();
    GenerateProcessFact(/*released=*/true);
  }
  GenerateProcessFact(/*released=*/false);
  GenerateInit();
  GenerateSubmit();
  GenerateMigrate();
  GenerateRequirements();
  absl::StatusOr<std::string> bytes = module_.BuildBytes();
  // Fails only on a jump to a label the generator never bound: a generator bug, not the SOW's.
  TL_CHECK_MSG(bytes.ok(), MessageOf(bytes.status()));
  out_.module_bytes = *std::move(bytes);
  return std::move(out_);
}

GeneratedModule Generate(const SowFile& file) {
  return Codegen(file).Run();
}

}  // namespace tl::contracts
