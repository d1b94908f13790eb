// Every limit of the contract VM, in one place. The verifier, the decoders and the interpreter
// read these constants; docs/vm-bytecode.md lists them for contract authors. Changing a value
// changes which modules and transactions are valid, so it needs a new format or gas-schedule
// version: every node must agree on them.
#ifndef TRIALLEDGER_VM_LIMITS_H_
#define TRIALLEDGER_VM_LIMITS_H_

#include <cstdint>

namespace tl::vm {

// Module format and gas schedule versions this build understands.
inline constexpr uint16_t kFormatVersion = 1;
inline constexpr uint16_t kGasScheduleVersion = 1;

// Module shape.
inline constexpr uint32_t kModuleBytesMax = 1 << 20;
inline constexpr uint32_t kConstantsMax = 4096;
inline constexpr uint32_t kFunctionsMax = 512;
inline constexpr uint32_t kEntryPointsMax = 128;
inline constexpr uint32_t kNameBytesMax = 64;  // entry points, record fields, event names
inline constexpr uint32_t kRecordFieldsMax = 64;

// One function. Instructions are capped so that the linked form (which may insert one gas
// instruction per basic block) still addresses every instruction with 16 bits.
inline constexpr uint32_t kInstructionsPerFunctionMax = 32767;
inline constexpr uint32_t kInstructionsPerModuleMax = 262144;
inline constexpr uint32_t kRegistersPerFunctionMax = 1024;
inline constexpr uint32_t kParamsPerFunctionMax = 32;

// A run. Because the call graph is acyclic, the verifier bounds both of these statically.
inline constexpr uint32_t kCallDepthMax = 64;
inline constexpr uint32_t kStackRegistersMax = 16384;

// Values.
inline constexpr uint32_t kStringBytesMax = 16384;       // strings and byte strings
inline constexpr uint32_t kCollectionEntriesMax = 4096;  // list elements, map entries
inline constexpr uint32_t kValueDepthMax = 16;           // nesting of lists, maps and records
inline constexpr uint32_t kValueNodesMax = 16384;        // values inside one value, shared or not
// Money minor units are bounded by 10^30 in absolute value: far beyond any real amount, and
// small enough that amount × rational numerator fits the 256-bit intermediates.
inline constexpr int kMoneyMinorDigitsMax = 30;
// Rational numerators and denominators are 128-bit checked integers (see value.h).

// Host effects of one transaction.
inline constexpr uint32_t kEventsPerRunMax = 256;
inline constexpr uint32_t kEventBytesMax = 16384;  // encoded fields of one event
inline constexpr uint32_t kStorageKeyBytesMax = 256;
inline constexpr uint32_t kStorageValueBytesMax = 65536;
inline constexpr uint32_t kStorageWritesPerRunMax = 1024;

// Gas.
inline constexpr int64_t kGasPerRunMax = 50'000'000;

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_LIMITS_H_
