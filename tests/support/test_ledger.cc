#include "test_ledger.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "trialledger/contracts/compiler.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/merkle.h"
#include "trialledger/sdk/tx_builder.h"

namespace tl::testing {

KeyPair KeyFromName(const std::string& name) {
  return KeyPairFromSeed(Blake2b256("test-seed/" + name));
}

TestNetwork::TestNetwork() : node_key_(KeyFromName("node1")) {
  v1::Genesis genesis;
  genesis.set_chain_id("test-chain");
  genesis.set_genesis_time_ms(1'700'000'000'000);
  auto add_org = [&](const std::string& name, v1::OrgKind kind) {
    v1::Organization* org = genesis.add_organizations();
    org->set_name(name);
    org->set_kind(kind);
  };
  add_org("acme-bio", v1::ORG_KIND_SPONSOR);
  add_org("northwind-cro", v1::ORG_KIND_CRO);
  add_org("harbor-cro", v1::ORG_KIND_CRO);        // a third party: no contract with acme-bio
  add_org("ledger-audit", v1::ORG_KIND_AUDITOR);  // an auditor a party may name
  add_org("second-audit", v1::ORG_KIND_AUDITOR);  // an auditor nobody names
  auto add_member = [&](const std::string& name, const std::string& org,
                        std::vector<std::string> roles) {
    keys_[name] = KeyFromName(name);
    v1::Member* member = genesis.add_members();
    member->set_name(name);
    member->set_org(org);
    member->set_public_key(keys_[name].public_key);
    for (const std::string& role : roles)
      member->add_roles(role);
  };
  add_member("sponsor-admin", "acme-bio", {"admin"});
  add_member("sponsor-finance", "acme-bio", {"finance"});
  add_member("cro-admin", "northwind-cro", {"admin"});
  add_member("cro-admin2", "northwind-cro", {"admin"});
  add_member("cro-finance", "northwind-cro", {"finance"});
  add_member("cro-edc", "northwind-cro", {"oracle:edc"});
  add_member("cro-cost", "northwind-cro", {"oracle:cost"});
  add_member("sponsor-clinops", "acme-bio", {"clinops"});
  add_member("sponsor-auditor", "acme-bio", {"auditor"});  // the sponsor's internal audit
  add_member("cro-clinops", "northwind-cro", {"clinops"});
  add_member("harbor-admin", "harbor-cro", {"admin"});
  add_member("harbor-finance", "harbor-cro", {"finance"});
  add_member("audit-auditor", "ledger-audit", {"auditor"});
  add_member("audit-admin", "ledger-audit", {"admin"});
  add_member("second-auditor", "second-audit", {"auditor"});
  add_member("second-admin", "second-audit", {"admin"});
  v1::NodeInfo* node = genesis.add_nodes();
  node->set_name("node1");
  node->set_org("acme-bio");
  node->set_public_key(node_key_.public_key);
  node->set_address("127.0.0.1:1");
  node->set_peer_address("127.0.0.1:2");
  absl::StatusOr<GenesisDocument> parsed = ParseGenesis(FormatGenesis(genesis), "test genesis");
  if (!parsed.ok()) {
    ADD_FAILURE() << parsed.status();
    return;
  }
  genesis_ = *std::move(parsed);
}

v1::Transaction TestNetwork::Sign(const std::string& member, v1::TxBody body) const {
  return SignTxBody(std::move(body), key(member));
}

v1::Transaction TestNetwork::Note(const std::string& member, uint64_t nonce,
                                  const std::string& text, uint64_t expiry_height) const {
  v1::TxBody body;
  body.set_chain_id(chain_id());
  body.set_nonce(nonce);
  body.set_expiry_height(expiry_height);
  body.mutable_note()->set_text(text);
  return Sign(member, std::move(body));
}

DecodedBlock TestNetwork::MakeBlock(const ledger::ChainHead& head,
                                    const std::vector<v1::Transaction>& txs, uint64_t term) const {
  v1::BlockHeader header;
  header.set_chain_id(chain_id());
  header.set_height(head.height + 1);
  header.set_prev_block_hash(head.block_hash);
  header.set_state_hash(head.state_hash);
  header.set_time_ms(head.time_ms + 1000);
  header.set_proposer("node1");
  header.set_term(term);
  header.set_tx_count(static_cast<uint32_t>(txs.size()));
  std::vector<std::string> ids;
  DecodedBlock block;
  for (const v1::Transaction& tx : txs) {
    ids.push_back(TxId(tx));
    *block.block.add_transactions() = tx;
  }
  header.set_tx_merkle_root(MerkleRoot(ids));
  block.block.set_header(Encode(header));
  block.block.set_proposer_signature(
      SignInDomain(kBlockSigningDomain, node_key_.secret_key, block.block.header()));
  block.header = header;
  block.hash = BlockHash(block.block);
  return block;
}

MemoryLedger::MemoryLedger(const TestNetwork& network, ledger::ApplyOptions options)
    : network_(network), options_(options) {
  ledger::AppliedBlock genesis = ledger::ApplyGenesis(network.genesis());
  state_.Apply(genesis.writes);
  head_ = genesis.head;
}

std::vector<v1::TxResult> MemoryLedger::Apply(const std::vector<v1::Transaction>& txs) {
  DecodedBlock block = network_.MakeBlock(head_, txs);
  absl::StatusOr<ledger::AppliedBlock> applied =
      ledger::ApplyBlock(head_, network_.chain_id(), block, state_, options_);
  if (!applied.ok()) {
    ADD_FAILURE() << applied.status();
    return {};
  }
  state_.Apply(applied->writes);
  head_ = applied->head;
  last_writes_ = applied->writes;
  return applied->results;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "trialledger-test-XXXXXX");
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) ADD_FAILURE() << "mkdtemp failed";
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

v1::ContractCode TemplateCode(const std::string& file_name) {
  std::ifstream in(std::string(TL_CONTRACTS_DIR) + "/templates/" + file_name);
  std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return SowCode(source, file_name);
}

v1::ContractCode SowCode(std::string source, const std::string& file_name) {
  absl::StatusOr<contracts::CompiledContract> compiled = contracts::CompileSow(source, file_name);
  if (!compiled.ok()) {
    std::fprintf(stderr, "SOW %s: %s\n", file_name.c_str(),
                 std::string(compiled.status().message()).c_str());
    std::abort();
  }
  v1::ContractCode code;
  code.set_source(std::move(source));
  code.set_source_name(file_name);
  code.set_module(compiled->module_bytes);
  code.set_code_hash(compiled->code_hash);
  return code;
}

v1::Transaction TxSigner::Sign(const std::string& member,
                               const std::function<void(v1::TxBody&)>& fill) {
  v1::TxBody body;
  body.set_chain_id(network_.chain_id());
  body.set_nonce(++nonces_[member]);
  body.set_expiry_height(50'000);
  fill(body);
  return network_.Sign(member, std::move(body));
}

v1::Transaction TxSigner::Propose(const std::string& member, const std::string& contract_id,
                                  const v1::ContractCode& code) {
  return Sign(member, [&](v1::TxBody& body) {
    body.mutable_propose_contract()->set_contract_id(contract_id);
    *body.mutable_propose_contract()->mutable_code() = code;
  });
}

v1::Transaction TxSigner::Accept(const std::string& member, const std::string& contract_id,
                                 const std::string& code_hash) {
  return Sign(member, [&](v1::TxBody& body) {
    body.mutable_accept_contract()->set_contract_id(contract_id);
    body.mutable_accept_contract()->set_code_hash(code_hash);
  });
}

}  // namespace tl::testing
