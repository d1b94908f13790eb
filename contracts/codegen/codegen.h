// Code generation: a checked SOW (checker.h) to one VM module. The generated contract has the
// entry points of abi.h; its internal functions are
//
//   user functions          the SOW's own `function`s (pure: no state)
//   authorize(kind, index)  traps unless the signer is the organisation and role bound to kind
//   validate(fact)          "" or why the fact is implausible (fields, sites, dates, rules)
//   process_fact(fact, i)   dedupe or reverse, validate, apply, remember effects, settle
//   reverse(stored, by)     undo a stored fact's recorded effects (corrections, retractions)
//   settle(fact_id, date)   unit fees and milestones follow the counters; invoices, holdbacks
//   invoice(item, gross, c) holdbacks withheld from the gross, and the invoice_due event
//   progress()              cost-to-cost measures of progress after costs or estimates change
//
// Each is emitted through Emitter, so each entry point's worst-case gas is known.
#ifndef TRIALLEDGER_CONTRACTS_CODEGEN_H_
#define TRIALLEDGER_CONTRACTS_CODEGEN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "trialledger/contracts/ast.h"

namespace tl::contracts {

struct GeneratedModule {
  std::string module_bytes;
  std::vector<std::pair<std::string, int64_t>> entry_gas;  // entry point, worst-case gas
  int64_t facts_per_batch_max = 0;
};

// Throws CompileError (at the contract's name) if the contract cannot fit the VM's or the
// transaction's limits.
GeneratedModule Generate(const SowFile& file);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_CODEGEN_H_
