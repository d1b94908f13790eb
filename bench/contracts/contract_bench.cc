// What contracts cost every node: compiling a SOW (each node compiles a proposal's text), loading
// and verifying a module (each SubmitFacts does), and applying a block holding one SubmitFacts
// batch, beside a block holding one signed note, measured in the same run; and what posting to
// the books adds: the same block of cost facts applied with the books and without.
//   build/bin/contract_bench
#include <benchmark/benchmark.h>

#include <fstream>

#include "test_ledger.h"
#include "trialledger/contracts/compiler.h"
#include "trialledger/contracts/runtime.h"

namespace tl {
namespace {

std::string Template(const std::string& name) {
  std::ifstream in(std::string(TL_CONTRACTS_DIR) + "/templates/" + name);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const contracts::CompiledContract& Compiled(const std::string& name) {
  static std::map<std::string, contracts::CompiledContract>* cache =
      new std::map<std::string, contracts::CompiledContract>;
  auto it = cache->find(name);
  if (it == cache->end()) {
    it = cache->emplace(name, *contracts::CompileSow(Template(name), name)).first;
  }
  return it->second;
}

void BM_CompileSow(benchmark::State& state, const std::string& name) {
  std::string source = Template(name);
  for (auto _ : state)
    benchmark::DoNotOptimize(contracts::CompileSow(source, name));
}
BENCHMARK_CAPTURE(BM_CompileSow, full_service, std::string("full_service.sow"))
    ->Unit(benchmark::kMillisecond);

void BM_LoadRuntime(benchmark::State& state, const std::string& name) {
  const contracts::CompiledContract& compiled = Compiled(name);
  for (auto _ : state)
    benchmark::DoNotOptimize(contracts::ContractRuntime::Load(compiled));
}
BENCHMARK_CAPTURE(BM_LoadRuntime, full_service, std::string("full_service.sow"))
    ->Unit(benchmark::kMicrosecond);

// A benchmark measures only what goes through: a refused transaction ends it.
void ApplyOrDie(testing::MemoryLedger& ledger, const v1::Transaction& tx) {
  std::vector<v1::TxResult> results = ledger.Apply({tx});
  if (results.size() != 1 || results[0].code() != v1::TX_OK) {
    std::fprintf(stderr, "bench transaction refused: %s\n",
                 results.empty() ? "no result" : results[0].message().c_str());
    std::abort();
  }
}

// A ledger with the unit-priced contract active, fed by the TestNetwork's EDC oracle.
class FactsLedger {
 public:
  FactsLedger() {
    v1::ContractCode code = testing::TemplateCode("unit_priced.sow");
    Apply(signer_.Propose("cro-finance", "bench", code));
    Apply(signer_.Accept("sponsor-finance", "bench", code.code_hash()));
  }
  v1::Transaction Tx(const std::string& member, const std::function<void(v1::TxBody&)>& fill) {
    return signer_.Sign(member, fill);
  }
  // `count` screening visits with fresh source record ids.
  v1::Transaction Visits(int count) {
    return Tx("cro-edc", [&](v1::TxBody& body) {
      v1::FactBatch* batch = body.mutable_submit_facts();
      batch->set_contract_id("bench");
      for (int i = 0; i < count; ++i) {
        v1::Fact* fact = batch->add_facts();
        fact->set_source_system("rave-edc");
        fact->set_source_record_id("VIS-" + std::to_string(++visits_));
        fact->set_source_timestamp_ms(kDay * 20'000);
        v1::VisitCompleted* visit = fact->mutable_visit_completed();
        visit->set_site("301");
        visit->set_subject("301-" + std::to_string(visits_));
        visit->set_visit_type("SCREENING");
        visit->set_date_ms(kDay * 20'000);
      }
    });
  }
  void Apply(const v1::Transaction& tx) { ApplyOrDie(ledger_, tx); }

 private:
  static constexpr int64_t kDay = 86'400'000;
  testing::TestNetwork network_;
  testing::MemoryLedger ledger_{network_};
  testing::TxSigner signer_{network_};
  int visits_ = 0;
};

// A ledger with the full-service contract active and an estimate at completion, fed cost facts
// by the TestNetwork's cost oracle: every labour cost moves cost-to-cost revenue, so the books
// post one revenue entry per fact.
class CostLedger {
 public:
  explicit CostLedger(bool books) : ledger_(network_, ledger::ApplyOptions{books}) {
    v1::ContractCode code = testing::TemplateCode("full_service.sow");
    Apply(signer_.Propose("cro-finance", "bench", code));
    Apply(signer_.Accept("sponsor-finance", "bench", code.code_hash()));
    Apply(Costs(1, "estimate"));
  }
  // `count` labour costs of USD 1,000.00 (or one estimate at completion of USD 50,000,000.00).
  v1::Transaction Costs(int count, std::string_view kind = "labour") {
    return signer_.Sign("cro-cost", [&](v1::TxBody& body) {
      v1::FactBatch* batch = body.mutable_submit_facts();
      batch->set_contract_id("bench");
      for (int i = 0; i < count; ++i) {
        v1::Fact* fact = batch->add_facts();
        fact->set_source_system("northwind-erp");
        fact->set_source_record_id("COST-" + std::to_string(++costs_));
        fact->set_source_timestamp_ms(kDay * 20'000);
        if (kind == "estimate") {
          v1::EstimateAtCompletion* estimate = fact->mutable_estimate_at_completion();
          estimate->mutable_amount()->set_currency("USD");
          estimate->mutable_amount()->set_amount_minor(5'000'000'000);
          estimate->set_date_ms(kDay * 20'000);
        } else {
          v1::CostIncurred* cost = fact->mutable_cost_incurred();
          cost->set_category("labour");
          cost->mutable_amount()->set_currency("USD");
          cost->mutable_amount()->set_amount_minor(100'000);
          cost->set_date_ms(kDay * 20'000);
        }
      }
    });
  }
  void Apply(const v1::Transaction& tx) { ApplyOrDie(ledger_, tx); }

 private:
  static constexpr int64_t kDay = 86'400'000;
  testing::TestNetwork network_;
  testing::MemoryLedger ledger_;
  testing::TxSigner signer_{network_};
  int costs_ = 0;
};

void BM_ApplyBlockOfCostFacts(benchmark::State& state, bool books) {
  CostLedger ledger(books);
  const int facts = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    v1::Transaction tx = ledger.Costs(facts);
    state.ResumeTiming();
    ledger.Apply(tx);
  }
  state.counters["facts/s"] = benchmark::Counter(static_cast<double>(state.iterations() * facts),
                                                 benchmark::Counter::kIsRate);
}
// A full batch of full_service.sow (its facts_per_batch_max: 12 since the compiler budgets the
// reversal of milestones by a correction; 15 before).
BENCHMARK_CAPTURE(BM_ApplyBlockOfCostFacts, books_on, true)->Arg(12)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ApplyBlockOfCostFacts, books_off, false)
    ->Arg(12)
    ->Unit(benchmark::kMicrosecond);

void BM_ApplyBlockOfOneNote(benchmark::State& state) {
  FactsLedger ledger;
  for (auto _ : state) {
    state.PauseTiming();
    v1::Transaction tx = ledger.Tx("cro-edc", [](v1::TxBody& body) {
      body.mutable_note()->set_text("site 301 visit report received");
    });
    state.ResumeTiming();
    ledger.Apply(tx);
  }
}
BENCHMARK(BM_ApplyBlockOfOneNote)->Unit(benchmark::kMicrosecond);

void BM_ApplyBlockOfOneFactsBatch(benchmark::State& state) {
  FactsLedger ledger;
  int facts = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    v1::Transaction tx = ledger.Visits(facts);
    state.ResumeTiming();
    ledger.Apply(tx);
  }
  state.counters["facts/s"] = benchmark::Counter(static_cast<double>(state.iterations() * facts),
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ApplyBlockOfOneFactsBatch)->Arg(1)->Arg(15)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tl

BENCHMARK_MAIN();
