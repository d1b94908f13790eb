#include "byte_io.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/vm/module.h"
#include "trialledger/vm/value_codec.h"

namespace tl::vm {
namespace {

using internal::ByteReader;

// Constant kinds: a value type tag, or this marker for a record shape.
constexpr uint8_t kShapeConstantTag = 0x80;

std::string Encode(const Module& module, std::vector<uint32_t>* code_offsets) {
  std::string out(kModuleMagic);
  AppendLittleEndian<uint16_t>(module.format_version, &out);
  AppendLittleEndian<uint16_t>(module.gas_schedule_version, &out);
  AppendLittleEndian<uint32_t>(module.constants.size(), &out);
  for (const Constant& constant : module.constants) {
    if (constant.shape != nullptr) {
      out.push_back(static_cast<char>(kShapeConstantTag));
      out.push_back(static_cast<char>(constant.shape->size()));
      for (const std::string& name : *constant.shape) {
        out.push_back(static_cast<char>(name.size()));
        out.append(name);
      }
    } else {
      out.append(EncodeValue(constant.value));
    }
  }
  AppendLittleEndian<uint32_t>(module.functions.size(), &out);
  for (const Function& function : module.functions) {
    out.push_back(static_cast<char>(function.param_count));
    out.push_back(static_cast<char>(function.result_type));
    AppendLittleEndian<uint16_t>(function.register_types.size(), &out);
    for (Type type : function.register_types)
      out.push_back(static_cast<char>(type));
    AppendLittleEndian<uint32_t>(function.code.size(), &out);
    if (code_offsets != nullptr) code_offsets->push_back(out.size());
    for (const Instruction& instruction : function.code) {
      out.push_back(static_cast<char>(instruction.op));
      out.push_back(static_cast<char>(instruction.mode));
      AppendLittleEndian<uint16_t>(instruction.a, &out);
      AppendLittleEndian<uint16_t>(instruction.b, &out);
      AppendLittleEndian<uint16_t>(instruction.c, &out);
    }
  }
  AppendLittleEndian<uint32_t>(module.entry_points.size(), &out);
  for (const EntryPoint& entry : module.entry_points) {
    out.push_back(static_cast<char>(entry.name.size()));
    out.append(entry.name);
    AppendLittleEndian<uint32_t>(entry.function, &out);
  }
  return out;
}

class ModuleDecoder {
 public:
  explicit ModuleDecoder(std::string_view bytes) : bytes_(bytes), reader_(bytes) {}

  absl::StatusOr<Module> Decode() {
    if (bytes_.size() > kModuleBytesMax) {
      return absl::InvalidArgumentError(StrCat(
          "module of ", bytes_.size(), " bytes exceeds kModuleBytesMax (", kModuleBytesMax, ")"));
    }
    std::string_view magic;
    if (!reader_.ReadBytes(4, &magic) || magic != kModuleMagic) {
      return Fail("not a TrialLedger VM module (magic 'TLVM' missing)");
    }
    Module module;
    if (!reader_.Read(&module.format_version) || !reader_.Read(&module.gas_schedule_version)) {
      return Truncated();
    }
    if (module.format_version != kFormatVersion) {
      return Fail(StrCat("module format version ", module.format_version,
                         " is not supported; this VM reads version ", kFormatVersion));
    }
    if (module.gas_schedule_version != kGasScheduleVersion) {
      return Fail(StrCat("module gas schedule version ", module.gas_schedule_version,
                         " is not supported; this VM charges schedule ", kGasScheduleVersion));
    }
    if (absl::Status s = Constants(&module); !s.ok()) return s;
    if (absl::Status s = Functions(&module); !s.ok()) return s;
    if (absl::Status s = EntryPoints(&module); !s.ok()) return s;
    if (reader_.remaining() != 0) return Fail("trailing bytes after the entry points");
    return module;
  }

 private:
  absl::Status Fail(absl::string_view what) const {
    return absl::InvalidArgumentError(
        StrCat("module byte offset ", reader_.position(), ": ", what));
  }
  absl::Status Truncated() const { return Fail("module ends early"); }

  absl::Status Count(uint32_t limit, std::string_view what, uint32_t* count) {
    if (!reader_.Read(count)) return Truncated();
    if (*count > limit) {
      return Fail(StrCat(*count, " ", what, " exceed the limit of ", limit));
    }
    return absl::OkStatus();
  }

  absl::Status Name(std::string* name) {
    uint8_t length;
    std::string_view bytes;
    if (!reader_.Read(&length)) return Truncated();
    if (length == 0 || length > kNameBytesMax) return Fail("name length must be 1..64 bytes");
    if (!reader_.ReadBytes(length, &bytes)) return Truncated();
    *name = std::string(bytes);
    return absl::OkStatus();
  }

  absl::Status Constants(Module* module) {
    uint32_t count = 0;
    if (absl::Status s = Count(kConstantsMax, "constants", &count); !s.ok()) return s;
    module->constants.reserve(std::min<size_t>(count, reader_.remaining()));
    for (uint32_t i = 0; i < count; ++i) {
      Constant constant;
      std::string_view rest = reader_.rest();
      if (!rest.empty() && static_cast<uint8_t>(rest[0]) == kShapeConstantTag) {
        uint8_t tag, fields;
        if (!reader_.Read(&tag) || !reader_.Read(&fields)) return Truncated();
        if (fields > kRecordFieldsMax) return Fail("record shape has too many fields");
        auto shape = std::make_shared<RecordShape>(fields);
        for (std::string& name : *shape) {
          if (absl::Status s = Name(&name); !s.ok()) return s;
        }
        constant.shape = std::move(shape);
      } else {
        absl::StatusOr<Value> value = DecodeValuePrefix(&rest);
        if (!value.ok()) {
          return Fail(StrCat("constant ", i, ": ", value.status().message()));
        }
        std::string_view skipped;
        reader_.ReadBytes(reader_.remaining() - rest.size(), &skipped);
        constant.value = *std::move(value);
      }
      module->constants.push_back(std::move(constant));
    }
    return absl::OkStatus();
  }

  absl::Status Functions(Module* module) {
    uint32_t count = 0;
    if (absl::Status s = Count(kFunctionsMax, "functions", &count); !s.ok()) return s;
    uint64_t instructions_total = 0;
    for (uint32_t i = 0; i < count; ++i) {
      Function function;
      uint8_t result;
      uint16_t registers;
      if (!reader_.Read(&function.param_count) || !reader_.Read(&result) ||
          !reader_.Read(&registers)) {
        return Truncated();
      }
      function.result_type = static_cast<Type>(result);
      if (registers > reader_.remaining()) return Truncated();
      function.register_types.resize(registers);
      for (Type& type : function.register_types) {
        uint8_t raw = 0;
        reader_.Read(&raw);
        type = static_cast<Type>(raw);
      }
      uint32_t length;
      if (absl::Status s = Count(kInstructionsPerFunctionMax, "instructions", &length); !s.ok()) {
        return s;
      }
      instructions_total += length;
      if (instructions_total > kInstructionsPerModuleMax) {
        return Fail("module has more instructions than kInstructionsPerModuleMax");
      }
      if (uint64_t{length} * kInstructionBytes > reader_.remaining()) return Truncated();
      function.code.resize(length);
      for (Instruction& instruction : function.code) {
        uint8_t op = 0;
        reader_.Read(&op);
        reader_.Read(&instruction.mode);
        reader_.Read(&instruction.a);
        reader_.Read(&instruction.b);
        reader_.Read(&instruction.c);
        instruction.op = static_cast<Opcode>(op);
      }
      module->functions.push_back(std::move(function));
    }
    return absl::OkStatus();
  }

  absl::Status EntryPoints(Module* module) {
    uint32_t count = 0;
    if (absl::Status s = Count(kEntryPointsMax, "entry points", &count); !s.ok()) return s;
    for (uint32_t i = 0; i < count; ++i) {
      EntryPoint entry;
      if (absl::Status s = Name(&entry.name); !s.ok()) return s;
      if (!reader_.Read(&entry.function)) return Truncated();
      module->entry_points.push_back(std::move(entry));
    }
    return absl::OkStatus();
  }

  std::string_view bytes_;
  ByteReader reader_;
};

}  // namespace

std::string EncodeModule(const Module& module) {
  return Encode(module, nullptr);
}

std::vector<uint32_t> CodeOffsets(const Module& module) {
  std::vector<uint32_t> offsets;
  Encode(module, &offsets);
  return offsets;
}

absl::StatusOr<Module> DecodeModule(std::string_view bytes) {
  return ModuleDecoder(bytes).Decode();
}

}  // namespace tl::vm
