// The journal stream's reads (ledger/journal_stream.h) on an in-memory ledger: resumed from every
// cursor of a small ledger it gives exactly the entries after that one, in order; a malformed
// cursor, one of another book, one ahead of the ledger and one of another network are each refused
// with their reason.
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "mobilisation_facts.h"
#include "mobilisation_sow.h"
#include "test_ledger.h"
#include "trialledger/base/civil_date.h"
#include "trialledger/ledger/book_records.h"
#include "trialledger/ledger/journal_stream.h"
#include "trialledger/sdk/codec.h"

namespace tl::ledger {
namespace {

using testing::MemoryLedger;
using testing::TestNetwork;

constexpr char kCro[] = "northwind-cro";

class JournalStreamTest : public ::testing::Test {
 protected:
  // The contract signed on `effective`, then `costs` cost facts of USD 1,000.00 each, one a block:
  // the CRO's book gets the mobilisation billing, then a revenue entry per cost.
  static void Build(MemoryLedger& ledger, const std::string& effective, int costs) {
    testing::TxSigner signer(ledger_network());
    const v1::ContractCode code = testing::SowCode(testing::kMobilisationSow, "mob.sow");
    ledger.Apply({signer.Sign("cro-finance", [&](v1::TxBody& body) {
      body.mutable_propose_contract()->set_contract_id("mob");
      *body.mutable_propose_contract()->mutable_code() = code;
      body.mutable_propose_contract()->set_effective_date_ms(*ParseIsoDate(effective));
    })});
    ledger.Apply({signer.Accept("sponsor-finance", "mob", code.code_hash())});
    ledger.Apply({Cost(signer, "EAC", 20'000'000, true)});
    for (int i = 1; i <= costs; ++i)
      ledger.Apply({Cost(signer, "C-" + std::to_string(i), 100'000, false)});
  }
  static v1::Transaction Cost(testing::TxSigner& signer, const std::string& record, int64_t minor,
                              bool estimate) {
    return signer.Sign("cro-cost", [&](v1::TxBody& body) {
      testing::SetMobilisationCostFact(body, record, minor, estimate);
    });
  }
  static const TestNetwork& ledger_network() {
    static const TestNetwork* network = new TestNetwork;
    return *network;
  }
  static uint64_t EntryCount(const MemoryLedger& ledger) {
    return ReadBook(ledger.state(), kCro)->entry_count();
  }
};

TEST_F(JournalStreamTest, FromEveryCursorTheEntriesAfterItInOrderNoneMissing) {
  MemoryLedger ledger(ledger_network());
  Build(ledger, "2023-03-02", 6);
  const uint64_t count = EntryCount(ledger);
  ASSERT_EQ(count, 7u);  // the mobilisation billing and six revenue entries, by the book's count
  // The whole journal from the start, in small batches, as a stream reads it.
  std::vector<v1::JournalStreamItem> all;
  uint64_t after = 0;
  while (true) {
    absl::StatusOr<std::vector<v1::JournalStreamItem>> batch =
        JournalAfter(ledger.state(), kCro, after, 3);
    ASSERT_TRUE(batch.ok()) << batch.status();
    if (batch->empty()) break;
    for (v1::JournalStreamItem& item : *batch) {
      EXPECT_EQ(item.entry().seq(), ++after);
      all.push_back(std::move(item));
    }
  }
  ASSERT_EQ(all.size(), count);
  for (size_t i = 0; i < all.size(); ++i) {
    absl::StatusOr<uint64_t> seq = ResolveJournalCursor(ledger.state(), kCro, all[i].cursor());
    ASSERT_TRUE(seq.ok()) << seq.status();
    EXPECT_EQ(*seq, i + 1);
    absl::StatusOr<std::vector<v1::JournalStreamItem>> rest =
        JournalAfter(ledger.state(), kCro, *seq, 1000);
    ASSERT_TRUE(rest.ok());
    ASSERT_EQ(rest->size(), all.size() - i - 1) << "after entry " << i + 1;
    for (size_t j = 0; j < rest->size(); ++j) {
      EXPECT_EQ(Encode((*rest)[j].entry()), Encode(all[i + 1 + j].entry()));
      EXPECT_EQ((*rest)[j].cursor(), all[i + 1 + j].cursor());
    }
  }
  EXPECT_EQ(*ResolveJournalCursor(ledger.state(), kCro, ""), 0u);  // no cursor: the start
}

TEST_F(JournalStreamTest, ABadCursorIsRefusedWithItsReason) {
  MemoryLedger ledger(ledger_network());
  Build(ledger, "2023-03-02", 2);
  const std::string first = JournalAfter(ledger.state(), kCro, 0, 1)->at(0).cursor();

  absl::StatusOr<uint64_t> garbage = ResolveJournalCursor(ledger.state(), kCro, "not a cursor!");
  EXPECT_TRUE(absl::IsInvalidArgument(garbage.status()));
  EXPECT_NE(garbage.status().message().find("is not a journal cursor"), std::string::npos);
  std::string base64_of_nothing;
  absl::WebSafeBase64Escape("\x08\x01", &base64_of_nothing);  // version 1, no entry
  EXPECT_TRUE(absl::IsInvalidArgument(
      ResolveJournalCursor(ledger.state(), kCro, base64_of_nothing).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      ResolveJournalCursor(ledger.state(), kCro, std::string(1000, 'A')).status()));

  absl::StatusOr<uint64_t> other_book = ResolveJournalCursor(ledger.state(), "acme-bio", first);
  EXPECT_TRUE(absl::IsInvalidArgument(other_book.status()));
  EXPECT_NE(other_book.status().message().find("of book 'northwind-cro', not of book 'acme-bio'"),
            std::string::npos);

  // A cursor from a ledger further ahead: its entry is not here yet.
  MemoryLedger ahead(ledger_network());
  Build(ahead, "2023-03-02", 4);
  const std::string last =
      JournalAfter(ahead.state(), kCro, EntryCount(ahead) - 1, 1)->at(0).cursor();
  absl::StatusOr<uint64_t> early = ResolveJournalCursor(ledger.state(), kCro, last);
  EXPECT_TRUE(absl::IsOutOfRange(early.status())) << early.status();
  EXPECT_NE(early.status().message().find("ahead of this ledger"), std::string::npos);

  // A cursor of another network: the same entry number came from another block.
  MemoryLedger other(ledger_network());
  other.Apply({ledger_network().Note("sponsor-admin", 1, "a block before the contract")});
  Build(other, "2023-03-02", 2);
  const std::string foreign = JournalAfter(other.state(), kCro, 0, 1)->at(0).cursor();
  absl::StatusOr<uint64_t> mismatch = ResolveJournalCursor(ledger.state(), kCro, foreign);
  EXPECT_TRUE(absl::IsInvalidArgument(mismatch.status())) << mismatch.status();
  EXPECT_NE(mismatch.status().message().find("another network"), std::string::npos);
}

}  // namespace
}  // namespace tl::ledger
