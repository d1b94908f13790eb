// The SOW language's front end (docs/sow-language.md): source text to a checked syntax tree.
//
//   SowFile file = Parse(source);   // syntax, and what one clause can check alone
//   Check(&file);                   // names, types, evidence counters, unit caps
//
// Both throw CompileError (diagnostic.h) at the first fault; the compiler (compiler.h) turns it
// into a printed diagnostic. The checked tree (ast.h) is what the code generator reads.
#ifndef TRIALLEDGER_CONTRACTS_SOW_H_
#define TRIALLEDGER_CONTRACTS_SOW_H_

#include <optional>
#include <string_view>

#include "trialledger/contracts/ast.h"
#include "trialledger/contracts/diagnostic.h"

namespace tl::contracts {

// The grammar: a recursive-descent parser over the lexer's tokens. It checks syntax and the things
// one clause can check alone (money in the contract currency, one clause of each kind per block).
SowFile Parse(std::string_view source);

// Name resolution and type checking. Fills in the checker fields of the tree (types, what each
// name refers to, local slots, evidence counters, unit caps) so the code generator never has to
// guess.
void Check(SowFile* file);

// The contract state a condition can name (abi::kStateNames), as the tree refers to it.
struct StateName {
  std::string_view name;
  NameRef ref;  // kCounter, kFlag or kMoneyState
};
std::optional<StateName> FindStateName(std::string_view name);

// Fact fields readable in rules as `fact.<field>`.
std::optional<SowType> FactFieldType(std::string_view field);

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_SOW_H_
