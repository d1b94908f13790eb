// The progress bar: the line it draws, its redraw limit, and silence when it is not wanted.
#include "progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace tl::cli {
namespace {

TEST(ProgressLineTest, LabelBarCountAndNote) {
  EXPECT_EQ(ProgressLine("facts submit", 5, 20, "facts", "batch 1/4", 60),
            "facts submit [#####.................] 5/20 facts  batch 1/4");
  EXPECT_EQ(ProgressLine("journal export", 0, 10, "entries", "", 50),
            "journal export [...................] 0/10 entries");
  EXPECT_EQ(ProgressLine("bench", 10, 10, "s", "812 tx committed", 200),
            "bench [########################################] 10/10 s  812 tx committed");
}

TEST(ProgressLineTest, MoreThanTheTotalFillsTheBarWithoutOverflowing) {
  EXPECT_EQ(ProgressLine("import", 30, 20, "", "", 40), "import [########################] 30/20");
}

TEST(ProgressLineTest, AnUnknownTotalShowsTheCountAlone) {
  EXPECT_EQ(ProgressLine("journal export", 1200, 0, "entries", "850.0 entries/s", 80),
            "journal export 1200 entries  850.0 entries/s");
}

TEST(ProgressLineTest, ANarrowTerminalDropsTheNoteThenTheBarAndNeverWraps) {
  EXPECT_EQ(ProgressLine("facts submit", 5, 20, "facts", "batch 1/4, 12.5 facts/s", 45),
            "facts submit [####..............] 5/20 facts");
  EXPECT_EQ(ProgressLine("facts submit", 5, 20, "facts", "batch 1/4", 30),
            "facts submit 5/20 facts");
  EXPECT_EQ(ProgressLine("facts submit", 5, 20, "facts", "", 10), "facts sub");
  for (int width = 1; width < 120; ++width) {
    EXPECT_LT(ProgressLine("oracle import", 224, 750, "facts", "batch 7/24", width).size(),
              static_cast<size_t>(std::max(width, 2)))
        << width;
  }
}

TEST(ProgressLineTest, RatesHaveOneDecimalAndNoneBeforeTimePasses) {
  EXPECT_EQ(FormatRate(212.44, "facts"), "212.4 facts/s");
  EXPECT_EQ(FormatRate(3, ""), "3.0/s");
  EXPECT_EQ(FormatRate(0, "tx"), "");
}

struct FakeClock {
  Progress::Clock::time_point now{};
  void Advance(int64_t ms) { now += std::chrono::milliseconds(ms); }
};

Progress::Options Drawn(std::ostream& out, FakeClock& clock, bool enabled = true) {
  Progress::Options options;
  options.enabled = enabled;
  options.out = &out;
  options.width_columns = 60;
  options.show_rate = false;
  options.now = [&clock] { return clock.now; };
  return options;
}

TEST(ProgressTest, SilentWhenDisabled) {
  std::ostringstream out;
  FakeClock clock;
  {
    Progress progress("facts submit", 10, "facts", Drawn(out, clock, /*enabled=*/false));
    EXPECT_FALSE(progress.enabled());
    for (int done = 0; done <= 10; ++done) {
      clock.Advance(500);
      progress.Update(done, "batch");
    }
    progress.Clear();
  }
  EXPECT_EQ(out.str(), "");
}

TEST(ProgressTest, RedrawsInPlaceAtMostTenTimesASecondAndClearsAtTheEnd) {
  std::ostringstream out;
  FakeClock clock;
  {
    Progress progress("export", 100, "entries", Drawn(out, clock));
    progress.Update(1);
    for (int done = 2; done < 100; ++done) {
      clock.Advance(10);  // 980 ms in all: 9 more redraws
      progress.Update(done);
    }
    progress.Update(100);  // complete: drawn at once
  }
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 1 + 9 + 1 + 1);  // the last: cleared
  EXPECT_EQ(text.find("\r\033[K"), text.size() - 4);
  EXPECT_NE(text.find("\rexport [" + std::string(20, '#')), std::string::npos);
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

TEST(ProgressTest, AfterClearTheNextUpdateDrawsAgain) {
  std::ostringstream out;
  FakeClock clock;
  Progress progress("facts submit", 10, "facts", Drawn(out, clock));
  progress.Update(2);
  progress.Clear();  // a transaction id is about to be said on the terminal
  progress.Update(3);
  EXPECT_EQ(out.str(),
            "\rfacts submit [######...........................] 2/10 facts\033[K\r\033[K"
            "\rfacts submit [#########........................] 3/10 facts\033[K");
}

TEST(ProgressTest, TheRateIsCountedFromTheStart) {
  std::ostringstream out;
  FakeClock clock;
  Progress::Options options = Drawn(out, clock);
  options.show_rate = true;
  options.width_columns = 120;
  Progress progress("facts submit", 100, "facts", options);
  clock.Advance(2000);
  progress.Update(50, "batch 5/10");
  EXPECT_NE(out.str().find("50/100 facts  batch 5/10, 25.0 facts/s"), std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace tl::cli
