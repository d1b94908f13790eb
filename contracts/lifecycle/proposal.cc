// What a proposal must carry: a valid contract id, and a SOW source that compiles on this node to
// exactly the module and code hash the proposer signed.
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/contracts/lifecycle.h"
#include "trialledger/contracts/limits.h"

namespace tl::contracts {

absl::Status ValidateContractId(std::string_view contract_id) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(StrCat("contract id '", contract_id, "' ", why));
  };
  if (contract_id.empty()) return absl::InvalidArgumentError("contract id is empty");
  if (contract_id.size() > kContractIdBytesMax) {
    return bad(StrCat("is longer than ", kContractIdBytesMax, " bytes"));
  }
  for (size_t i = 0; i < contract_id.size(); ++i) {
    char c = contract_id[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
      return bad(
          "must be lower-case letters, digits, '.', '_' or '-', starting with a letter or "
          "digit");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CompiledContract> CompileProposal(const trialledger::v1::ContractCode& code) {
  std::string name = code.source_name().empty() ? "contract.sow" : code.source_name();
  absl::StatusOr<CompiledContract> compiled = CompileSow(code.source(), name);
  if (!compiled.ok()) {
    return absl::InvalidArgumentError(
        StrCat("the SOW source does not compile:\n", compiled.status().message()));
  }
  if (compiled->code_hash != code.code_hash()) {
    return absl::InvalidArgumentError(StrCat("code hash ", ToHex(code.code_hash()),
                                             " is not the hash of the SOW source's code (",
                                             ToHex(compiled->code_hash), ")"));
  }
  if (compiled->module_bytes != code.module()) {
    return absl::InvalidArgumentError(
        "the module bytes differ from what the SOW source compiles to on this node");
  }
  return compiled;
}

std::string FactId(const trialledger::v1::Fact& fact) {
  return StrCat(fact.source_system(), "/", fact.source_record_id());
}

}  // namespace tl::contracts
