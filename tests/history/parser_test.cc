// The JSON Lines parsers: every field the format names, read with its type; the first bad line
// named by file and line number.
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "history_parser.h"
#include "ledger_parser.h"

namespace tl::history {
namespace {

using ::testing::HasSubstr;

Parsed<History> HistoryFrom(const std::string& text) {
  std::istringstream in(text);
  return ParseHistory(in, "h.jsonl");
}

Parsed<NodeLedger> LedgerFrom(const std::string& text) {
  std::istringstream in(text);
  return ParseLedger(in, "n1", "n1.jsonl");
}

// The error's text, or "parsed" when there was none, so a failing test shows what went wrong.
template <typename T>
std::string ErrorOf(const Parsed<T>& parsed) {
  return parsed.ok() ? "parsed" : parsed.error().ToString();
}

TEST(HistoryParser, ReadsEveryOperation) {
  Parsed<History> parsed = HistoryFrom(
      R"({"op":"submit","client":"c1","start_us":1,"end_us":2,"outcome":"ok","tx_id":"AB","height":4})"
      "\n"
      R"({"op":"submit","client":"c1","start_us":3,"end_us":9,"outcome":"unknown","tx_id":"cd"})"
      "\n\n"
      R"({"op":"read","client":"c2","start_us":5,"end_us":6,"outcome":"ok","height":4,"node":"n2"})"
      "\n"
      R"({"op":"get_tx","client":"c2","start_us":7,"end_us":8,"outcome":"ok","tx_id":"ab","found":true,"height":4})"
      "\n"
      R"({"op":"get_tx","client":"c2","start_us":7,"end_us":8,"outcome":"ok","tx_id":"cd","found":false})"
      "\n"
      R"({"op":"read","client":"c3","start_us":7,"end_us":8,"outcome":"refused"})");
  ASSERT_TRUE(parsed.ok()) << ErrorOf(parsed);
  const std::vector<Operation>& operations = parsed.value().operations;
  ASSERT_EQ(operations.size(), 6u);
  EXPECT_EQ(operations[0].kind, OperationKind::kSubmit);
  EXPECT_EQ(operations[0].tx_id, "ab");  // lower-cased, to match the ledger's spelling
  EXPECT_EQ(operations[0].height, 4);
  EXPECT_EQ(operations[1].outcome, Outcome::kUnknown);
  EXPECT_EQ(operations[1].height, std::nullopt);
  EXPECT_EQ(operations[2].kind, OperationKind::kRead);
  EXPECT_EQ(operations[2].line, 4);  // the blank line is skipped but counted
  EXPECT_TRUE(operations[3].found);
  EXPECT_EQ(operations[3].height, 4);
  EXPECT_FALSE(operations[4].found);
  EXPECT_EQ(operations[5].outcome, Outcome::kRefused);
}

TEST(HistoryParser, InvalidJsonNamesFileAndLine) {
  Parsed<History> parsed =
      HistoryFrom(R"({"op":"read","client":"c","start_us":1,"end_us":2,"outcome":"refused"})"
                  "\n"
                  R"({"op":"read","client":"c","start_us":1,)");
  EXPECT_THAT(ErrorOf(parsed), HasSubstr("h.jsonl:2: not valid JSON"));
}

TEST(HistoryParser, NotAnObject) {
  EXPECT_THAT(ErrorOf(HistoryFrom("[1,2]")), HasSubstr("h.jsonl:1: must be a JSON object"));
}

TEST(HistoryParser, MissingField) {
  EXPECT_EQ(ErrorOf(HistoryFrom(R"({"op":"read","client":"c","end_us":2,"outcome":"ok"})")),
            "h.jsonl:1: missing field 'start_us'");
}

TEST(HistoryParser, FieldOfTheWrongType) {
  EXPECT_EQ(ErrorOf(HistoryFrom(
                R"({"op":"read","client":"c","start_us":"1","end_us":2,"outcome":"ok"})")),
            "h.jsonl:1: field 'start_us' must be an integer (int64), got \"1\"");
}

TEST(HistoryParser, UnknownOpAndOutcome) {
  EXPECT_THAT(
      ErrorOf(HistoryFrom(R"({"op":"write","client":"c","start_us":1,"end_us":2,"outcome":"ok"})")),
      HasSubstr("h.jsonl:1: field 'op' must be"));
  EXPECT_THAT(ErrorOf(HistoryFrom(
                  R"({"op":"read","client":"c","start_us":1,"end_us":2,"outcome":"lost"})")),
              HasSubstr("h.jsonl:1: field 'outcome' must be"));
}

TEST(HistoryParser, EndBeforeStart) {
  EXPECT_EQ(ErrorOf(HistoryFrom(
                R"({"op":"read","client":"c","start_us":5,"end_us":4,"outcome":"refused"})")),
            "h.jsonl:1: field 'end_us' (4) is before 'start_us' (5)");
}

TEST(HistoryParser, FieldsTheOpNeeds) {
  EXPECT_EQ(
      ErrorOf(HistoryFrom(R"({"op":"read","client":"c","start_us":1,"end_us":2,"outcome":"ok"})")),
      "h.jsonl:1: missing field 'height'");
  EXPECT_EQ(
      ErrorOf(HistoryFrom(
          R"({"op":"get_tx","client":"c","start_us":1,"end_us":2,"outcome":"ok","tx_id":"ab"})")),
      "h.jsonl:1: missing field 'found'");
  EXPECT_EQ(
      ErrorOf(HistoryFrom(
          R"({"op":"get_tx","client":"c","start_us":1,"end_us":2,"outcome":"ok","tx_id":"ab","found":true})")),
      "h.jsonl:1: missing field 'height'");
  EXPECT_EQ(ErrorOf(HistoryFrom(
                R"({"op":"submit","client":"c","start_us":1,"end_us":2,"outcome":"refused"})")),
            "h.jsonl:1: missing field 'tx_id'");
}

TEST(HistoryParser, TxIdMustBeHex) {
  EXPECT_EQ(
      ErrorOf(HistoryFrom(
          R"({"op":"submit","client":"c","start_us":1,"end_us":2,"outcome":"ok","tx_id":"xyz"})")),
      "h.jsonl:1: field 'tx_id' must be hex, got \"xyz\"");
}

TEST(LedgerParser, ReadsBlocks) {
  Parsed<NodeLedger> parsed = LedgerFrom(
      R"({"height":1,"hash":"AA01","prev_hash":"","tx_ids":[]})"
      "\n"
      R"({"height":2,"hash":"aa02","prev_hash":"aa01","tx_ids":["0F","10"],"state_hash":"5a"})"
      "\n");
  ASSERT_TRUE(parsed.ok()) << ErrorOf(parsed);
  const NodeLedger& ledger = parsed.value();
  EXPECT_EQ(ledger.name, "n1");
  ASSERT_EQ(ledger.blocks.size(), 2u);
  EXPECT_EQ(ledger.blocks[0].hash, "aa01");
  EXPECT_EQ(ledger.blocks[0].state_hash, std::nullopt);
  EXPECT_EQ(ledger.blocks[1].tx_ids, (std::vector<std::string>{"0f", "10"}));
  EXPECT_EQ(ledger.blocks[1].state_hash, "5a");
  EXPECT_EQ(ledger.blocks[1].line, 2);
}

TEST(LedgerParser, ErrorsNameFileAndLine) {
  EXPECT_EQ(ErrorOf(LedgerFrom(R"({"height":1,"hash":"aa","prev_hash":"","tx_ids":[]})"
                               "\n"
                               R"({"height":2,"hash":"bb","prev_hash":"aa"})")),
            "n1.jsonl:2: missing field 'tx_ids'");
  EXPECT_EQ(ErrorOf(LedgerFrom(R"({"height":1,"hash":"aa","prev_hash":"","tx_ids":[7]})")),
            "n1.jsonl:1: field 'tx_ids' must hold only hex strings, got 7");
  EXPECT_EQ(ErrorOf(LedgerFrom(R"({"height":-1,"hash":"aa","prev_hash":"","tx_ids":[]})")),
            "n1.jsonl:1: field 'height' must not be negative, got -1");
  EXPECT_EQ(ErrorOf(LedgerFrom(R"({"height":1,"hash":"","prev_hash":"","tx_ids":[]})")),
            "n1.jsonl:1: field 'hash' must not be empty");
}

TEST(LedgerParser, EmptyFileIsANodeWithNoBlocks) {
  Parsed<NodeLedger> parsed = LedgerFrom("");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed.value().blocks.empty());
}

}  // namespace
}  // namespace tl::history
