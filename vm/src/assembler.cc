#include "trialledger/vm/assembler.h"

#include <charconv>
#include <map>
#include <optional>
#include <vector>

#include "trialledger/base/str_cat.h"
#include "trialledger/vm/builder.h"

namespace tl::vm {
namespace {

// Splits a line into tokens: spaces and commas separate, "..." is one token, ';' comments.
std::vector<std::string_view> Tokenize(std::string_view line) {
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ';') break;
    if (c == ' ' || c == '\t' || c == ',' || c == '\r') {
      ++i;
      continue;
    }
    size_t end = i;
    if (c == '"') {
      for (++end; end < line.size() && line[end] != '"'; ++end) {
        if (line[end] == '\\') ++end;
      }
      end = std::min(end + 1, line.size());
    } else {
      while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != ',' &&
             line[end] != ';' && line[end] != '\r') {
        ++end;
      }
    }
    tokens.push_back(line.substr(i, end - i));
    i = end;
  }
  return tokens;
}

class Assembler {
 public:
  absl::StatusOr<Module> Run(std::string_view text) {
    std::vector<std::string_view> lines;
    for (size_t start = 0; start <= text.size();) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    // Pass 1: function names, so calls may precede the callee's definition.
    for (std::string_view line : lines) {
      const auto tokens = Tokenize(line);
      if (tokens.size() >= 2 && tokens[0] == ".func" &&
          !function_index_.emplace(std::string(tokens[1]), function_index_.size()).second) {
        return absl::InvalidArgumentError(StrCat("function '", tokens[1], "' is defined twice"));
      }
    }
    for (line_ = 0; line_ < lines.size(); ++line_) {
      if (absl::Status s = Line(Tokenize(lines[line_])); !s.ok()) return s;
    }
    if (function_ != nullptr) return Error("missing .end after the last function");
    return builder_.Build();
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(StrCat("line ", line_ + 1, ": ", what));
  }

  absl::Status Line(const std::vector<std::string_view>& t) {
    if (t.empty()) return absl::OkStatus();
    if (t[0] == ".const") return ConstLine(t);
    if (t[0] == ".shape") return ShapeLine(t);
    if (t[0] == ".func") return FuncLine(t);
    if (t[0] == ".entry") {
      if (t.size() != 3) return Error(".entry NAME FUNCTION");
      auto it = function_index_.find(std::string(t[2]));
      if (it == function_index_.end()) return Error(StrCat("unknown function '", t[2], "'"));
      builder_.AddEntryPoint(std::string(t[1]), it->second);
      return absl::OkStatus();
    }
    if (function_ == nullptr) return Error(StrCat("'", t[0], "' outside .func/.end"));
    if (t[0] == ".reg") {
      for (size_t i = 1; i < t.size(); ++i) {
        if (absl::Status s = Register(t[i]); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    if (t[0] == ".end") return EndFunction();
    if (t.size() == 1 && t[0].size() > 1 && t[0].back() == ':') {
      const std::string name(t[0].substr(0, t[0].size() - 1));
      if (!bound_labels_.insert({name, true}).second) return Error("label bound twice");
      function_->Bind(LabelNamed(name));
      return absl::OkStatus();
    }
    return InstructionLine(t);
  }

  absl::Status ConstLine(const std::vector<std::string_view>& t) {
    if (t.size() != 4) return Error(".const NAME TYPE LITERAL");
    const Type type = TypeFromName(t[2]);
    absl::StatusOr<Value> value = ParseLiteral(type, t[3]);
    if (!value.ok()) return Error(value.status().message());
    constants_[std::string(t[1])] = builder_.AddConstant(*value);
    return absl::OkStatus();
  }

  absl::Status ShapeLine(const std::vector<std::string_view>& t) {
    if (t.size() < 2) return Error(".shape NAME FIELD...");
    RecordShape fields(t.begin() + 2, t.end());
    shapes_[std::string(t[1])] = builder_.AddShape(fields);
    return absl::OkStatus();
  }

  absl::Status FuncLine(const std::vector<std::string_view>& t) {
    if (function_ != nullptr) return Error(".func inside a function; close it with .end");
    std::vector<std::pair<std::string_view, Type>> params;
    Type result = Type::kNone;
    for (size_t i = 2; i < t.size(); ++i) {
      if (t[i] == "->") {
        if (i + 2 != t.size()) return Error("'->' must be followed by one result type");
        result = t[i + 1] == "none" ? Type::kNone : TypeFromName(t[i + 1]);
        if (result == Type::kNone && t[i + 1] != "none") return Error("unknown result type");
        break;
      }
      const size_t colon = t[i].find(':');
      if (colon == std::string_view::npos) return Error("parameters are name:type");
      const Type type = TypeFromName(t[i].substr(colon + 1));
      if (type == Type::kNone) return Error(StrCat("unknown type in '", t[i], "'"));
      params.emplace_back(t[i].substr(0, colon), type);
    }
    std::vector<Type> types;
    for (const auto& p : params)
      types.push_back(p.second);
    function_ = &builder_.AddFunction(std::string(t[1]), types, result);
    registers_.clear();
    labels_.clear();
    bound_labels_.clear();
    for (size_t i = 0; i < params.size(); ++i) {
      if (!registers_.emplace(std::string(params[i].first), i).second) {
        return Error("parameter named twice");
      }
      register_types_.push_back(params[i].second);
    }
    return absl::OkStatus();
  }

  absl::Status Register(std::string_view token) {
    const size_t colon = token.find(':');
    if (colon == std::string_view::npos) return Error("registers are name:type");
    const Type type = TypeFromName(token.substr(colon + 1));
    if (type == Type::kNone) return Error(StrCat("unknown type in '", token, "'"));
    const uint16_t index = function_->AddRegister(type);
    register_types_.push_back(type);
    if (!registers_.emplace(std::string(token.substr(0, colon)), index).second) {
      return Error(StrCat("register '", token.substr(0, colon), "' declared twice"));
    }
    return absl::OkStatus();
  }

  absl::Status EndFunction() {
    for (const auto& [name, label] : labels_) {
      if (!bound_labels_.contains(name)) return Error(StrCat("label '", name, "' never bound"));
    }
    function_ = nullptr;
    register_types_.clear();
    return absl::OkStatus();
  }

  Label LabelNamed(const std::string& name) {
    auto it = labels_.find(name);
    if (it == labels_.end()) it = labels_.emplace(name, function_->NewLabel()).first;
    return it->second;
  }

  absl::Status InstructionLine(const std::vector<std::string_view>& t) {
    std::string_view mnemonic = t[0];
    uint8_t mode = 0;
    if (const size_t dot = mnemonic.find('.'); dot != std::string_view::npos) {
      const std::string_view mode_name = mnemonic.substr(dot + 1);
      mnemonic = mnemonic.substr(0, dot);
      for (uint8_t m = 1; m <= 6; ++m) {
        if (RoundingModeName(static_cast<RoundingMode>(m)) == mode_name) mode = m;
      }
      if (mode == 0) return Error(StrCat("unknown rounding mode '", mode_name, "'"));
    }
    const std::optional<Opcode> op = OpcodeFromMnemonic(mnemonic);
    if (!op.has_value()) return Error(StrCat("unknown instruction '", mnemonic, "'"));
    const OpcodeInfo& info = GetOpcodeInfo(*op);
    const OperandKind kinds[3] = {info.a, info.b, info.c};
    uint16_t values[3] = {0, 0, 0};
    std::optional<Label> target;
    size_t next = 1;
    for (int slot = 0; slot < 3; ++slot) {
      if (kinds[slot] == OperandKind::kNone) continue;
      if (next >= t.size()) return Error(StrCat(mnemonic, ": too few operands"));
      const std::string_view token = t[next++];
      if (kinds[slot] == OperandKind::kTarget) {
        target = LabelNamed(std::string(token));
        continue;
      }
      const Type type_of_a =
          slot > 0 && values[0] < register_types_.size() ? register_types_[values[0]] : Type::kNone;
      absl::StatusOr<uint16_t> value = Operand(kinds[slot], token, type_of_a);
      if (!value.ok()) return value.status();
      values[slot] = *value;
    }
    if (next != t.size()) return Error(StrCat(mnemonic, ": too many operands"));
    if (target.has_value()) {
      function_->Emit(*op, values[0], values[1], *target);
    } else {
      function_->Emit(*op, values[0], values[1], values[2], mode);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<uint16_t> Operand(OperandKind kind, std::string_view token, Type type_of_a) {
    switch (kind) {
      case OperandKind::kImmSigned:
      case OperandKind::kImmUnsigned: {
        if (token == "true" || token == "false") return uint16_t{token == "true"};
        int64_t value;
        auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
        const bool is_signed = kind == OperandKind::kImmSigned;
        if (error != std::errc() || end != token.data() + token.size() ||
            value < (is_signed ? -32768 : 0) || value > (is_signed ? 32767 : 65535)) {
          return Error(StrCat("'", token, "' is not a 16-bit immediate"));
        }
        return static_cast<uint16_t>(value);
      }
      case OperandKind::kFunction: {
        auto it = function_index_.find(std::string(token));
        if (it == function_index_.end()) return Error(StrCat("unknown function '", token, "'"));
        return static_cast<uint16_t>(it->second);
      }
      case OperandKind::kConstShape: {
        auto it = shapes_.find(std::string(token));
        if (it == shapes_.end()) return Error(StrCat("unknown shape '", token, "'"));
        return it->second;
      }
      case OperandKind::kConstOfA:
      case OperandKind::kConstString: {
        if (token.starts_with("$")) {
          auto it = constants_.find(std::string(token.substr(1)));
          if (it == constants_.end()) return Error(StrCat("unknown constant '", token, "'"));
          return it->second;
        }
        const Type type = kind == OperandKind::kConstString ? Type::kString : type_of_a;
        absl::StatusOr<Value> value = ParseLiteral(type, token);
        if (!value.ok()) return Error(value.status().message());
        return builder_.AddConstant(*value);
      }
      case OperandKind::kRegCallResult:
      case OperandKind::kRegRun:  // `_`: no result, or no arguments
        if (token == "_") return uint16_t{0};
        [[fallthrough]];
      default: {
        auto it = registers_.find(std::string(token));
        if (it == registers_.end()) return Error(StrCat("unknown register '", token, "'"));
        return it->second;
      }
    }
  }

  ModuleBuilder builder_;
  FunctionBuilder* function_ = nullptr;
  size_t line_ = 0;
  std::map<std::string, uint32_t> function_index_;
  std::map<std::string, uint16_t> constants_;
  std::map<std::string, uint16_t> shapes_;
  std::map<std::string, uint16_t> registers_;
  std::vector<Type> register_types_;
  std::map<std::string, Label> labels_;
  std::map<std::string, bool> bound_labels_;
};

}  // namespace

absl::StatusOr<Module> Assemble(std::string_view text) {
  return Assembler().Run(text);
}

absl::StatusOr<std::string> AssembleBytes(std::string_view text) {
  absl::StatusOr<Module> module = Assemble(text);
  if (!module.ok()) return module.status();
  return EncodeModule(*module);
}

}  // namespace tl::vm
