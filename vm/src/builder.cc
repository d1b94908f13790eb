#include "trialledger/vm/builder.h"

#include "trialledger/base/check.h"

#include "trialledger/base/str_cat.h"
#include "trialledger/vm/value_codec.h"

namespace tl::vm {

uint16_t FunctionBuilder::AddRegister(Type type) {
  function_.register_types.push_back(type);
  return static_cast<uint16_t>(function_.register_types.size() - 1);
}

Label FunctionBuilder::NewLabel() {
  label_targets_.push_back(-1);
  return Label{static_cast<uint32_t>(label_targets_.size() - 1)};
}

void FunctionBuilder::Bind(Label label) {
  TL_CHECK(label.id < label_targets_.size() && label_targets_[label.id] < 0);
  label_targets_[label.id] = static_cast<int64_t>(function_.code.size());
}

void FunctionBuilder::Emit(Opcode op, uint16_t a, uint16_t b, uint16_t c, uint8_t mode) {
  function_.code.push_back(Instruction{op, mode, a, b, c});
}

void FunctionBuilder::Emit(Opcode op, uint16_t a, uint16_t b, Label target) {
  TL_CHECK(target.id < label_targets_.size());
  fixups_.emplace_back(function_.code.size(), target.id);
  function_.code.push_back(Instruction{op, 0, a, b, 0});
}

uint16_t ModuleBuilder::AddConstant(const Value& value) {
  const std::string key = "v" + EncodeValue(value);
  auto [it, inserted] = constant_index_.emplace(key, module_.constants.size());
  if (inserted) module_.constants.push_back(Constant{value, nullptr});
  return it->second;
}

uint16_t ModuleBuilder::AddShape(const RecordShape& field_names) {
  std::string key = "s";
  for (const std::string& name : field_names)
    StrAppend(&key, name, '\0');
  auto [it, inserted] = constant_index_.emplace(key, module_.constants.size());
  if (inserted) {
    module_.constants.push_back(Constant{Value(), std::make_shared<RecordShape>(field_names)});
  }
  return it->second;
}

FunctionBuilder& ModuleBuilder::AddFunction(std::string name, const std::vector<Type>& params,
                                            Type result) {
  functions_.push_back(FunctionBuilder(functions_.size(), std::move(name)));
  FunctionBuilder& f = functions_.back();
  f.function_.register_types = params;
  f.function_.param_count = static_cast<uint8_t>(params.size());
  f.function_.result_type = result;
  return f;
}

void ModuleBuilder::AddEntryPoint(std::string name, uint32_t function) {
  module_.entry_points.push_back(EntryPoint{std::move(name), function});
}

absl::StatusOr<Module> ModuleBuilder::Build() const {
  Module module = module_;
  for (const FunctionBuilder& f : functions_) {
    Function function = f.function_;
    for (const auto& [pc, label] : f.fixups_) {
      if (f.label_targets_[label] < 0) {
        return absl::FailedPreconditionError(
            StrCat("function '", f.name_, "': instruction ", pc, " jumps to a label never bound"));
      }
      function.code[pc].c = static_cast<uint16_t>(f.label_targets_[label]);
    }
    module.functions.push_back(std::move(function));
  }
  return module;
}

absl::StatusOr<std::string> ModuleBuilder::BuildBytes() const {
  absl::StatusOr<Module> module = Build();
  if (!module.ok()) return module.status();
  return EncodeModule(*module);
}

}  // namespace tl::vm
