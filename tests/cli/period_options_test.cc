// --period and --by: one meaning each, declared in one place (books_json.h), and a bad value is a
// usage error as the command line is read, naming the flag and the value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "books_json.h"
#include "command_tree.h"
#include "process.h"

namespace tl::cli::testing {
namespace {

using ::testing::UnorderedElementsAre;

bool IsPeriod(const CLI::Option& option) {
  return option.check_lname("period") || option.get_name(/*positional=*/true) == "period";
}

// What the option's own check says of `value` ("" when it takes it).
std::string Checked(CLI::Option& option, std::string value) {
  CLI::Validator* check = option.get_validator(0);
  return check == nullptr ? "(no check)" : (*check)(value);
}

TEST(PeriodOptionsTest, EveryPeriodAndByOfTheTreeIsTheOneCheckedOption) {
  std::unique_ptr<CommandTree> tree = MakeFullTree();
  std::vector<std::string> with_period, with_by;
  ForEachCommand(tree->app, "", [&](const std::string& path, CLI::App& command) {
    for (CLI::Option* option : command.get_options()) {
      if (IsPeriod(*option)) {
        with_period.push_back(path);
        EXPECT_EQ(option->get_type_name(), "YYYY-MM") << path;
        EXPECT_EQ(Checked(*option, "2026-11"), "") << path;
        EXPECT_EQ(Checked(*option, "2026-13"), "2026-13 is not a month (YYYY-MM, e.g. 2026-11)")
            << path;
        EXPECT_NE(Checked(*option, "2026-Q4"), "") << path;
      }
      if (option->check_lname("by")) {
        with_by.push_back(path);
        EXPECT_EQ(option->get_type_name(), "month|quarter|year") << path;
        for (const char* grouping : {"month", "quarter", "year"})
          EXPECT_EQ(Checked(*option, grouping), "") << path;
        EXPECT_EQ(Checked(*option, "quarterly"),
                  "quarterly is not a grouping (month, quarter or year)")
            << path;
      }
    }
  });
  EXPECT_THAT(
      with_period,
      UnorderedElementsAre("report trial-balance", "report rollforward", "report disclosures",
                           "report mirror", "report accruals", "report invoice-match",
                           "journal list", "journal export", "books close-period",
                           "books reopen-period", "facts list", "milestones list", "invoice list"));
  EXPECT_THAT(with_by, UnorderedElementsAre("report rollforward", "report disclosures",
                                            "report mirror", "report accruals"));
}

std::string ParseError(const std::vector<std::string>& args) {
  std::unique_ptr<CommandTree> tree = MakeFullTree();
  try {
    ParseWithoutRunning(tree->app, args);
  } catch (const CLI::ValidationError& error) {
    return error.what();
  } catch (const CLI::ParseError& error) {
    return std::string("not a validation error: ") + error.what();
  }
  return "accepted";
}

TEST(PeriodOptionsTest, ABadValueIsRefusedAsTheCommandLineIsRead) {
  EXPECT_EQ(ParseError({"report", "trial-balance", "--book", "acme-bio", "--period", "2026-13"}),
            "--period: 2026-13 is not a month (YYYY-MM, e.g. 2026-11)");
  EXPECT_EQ(ParseError({"facts", "list", "--contract", "acme-301", "--period", "11/2026"}),
            "--period: 11/2026 is not a month (YYYY-MM, e.g. 2026-11)");
  EXPECT_EQ(ParseError({"books", "close-period", "2026-13"}),
            "period: 2026-13 is not a month (YYYY-MM, e.g. 2026-11)");
  EXPECT_EQ(ParseError({"report", "mirror", "--contract", "acme-301", "--by", "quarterly"}),
            "--by: quarterly is not a grouping (month, quarter or year)");
  EXPECT_EQ(ParseError({"report", "mirror", "--contract", "acme-301", "--by", "year", "--period",
                        "2026-11"}),
            "accepted");
}

TEST(PeriodOptionsTest, TheBinaryExitsWithTheUsageStatusBeforeDialingANode) {
  const tl::testing::CommandResult result =
      tl::testing::RunCommand({tl::testing::BinDir() + "/trialledger", "--node", "127.0.0.1:1",
                               "report", "accruals", "--book", "acme-bio", "--period", "2026-00"},
                              {"TL_CONFIG=/nonexistent/trialledger.toml"});
  EXPECT_EQ(result.exit_code, kExitUsage) << result.err;
  EXPECT_THAT(result.err,
              ::testing::HasSubstr("--period: 2026-00 is not a month (YYYY-MM, e.g. 2026-11)"));
}

TEST(PeriodOptionsTest, DatedInTakesTheBooksMonthOfADate) {
  const int64_t november_30_ms = 1795996800000;  // 2026-11-30T00:00:00Z
  EXPECT_TRUE(DatedIn(november_30_ms, ""));
  EXPECT_TRUE(DatedIn(november_30_ms, "2026-11"));
  EXPECT_FALSE(DatedIn(november_30_ms, "2026-12"));
  EXPECT_FALSE(DatedIn(0, "1970-01"));  // no date: in no period
  EXPECT_TRUE(DatedIn(0, ""));
}

}  // namespace
}  // namespace tl::cli::testing
