// Throughput of the ledger's building blocks: signing, verifying, hashing, Merkle roots, the
// deterministic apply of a block of notes, the read permission check, and applying + committing
// blocks to LevelDB with sync.
//   build/bin/ledger_bench            (figures as transactions/s where a transaction is involved)
#include <benchmark/benchmark.h>

#include "mobilisation_sow.h"
#include "test_ledger.h"
#include "trialledger/ledger/apply.h"
#include "trialledger/ledger/ledger_store.h"
#include "trialledger/ledger/read_access.h"
#include "trialledger/node/read_permissions.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/merkle.h"
#include "trialledger/sdk/request_auth.h"

namespace tl {
namespace {

constexpr int kNotesPerBlock = 500;
constexpr int kSigners = 5;
const char* kSignerNames[kSigners] = {"sponsor-admin", "sponsor-finance", "cro-admin",
                                      "cro-finance", "cro-edc"};

testing::TestNetwork& Network() {
  static testing::TestNetwork* network = new testing::TestNetwork;
  return *network;
}

// `kNotesPerBlock` notes spread over the signers, with nonces continuing from `first_round`.
std::vector<v1::Transaction> Notes(int first_round) {
  std::vector<v1::Transaction> txs;
  for (int i = 0; i < kNotesPerBlock; ++i) {
    uint64_t nonce = static_cast<uint64_t>(first_round + i / kSigners + 1);
    txs.push_back(Network().Note(kSignerNames[i % kSigners], nonce,
                                 "site 101 visit " + std::to_string(i), 50'000));
  }
  return txs;
}

void SetTxRate(benchmark::State& state, int64_t txs_per_iteration) {
  state.counters["tx/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * txs_per_iteration), benchmark::Counter::kIsRate);
}

void BM_SignTransaction(benchmark::State& state) {
  int nonce = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Network().Note("cro-edc", ++nonce, "site 101 visit"));
  }
  SetTxRate(state, 1);
}
BENCHMARK(BM_SignTransaction);

void BM_VerifyTransaction(benchmark::State& state) {
  v1::Transaction tx = Network().Note("cro-edc", 1, "site 101 visit");
  std::string key = Network().key("cro-edc").public_key;
  for (auto _ : state)
    benchmark::DoNotOptimize(VerifyTxSignature(tx, key));
  SetTxRate(state, 1);
}
BENCHMARK(BM_VerifyTransaction);

// What a signed read costs beyond the call itself (sdk/request_auth.h): the client signs, the node
// verifies; beside the transaction signature's figures above.
v1::ListFactsRequest ReadRequest() {
  v1::ListFactsRequest request;
  request.set_contract_id("acme-301");
  request.set_from_seq(1);
  request.set_limit(1000);
  return request;
}

void BM_SignReadRequest(benchmark::State& state) {
  const KeyPair keys = GenerateKeyPair();
  const v1::ListFactsRequest request = ReadRequest();
  const std::string nonce(kRequestNonceBytes, 'n');
  for (auto _ : state)
    benchmark::DoNotOptimize(SignRequest(keys, request, 1'800'000'000'000, nonce));
}
BENCHMARK(BM_SignReadRequest);

void BM_VerifyReadRequest(benchmark::State& state) {
  const KeyPair keys = GenerateKeyPair();
  const v1::ListFactsRequest request = ReadRequest();
  const std::string nonce(kRequestNonceBytes, 'n');
  const std::string signature = SignRequest(keys, request, 1'800'000'000'000, nonce)[3].second;
  for (auto _ : state) {
    benchmark::DoNotOptimize(VerifyInDomain(kRequestSigningDomain, keys.public_key,
                                            RequestSigningBytes(request, 1'800'000'000'000, nonce),
                                            signature));
  }
}
BENCHMARK(BM_VerifyReadRequest);

// The permission table's check of one read (docs/permissions.md) over an in-memory state holding
// one accepted contract with grants, beside the verification above: a contract read by a party
// (one record), a book read by a granted auditor (the book, the grant), and a raw-ledger read by
// an operator's admin (the node list).
const ledger::MemoryState& PermissionState() {
  static testing::MemoryLedger* ledger = [] {
    auto* built = new testing::MemoryLedger(Network());
    testing::TxSigner signer(Network());
    const v1::ContractCode code = testing::SowCode(testing::kMobilisationSow, "mob.sow");
    built->Apply({signer.Propose("cro-finance", "mob", code)});
    built->Apply({signer.Accept("sponsor-finance", "mob", code.code_hash())});
    built->Apply({signer.Sign("cro-finance", [](v1::TxBody& body) {
      body.mutable_grant_access()->set_auditor_org("ledger-audit");
    })});
    return built;
  }();
  return ledger->state();
}

template <typename Request>
void CheckPermission(benchmark::State& state, const char* member, const char* org, const char* role,
                     const Request& request) {
  v1::Member reader;
  reader.set_name(member);
  reader.set_org(org);
  reader.add_roles(role);
  const ledger::ReadAccess access(PermissionState(), reader);
  if (!node::CheckReadPermission(access, request).ok()) state.SkipWithError("refused");
  for (auto _ : state)
    benchmark::DoNotOptimize(node::CheckReadPermission(access, request));
}

void BM_CheckReadContract(benchmark::State& state) {
  v1::GetContractRequest request;
  request.set_contract_id("mob");
  CheckPermission(state, "sponsor-clinops", "acme-bio", "clinops", request);
}
BENCHMARK(BM_CheckReadContract);

void BM_CheckReadBookAsGrantedAuditor(benchmark::State& state) {
  v1::GetBookRequest request;
  request.set_book("northwind-cro");
  CheckPermission(state, "audit-auditor", "ledger-audit", "auditor", request);
}
BENCHMARK(BM_CheckReadBookAsGrantedAuditor);

void BM_CheckRawLedgerAsOperatorAdmin(benchmark::State& state) {
  v1::StreamBlocksRequest request;
  CheckPermission(state, "sponsor-admin", "acme-bio", "admin", request);
}
BENCHMARK(BM_CheckRawLedgerAsOperatorAdmin);

void BM_Blake2b256(benchmark::State& state) {
  std::string data(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state)
    benchmark::DoNotOptimize(Blake2b256(data));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Blake2b256)->Arg(200)->Arg(64 * 1024);

void BM_MerkleRoot(benchmark::State& state) {
  std::vector<std::string> ids;
  for (int i = 0; i < state.range(0); ++i)
    ids.push_back(Blake2b256(std::to_string(i)));
  for (auto _ : state)
    benchmark::DoNotOptimize(MerkleRoot(ids));
  SetTxRate(state, state.range(0));
}
BENCHMARK(BM_MerkleRoot)->Arg(500)->Arg(2000);

// Verify + execute + state hash of one block of notes, in memory (no disk).
void BM_ApplyBlockOfNotes(benchmark::State& state) {
  testing::MemoryLedger ledger(Network());
  DecodedBlock block = Network().MakeBlock(ledger.head(), Notes(0));
  for (auto _ : state) {
    absl::StatusOr<ledger::AppliedBlock> applied =
        ledger::ApplyBlock(ledger.head(), Network().chain_id(), block, ledger.state());
    if (!applied.ok() || applied->results[kNotesPerBlock - 1].code() != v1::TX_OK) {
      state.SkipWithError("apply failed");
      break;
    }
  }
  SetTxRate(state, kNotesPerBlock);
}
BENCHMARK(BM_ApplyBlockOfNotes)->Unit(benchmark::kMillisecond);

// Apply and commit consecutive blocks to a LevelDB store with one synced write per block.
void BM_ApplyAndCommitBlocks(benchmark::State& state) {
  constexpr int kBlocks = 20;
  testing::TempDir dir;
  auto store = ledger::LedgerStore::Open(dir.path(), Network().genesis());
  if (!store.ok()) {
    state.SkipWithError("cannot open store");
    return;
  }
  std::vector<std::vector<v1::Transaction>> blocks;
  for (int b = 0; b < kBlocks; ++b)
    blocks.push_back(Notes(b * kNotesPerBlock / kSigners));
  int next = 0;
  for (auto _ : state) {
    DecodedBlock block = Network().MakeBlock((*store)->head(), blocks[next++]);
    auto applied = ledger::ApplyBlock((*store)->head(), Network().chain_id(), block, **store);
    if (!applied.ok() || applied->results[kNotesPerBlock - 1].code() != v1::TX_OK ||
        !(*store)->CommitBlock(block, *applied, block.header.height(), /*sync=*/true).ok()) {
      state.SkipWithError("apply or commit failed");
      break;
    }
  }
  SetTxRate(state, kNotesPerBlock);
}
// Real time: the synced write waits on the disk, which CPU time would not count.
BENCHMARK(BM_ApplyAndCommitBlocks)->Iterations(20)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tl

BENCHMARK_MAIN();
