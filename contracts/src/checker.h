// Name resolution and type checking of a parsed SOW. Fills in the checker fields of the tree
// (types, what each name refers to, local slots, evidence counters, unit caps) so the code
// generator never has to guess. Throws CompileError at the first fault.
#ifndef TRIALLEDGER_CONTRACTS_CHECKER_H_
#define TRIALLEDGER_CONTRACTS_CHECKER_H_

#include <optional>
#include <string_view>

#include "ast.h"

namespace tl::contracts {

void Check(SowFile* file);

// The state a condition can read, one home for the names the language offers.
struct StateName {
  std::string_view name;
  NameRef ref;  // kCounter, kFlag or kMoneyState
};
std::optional<StateName> FindStateName(std::string_view name);

// Fact fields readable in rules as `fact.<field>`.
std::optional<SowType> FactFieldType(std::string_view field);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_CHECKER_H_
