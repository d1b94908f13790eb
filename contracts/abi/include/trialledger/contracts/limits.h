// Every limit of the contracts layer, in one place. The gas and batch limits decide which
// SubmitFacts transactions are valid, so every node must agree on them: changing one is a
// protocol change.
#ifndef TRIALLEDGER_CONTRACTS_LIMITS_H_
#define TRIALLEDGER_CONTRACTS_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace tl::contracts {

// Gas for one contract run (one transaction). The VM allocates memory only as gas allows
// (about 8 bytes per unit of gas in the worst case: ~400 MB at the VM's 50M ceiling), so
// 2,000,000 keeps one run under ~16 MB on every node while leaving room for a full batch of
// facts against a large SOW; the compiler checks each entry point's worst case against it.
inline constexpr int64_t kGasPerTransaction = 2'000'000;

// Facts in one SubmitFacts batch. The compiler may lower this per contract (metadata
// `facts_per_batch_max`) so that a full batch always fits kGasPerTransaction.
inline constexpr int64_t kFactsPerBatchMax = 32;

// Text fields of a fact (source system, record id, study, site, subject, visit type, category,
// audit user) in bytes; keeps storage keys and stored fact records small and their gas bounded.
inline constexpr size_t kFactFieldBytesMax = 64;
inline constexpr size_t kAuditReasonBytesMax = 256;

// What the generated code keeps of each applied fact (to reverse it on a correction): at most
// this many recorded effects (counter, money and status changes), in a record of at most this
// many encoded bytes. A fact that would need more is rejected.
inline constexpr int64_t kEffectsPerFactMax = 16;
inline constexpr int64_t kStoredFactBytesMax = 4096;

// Facts one site may hold while they wait for its activation (`else hold`). The activation
// applies every held fact in its own run, so the compiler budgets each fact for this many more
// and a contract with a hold rule takes smaller batches; a fact beyond it is rejected.
inline constexpr int64_t kHeldFactsPerSiteMax = 4;

// How far a fact's source time may run ahead of the block that records it: the source system's
// clock and the leader's may differ by a little, never by more (a record stamped in the future
// is a clock fault or a forgery, refused like a fact dated after its block).
inline constexpr int64_t kSourceTimeSkewMaxMs = 5 * 60 * 1000;

// A contract id on the ledger: it appears in state keys and on command lines.
inline constexpr size_t kContractIdBytesMax = 64;

// The SOW source file, and a few structural caps that keep generated code within VM limits.
inline constexpr size_t kSowSourceBytesMax = 256 * 1024;
inline constexpr size_t kSowItemsMax = 64;  // milestones, unit fees, rules, ... each
// Names of SOW items: they must fit VM names and storage keys with room for a prefix.
inline constexpr size_t kItemNameBytesMax = 48;
inline constexpr int64_t kLoopIterationsMax = 1000;     // `for i in a .. b` in SOW functions
inline constexpr size_t kExpressionDepthMax = 64;       // nested parentheses, calls, blocks
inline constexpr size_t kExpressionOperatorsMax = 256;  // binary operators in one expression

}  // namespace tl::contracts

#endif  // TRIALLEDGER_CONTRACTS_LIMITS_H_
