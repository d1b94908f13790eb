// How tables show figures (cli/src/output.h): negative amounts in parentheses, numbers
// right-aligned on the decimal point, hashes and long text cut unless --wide. Every expected
// line is written out by hand.
#include <gtest/gtest.h>

#include "output.h"

namespace tl::cli {
namespace {

TEST(TableCell, ShowsANegativeAmountInParentheses) {
  EXPECT_EQ(TableCell("-358,350.00", false), "(358,350.00)");
  EXPECT_EQ(TableCell("USD -5.00", false), "USD (5.00)");
  EXPECT_EQ(TableCell("-0.50", true), "(0.50)");
  EXPECT_EQ(TableCell("JPY -5,000", false), "JPY (5,000)");
  EXPECT_EQ(TableCell("1,250.00", false), "1,250.00");
}

TEST(TableCell, LeavesWhatIsNotAnAmountAlone) {
  for (const char* text : {"-5", "2026-11", "2026-11-30", "-", "a-b", "-1,25.00", "USD -x",
                           "northwind-cro/INV-00000001", "-12,3456.00"}) {
    EXPECT_EQ(TableCell(text, false), text) << text;
  }
}

TEST(TableCell, CutsHashesAndLongTextUnlessWide) {
  const std::string hash(64, 'a');
  EXPECT_EQ(TableCell(hash, false), "aaaaaaaaaaaa…");
  EXPECT_EQ(TableCell(hash, true), hash);
  const std::string short_hex(39, 'b');  // below kShortHashAbove: an id, not a hash
  EXPECT_EQ(TableCell(short_hex, false), short_hex);
  const std::string text(100, 'x');
  const std::string cut = TableCell(text, false);
  EXPECT_EQ(cut, std::string(59, 'x') + "…");
  EXPECT_EQ(DisplayWidth(cut), 60u);
  EXPECT_EQ(TableCell(text, true), text);
  // A cut never splits a character: 61 two-byte letters become 59 of them and "…".
  std::string accents;
  for (int i = 0; i < 61; ++i)
    accents += "é";
  EXPECT_EQ(TableCell(accents, false), accents.substr(0, 59 * 2) + "…");
}

TEST(IsNumericCell, KnowsFiguresFromNames) {
  for (const char* text :
       {"1,250.00", "(1,250.00)", "USD (5.00)", "USD 10.00", "42", "-7", "0.00", "(5,000)"}) {
    EXPECT_TRUE(IsNumericCell(text)) << text;
  }
  for (const char* text : {"2026-11", "node1", "1,25", "", "USD", "(x)", "12.", "ab12"}) {
    EXPECT_FALSE(IsNumericCell(text)) << text;
  }
}

std::string Printed(const Json& value, OutputStyle style) {
  ::testing::internal::CaptureStdout();
  Print(value, style);
  return ::testing::internal::GetCapturedStdout();
}

TEST(Print, AlignsFiguresOnTheDecimalPointWithNegativesInParentheses) {
  const Json rows = Json::parse(R"([{"account": "cash", "balance": "-10.00", "height": 7},
                                    {"account": "ar", "balance": "1,000.00", "height": 12}])");
  EXPECT_EQ(Printed(rows, OutputFormat::kTable),
            "ACCOUNT    BALANCE  HEIGHT\n"
            "cash       (10.00)       7\n"
            "ar       1,000.00       12\n");
  // JSON and CSV keep the figures as they are, for programs and spreadsheets.
  EXPECT_NE(Printed(rows, OutputFormat::kJson).find("\"-10.00\""), std::string::npos);
  EXPECT_EQ(Printed(rows, OutputFormat::kCsv),
            "\"account\",\"balance\",\"height\"\r\n\"cash\",\"-10.00\",\"7\"\r\n"
            "\"ar\",\"1,000.00\",\"12\"\r\n");
}

TEST(Print, ShortensHashesInTablesButNotInFieldLines) {
  const std::string hash(64, 'c');
  const Json object = {{"tx_id", hash}, {"blocks", Json::array({{{"hash", hash}, {"n", 1}}})}};
  EXPECT_EQ(Printed(object, OutputFormat::kTable),
            "tx_id  " + hash + "\n\nblocks:\nHASH           N\ncccccccccccc…  1\n");
  EXPECT_EQ(Printed(object, OutputStyle(OutputFormat::kTable, /*wide=*/true)),
            "tx_id  " + hash + "\n\nblocks:\nHASH" + std::string(64 - 4 + 2, ' ') + "N\n" + hash +
                "  1\n");
}

TEST(Print, ShowsObjectsInsideACellAsWords) {
  const Json rows = Json::parse(
      R"([{"period": "2026-Q3", "differences": [{"measure": "expense", "amount": "-5.00"}]}])");
  EXPECT_EQ(Printed(rows, OutputFormat::kTable),
            "PERIOD   DIFFERENCES\n"
            "2026-Q3  measure=expense amount=-5.00\n");
}

}  // namespace
}  // namespace tl::cli
