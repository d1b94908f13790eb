#include "trialledger/contracts/compiler.h"

#include "codegen.h"
#include "metadata.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/diagnostic.h"
#include "trialledger/contracts/sow.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/vm/vm.h"

namespace tl::contracts {

absl::StatusOr<CompiledContract> CompileSow(std::string_view source, std::string_view file_name) {
  CompiledContract compiled;
  try {
    SowFile file = Parse(source);
    Check(&file);
    GeneratedModule generated = Generate(file);
    absl::StatusOr<std::shared_ptr<const vm::Program>> program =
        vm::LoadProgram(generated.module_bytes);
    if (!program.ok()) {
      throw CompileError{
          file.contract.span,
          StrCat("the generated code does not fit the VM (", program.status().message(),
                 "); the SOW is too large, split its rules or functions")};
    }
    compiled.code_hash = Blake2b256(generated.module_bytes);
    compiled.metadata = BuildMetadata(file, source, generated);
    compiled.metadata.set_code_hash(compiled.code_hash);
    compiled.metadata.set_source_hash(Blake2b256(source));
    compiled.module_bytes = std::move(generated.module_bytes);
  } catch (const CompileError& error) {
    return absl::InvalidArgumentError(FormatDiagnostic(file_name, source, error));
  }
  return compiled;
}

}  // namespace tl::contracts
