// A progress bar for long work (oracle import, facts submit, journal export, bench): one line on
// standard error, redrawn in place with '\r' at most kRedrawIntervalMs apart and erased when the
// work is done, so that the result printed after it stands alone.
//
// It draws only when standard output and standard error are both terminals (ProgressWanted()):
// with output piped, redirected or captured by a test, it writes nothing at all, and a log file
// that stderr goes to never gets '\r' lines.
//
//   Progress progress("facts submit", facts.size(), "facts");
//   for (...) { progress.Clear(); SubmitBatch(); progress.Update(done, "batch 2/7"); }
//   progress.Clear();  // before printing the result (the destructor clears too)
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

namespace tl::cli {

inline constexpr int64_t kRedrawIntervalMs = 100;  // ~10 redraws a second at most
inline constexpr int kProgressWidthDefault = 80;   // when the terminal does not say
inline constexpr int kProgressBarColumnsMax = 40;

// Standard output and standard error are both terminals.
bool ProgressWanted();

// "12.5 facts/s"; "" when no time has passed.
std::string FormatRate(double per_s, std::string_view unit);

// The line as drawn, never more than `width_columns` - 1 characters (a full last column makes
// some terminals wrap): "facts submit [#########...........] 224/750 facts  batch 2/7". With
// `total` 0 (not known) there is no bar, only the count. The note goes first when the width is
// short, then the bar.
std::string ProgressLine(std::string_view label, int64_t done, int64_t total, std::string_view unit,
                         std::string_view note, int width_columns);

class Progress {
 public:
  using Clock = std::chrono::steady_clock;
  struct Options {
    bool enabled = ProgressWanted();
    std::ostream* out = nullptr;  // default: std::cerr
    int width_columns = 0;        // default: the terminal's, else kProgressWidthDefault
    bool show_rate = true;        // units a second since the start, after the note
    std::function<Clock::time_point()> now = Clock::now;
  };

  Progress(std::string label, int64_t total, std::string unit);
  Progress(std::string label, int64_t total, std::string unit, Options options);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool enabled() const { return enabled_; }
  void set_total(int64_t total) { total_ = total; }

  // Redraws with `done` of the total when kRedrawIntervalMs passed since the last drawing (or
  // nothing is drawn, or the work is complete), `note` and the rate after the count.
  void Update(int64_t done, std::string_view note = "");
  // Erases the line, before anything else writes to the terminal; the next Update draws again.
  void Clear();

 private:
  std::string label_, unit_;
  int64_t total_;
  bool enabled_;
  bool show_rate_;
  std::ostream* out_;
  int width_columns_;
  std::function<Clock::time_point()> now_;
  Clock::time_point start_, drawn_at_;
  bool drawn_ = false;
};

}  // namespace tl::cli
