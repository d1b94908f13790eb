// Building ledgers in tests without a network: a genesis with known keys, signed transactions
// and signed blocks applied with the real pipeline.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "trialledger/ledger/apply.h"
#include "trialledger/ledger/ledger_store.h"
#include "trialledger/ledger/state.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/genesis.h"
#include "trialledger/sdk/protocol.h"

namespace tl::testing {

// A sponsor ("acme-bio") and a CRO ("northwind-cro"), each with an admin, a finance member, a
// clinops member and (CRO) an EDC and a cost oracle, the sponsor with an internal auditor; a
// third party ("harbor-cro") and two auditor organisations ("ledger-audit", "second-audit") for
// read permissions; one node "node1" run by the sponsor. Keys derive from fixed seeds, so runs
// repeat exactly.
class TestNetwork {
 public:
  TestNetwork();

  const GenesisDocument& genesis() const { return genesis_; }
  const std::string& chain_id() const { return genesis_.genesis.chain_id(); }
  const KeyPair& key(const std::string& member) const { return keys_.at(member); }
  const KeyPair& node_key() const { return node_key_; }

  // A signed transaction from `member` with the given nonce; `fill` sets the payload.
  v1::Transaction Note(const std::string& member, uint64_t nonce, const std::string& text,
                       uint64_t expiry_height = 1000) const;
  v1::Transaction Sign(const std::string& member, v1::TxBody body) const;

  // A block over `txs` on top of `head`, signed by node1.
  DecodedBlock MakeBlock(const ledger::ChainHead& head, const std::vector<v1::Transaction>& txs,
                         uint64_t term = 0) const;

 private:
  GenesisDocument genesis_;
  std::map<std::string, KeyPair> keys_;
  KeyPair node_key_;
};

// Seeded key: the same name always gives the same key.
KeyPair KeyFromName(const std::string& name);

// A ledger in memory: genesis state plus blocks applied with ApplyBlock.
class MemoryLedger {
 public:
  explicit MemoryLedger(const TestNetwork& network, ledger::ApplyOptions options = {});
  // Applies a block of `txs`; returns the per-transaction results. Fails the test on a header
  // fault.
  std::vector<v1::TxResult> Apply(const std::vector<v1::Transaction>& txs);
  const ledger::ChainHead& head() const { return head_; }
  const ledger::MemoryState& state() const { return state_; }
  const ledger::WriteSet& last_writes() const { return last_writes_; }

 private:
  const TestNetwork& network_;
  const ledger::ApplyOptions options_;
  ledger::MemoryState state_;
  ledger::ChainHead head_;
  ledger::WriteSet last_writes_;
};

// A standard SOW template (contracts/templates/<file_name>) as a proposal carries it: the text,
// and the module and code hash compiled from it here.
v1::ContractCode TemplateCode(const std::string& file_name);
// The same for SOW text of a test's own.
v1::ContractCode SowCode(std::string source, const std::string& file_name);

// Signed transactions with each member's nonces counted from 1, for building contract ledgers.
class TxSigner {
 public:
  explicit TxSigner(const TestNetwork& network) : network_(network) {}
  v1::Transaction Sign(const std::string& member, const std::function<void(v1::TxBody&)>& fill);
  v1::Transaction Propose(const std::string& member, const std::string& contract_id,
                          const v1::ContractCode& code);
  v1::Transaction Accept(const std::string& member, const std::string& contract_id,
                         const std::string& code_hash);

 private:
  const TestNetwork& network_;
  std::map<std::string, uint64_t> nonces_;
};

// A fresh empty directory under the test temp dir, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace tl::testing
