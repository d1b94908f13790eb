// libFuzzer target: untrusted bytes as a transaction and as a block, decoded strictly and, when
// they decode, applied to a small ledger. Nothing may crash, hang or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <google/protobuf/stubs/logging.h>

#include "test_ledger.h"
#include "trialledger/ledger/apply.h"
#include "trialledger/ledger/tx_rules.h"
#include "trialledger/sdk/codec.h"

namespace {

// A small ledger with one active contract ("seed", the fixed-fee template, proposed by the CRO's
// finance member and approved by the sponsor's), so contract payloads reach the contract runtime.
struct Fixture {
  Fixture() {
    tl::testing::TxSigner signer(network);
    tl::v1::ContractCode code = tl::testing::TemplateCode("fixed_fee.sow");
    ledger.Apply({signer.Propose("cro-finance", "seed", code)});
    ledger.Apply({signer.Accept("sponsor-finance", "seed", code.code_hash())});
  }
  tl::testing::TestNetwork network;
  tl::testing::MemoryLedger ledger{network};
};

const Fixture& GetFixture() {
  // Protobuf logs every invalid UTF-8 string it refuses; the decoder's status already says so.
  static const bool silenced = [] {
    google::protobuf::SetLogHandler(
        [](google::protobuf::LogLevel, const char*, int, const std::string&) {});
    return true;
  }();
  (void)silenced;
  static const Fixture* fixture = new Fixture;
  return *fixture;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixture& fixture = GetFixture();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const tl::ledger::ChainHead& head = fixture.ledger.head();

  absl::StatusOr<tl::DecodedTx> tx = tl::DecodeTransaction(bytes);
  if (tx.ok()) {
    tl::ledger::StateOverlay overlay(fixture.ledger.state());
    absl::StatusOr<tl::v1::TxResult> result = tl::ledger::ApplyTransaction(
        tx->tx, fixture.network.chain_id(), {head.height + 1, head.time_ms + 1}, overlay);
    // An in-memory state never fails a read, so no input may end in a storage fault.
    if (!result.ok()) std::abort();
  }
  absl::StatusOr<tl::DecodedBlock> block = tl::DecodeBlock(bytes);
  if (block.ok()) {
    (void)tl::ledger::ApplyBlock(head, fixture.network.chain_id(), *block, fixture.ledger.state());
  }
  return 0;
}
