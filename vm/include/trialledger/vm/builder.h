// A C++ API for producing modules: the SOW compiler and tests use it instead of writing bytes.
//
//   ModuleBuilder mb;
//   FunctionBuilder& f = mb.AddFunction("sum_to", {Type::kInt}, Type::kInt);
//   uint16_t n = f.Param(0), i = f.AddRegister(Type::kInt), s = f.AddRegister(Type::kInt);
//   Label loop = f.NewLabel(), done = f.NewLabel();
//   f.Emit(Opcode::kJle, n, i, done);   // jumps name labels, bound later
//   f.Bind(loop);
//   f.Emit(Opcode::kAdd, s, s, i);
//   f.Emit(Opcode::kAddi, i, i, 1);
//   f.Emit(Opcode::kJlt, i, n, loop);
//   f.Bind(done);
//   f.Emit(Opcode::kRet, s);
//   mb.AddEntryPoint("sum_to", f.index());
//   absl::StatusOr<std::string> bytes = mb.BuildBytes();
//
// Build resolves labels and checks only what the builder itself can get wrong (unbound labels);
// the verifier checks everything else when the module is loaded.
#ifndef TRIALLEDGER_VM_BUILDER_H_
#define TRIALLEDGER_VM_BUILDER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/vm/module.h"

namespace tl::vm {

struct Label {
  uint32_t id = 0;
};

class FunctionBuilder {
 public:
  uint32_t index() const { return index_; }
  const std::string& name() const { return name_; }
  uint16_t Param(uint16_t i) const { return i; }
  uint16_t AddRegister(Type type);

  Label NewLabel();
  void Bind(Label label);  // the next emitted instruction is the label's target

  // `mode` is a RoundingMode for the instructions that take one.
  void Emit(Opcode op, uint16_t a = 0, uint16_t b = 0, uint16_t c = 0, uint8_t mode = 0);
  void Emit(Opcode op, uint16_t a, uint16_t b, Label target);  // jumps and branches
  void Emit(Opcode op, uint16_t a, uint16_t b, uint16_t c, RoundingMode mode) {
    Emit(op, a, b, c, static_cast<uint8_t>(mode));
  }
  size_t size() const { return function_.code.size(); }

 private:
  friend class ModuleBuilder;
  FunctionBuilder(uint32_t index, std::string name) : index_(index), name_(std::move(name)) {}

  uint32_t index_;
  std::string name_;
  Function function_;
  std::vector<int64_t> label_targets_;               // -1 while unbound
  std::vector<std::pair<size_t, uint32_t>> fixups_;  // instruction index, label id
};

class ModuleBuilder {
 public:
  // Constants are deduplicated by value; shapes by field names.
  uint16_t AddConstant(const Value& value);
  uint16_t AddShape(const RecordShape& field_names);
  FunctionBuilder& AddFunction(std::string name, const std::vector<Type>& params, Type result);
  void AddEntryPoint(std::string name, uint32_t function);

  absl::StatusOr<Module> Build() const;
  absl::StatusOr<std::string> BuildBytes() const;

 private:
  Module module_;
  std::map<std::string, uint16_t> constant_index_;  // encoded value or shape -> index
  std::deque<FunctionBuilder> functions_;           // stable references
};

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_BUILDER_H_
