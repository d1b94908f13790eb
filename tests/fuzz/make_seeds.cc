// Writes the seed corpus for fuzz_decode: valid transactions of each payload, valid blocks, and
// near-misses. Run by hand when the protocol changes:
//   build/bin/fuzz_decode_make_seeds tests/fuzz/corpus/decode
#include <cstdio>
#include <fstream>
#include <string>

#include "test_ledger.h"
#include "trialledger/sdk/codec.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  std::string out = argv[1];
  int count = 0;
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(out + "/" + name, std::ios::binary) << bytes;
    ++count;
  };
  tl::testing::TestNetwork network;
  tl::testing::MemoryLedger ledger(network);
  tl::v1::Transaction note = network.Note("cro-edc", 1, "seed note");
  write("tx-note", tl::Encode(note));
  tl::v1::TxBody body;
  body.set_chain_id(network.chain_id());
  body.set_nonce(1);
  body.set_expiry_height(10);
  tl::v1::Member* member = body.mutable_register_member()->mutable_member();
  member->set_name("seed");
  member->set_org("northwind-cro");
  member->set_public_key(std::string(32, 'k'));
  member->add_roles("clinops");
  write("tx-register", tl::Encode(network.Sign("cro-admin", body)));
  body.mutable_revoke_key()->set_public_key(network.key("cro-edc").public_key);
  write("tx-revoke", tl::Encode(network.Sign("cro-admin", body)));
  body.mutable_rotate_key()->set_old_public_key(network.key("cro-edc").public_key);
  body.mutable_rotate_key()->set_new_public_key(std::string(32, 'n'));
  write("tx-rotate", tl::Encode(network.Sign("cro-admin", body)));
  // Contract payloads, valid against the fuzz fixture's ledger (fuzz_decode.cc): its contract
  // "seed" is active and these nonces follow the fixture's.
  tl::testing::TxSigner signer(network);
  tl::v1::ContractCode code = tl::testing::TemplateCode("fixed_fee.sow");
  (void)signer.Propose("cro-finance", "seed", code);  // the fixture's own two, for the nonces
  (void)signer.Accept("sponsor-finance", "seed", code.code_hash());
  write("tx-propose", tl::Encode(signer.Propose("cro-finance", "seed-2", code)));
  write("tx-accept", tl::Encode(signer.Accept("sponsor-finance", "seed-2", code.code_hash())));
  write("tx-facts", tl::Encode(signer.Sign("cro-edc", [](tl::v1::TxBody& facts) {
          tl::v1::FactBatch* batch = facts.mutable_submit_facts();
          batch->set_contract_id("seed");
          tl::v1::Fact* fact = batch->add_facts();
          fact->set_source_system("rave-edc");
          fact->set_source_record_id("ENR-1");
          fact->set_source_timestamp_ms(1'700'000'000'000);
          fact->mutable_audit()->set_user("seed");
          fact->mutable_subject_enrolled()->set_site("201");
          fact->mutable_subject_enrolled()->set_subject("201-001");
          fact->mutable_subject_enrolled()->set_date_ms(1'699'920'000'000);
          fact = batch->add_facts();
          fact->set_source_system("rave-edc");
          fact->set_source_record_id("ENR-1");
          fact->set_correction(true);
          fact->mutable_retracted()->set_date_ms(1'699'920'000'000);
        })));
  write("tx-amend", tl::Encode(signer.Sign("cro-finance", [&](tl::v1::TxBody& amend) {
          amend.mutable_propose_amendment()->set_contract_id("seed");
          *amend.mutable_propose_amendment()->mutable_code() = code;
          amend.mutable_propose_amendment()->set_reason("seed");
        })));
  write("tx-close", tl::Encode(signer.Sign("sponsor-finance", [](tl::v1::TxBody& close) {
          close.mutable_close_contract()->set_contract_id("seed");
          close.mutable_close_contract()->set_reason("seed");
        })));
  std::string encoded = tl::Encode(note);
  write("tx-truncated", encoded.substr(0, encoded.size() / 2));
  tl::DecodedBlock block = network.MakeBlock(
      ledger.head(),
      {note, network.Note("cro-edc", 2, "b"), network.Note("sponsor-admin", 1, "c")});
  write("block-3tx", tl::Encode(block.block));
  write("block-empty", tl::Encode(network.MakeBlock(ledger.head(), {}).block));
  std::vector<tl::v1::TxResult> results = ledger.Apply({note});
  tl::v1::Block with_results = network.MakeBlock(ledger.head(), {}).block;
  for (const auto& result : results)
    *with_results.add_results() = result;
  write("block-results", tl::Encode(with_results));
  write("empty", "");
  std::printf("wrote %d seeds to %s\n", count, out.c_str());
  return 0;
}
