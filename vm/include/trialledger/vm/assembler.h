// A text assembler for VM modules: tests, docs and hand-written contracts use it. The syntax
// is specified, with examples, in docs/vm-bytecode.md ("Assembly"). In short:
//
//   .const fee money USD:125000          ; named constants: .const NAME TYPE LITERAL
//   .shape paid milestone amount         ; record field names
//   .func total n:int -> money           ; parameters, then the result type (or none)
//   .reg i:int acc:money                 ; further registers
//     loadk acc $fee
//   loop:
//     madd acc acc acc
//     addi i i 1
//     jlt i n loop
//     ret acc
//   .end
//   .entry total total                    ; .entry NAME FUNCTION
//
// Instructions are `mnemonic[.rounding] operands...`, operands separated by spaces or commas;
// `;` starts a comment. A constant operand is `$name` or an inline literal of the register's
// type ("text", 42, USD:100, 1/3, 2026-10-01, 30d, 0xCAFE, true).
#ifndef TRIALLEDGER_VM_ASSEMBLER_H_
#define TRIALLEDGER_VM_ASSEMBLER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/vm/module.h"

namespace tl::vm {

// Errors name the line: "line 12: unknown register 'acc2'".
absl::StatusOr<Module> Assemble(std::string_view text);
// Assemble, then EncodeModule.
absl::StatusOr<std::string> AssembleBytes(std::string_view text);

// Module → assembly text that Assemble turns back into the same module (registers r0.., constants
// $c0.., shapes s0.., labels L<index>, functions f0..). For debugging, docs and the CLI.
std::string Disassemble(const Module& module);

// Parses a literal of `type` as the assembler does (dates: days since 1970-01-01 → ms).
absl::StatusOr<Value> ParseLiteral(Type type, std::string_view text);
// "int", "money", ... to Type; nullopt-like kNone for unknown names.
Type TypeFromName(std::string_view name);

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_ASSEMBLER_H_
