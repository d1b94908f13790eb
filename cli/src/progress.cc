#include "progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "trialledger/base/str_cat.h"

namespace tl::cli {
namespace {

constexpr int kBarColumnsMin = 10;  // a narrower bar says nothing; the count alone does
constexpr char kEraseToEndOfLine[] = "\033[K";

int TerminalColumns() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return kProgressWidthDefault;
}

std::string Bar(int64_t done, int64_t total, int columns) {
  const int64_t clamped = std::clamp<int64_t>(done, 0, total);
  const int filled = static_cast<int>(clamped * columns / total);
  return StrCat("[", std::string(static_cast<size_t>(filled), '#'),
                std::string(static_cast<size_t>(columns - filled), '.'), "]");
}

}  // namespace

bool ProgressWanted() {
  return ::isatty(STDOUT_FILENO) == 1 && ::isatty(STDERR_FILENO) == 1;
}

std::string FormatRate(double per_s, std::string_view unit) {
  if (per_s <= 0) return "";
  char number[32];
  std::snprintf(number, sizeof number, "%.1f", per_s);
  return unit.empty() ? StrCat(number, "/s") : StrCat(number, " ", unit, "/s");
}

std::string ProgressLine(std::string_view label, int64_t done, int64_t total, std::string_view unit,
                         std::string_view note, int width_columns) {
  const size_t room = static_cast<size_t>(std::max(1, width_columns - 1));
  const std::string count =
      StrCat(done, total > 0 ? StrCat("/", total) : std::string(), unit.empty() ? "" : " ", unit);
  std::string tail = note.empty() ? std::string() : StrCat("  ", note);
  // label " [" bar "] " count tail: the bar takes what is left, within its bounds.
  auto bar_room = [&] {
    return static_cast<int64_t>(room) -
           static_cast<int64_t>(label.size() + 4 + count.size() + tail.size());
  };
  if (total > 0 && bar_room() < kBarColumnsMin) tail.clear();
  std::string line;
  if (total > 0 && bar_room() >= kBarColumnsMin) {
    const int columns = static_cast<int>(std::min<int64_t>(bar_room(), kProgressBarColumnsMax));
    line = StrCat(label, " ", Bar(done, total, columns), " ", count, tail);
  } else {
    line = StrCat(label, " ", count);
    if (line.size() + tail.size() <= room) line += tail;
  }
  if (line.size() > room) line.resize(room);
  return line;
}

Progress::Progress(std::string label, int64_t total, std::string unit)
    : Progress(std::move(label), total, std::move(unit), Options()) {}

Progress::Progress(std::string label, int64_t total, std::string unit, Options options)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      enabled_(options.enabled),
      show_rate_(options.show_rate),
      out_(options.out != nullptr ? options.out : &std::cerr),
      width_columns_(options.width_columns),
      now_(std::move(options.now)),
      start_(now_()) {
  if (enabled_ && width_columns_ <= 0) width_columns_ = TerminalColumns();
}

Progress::~Progress() {
  Clear();
}

void Progress::Update(int64_t done, std::string_view note) {
  if (!enabled_) return;
  const Clock::time_point now = now_();
  const bool complete = total_ > 0 && done >= total_;
  if (drawn_ && !complete && now - drawn_at_ < std::chrono::milliseconds(kRedrawIntervalMs)) {
    return;
  }
  std::string tail(note);
  if (show_rate_) {
    const double elapsed_s = std::chrono::duration<double>(now - start_).count();
    const std::string rate =
        FormatRate(elapsed_s > 0 ? static_cast<double>(done) / elapsed_s : 0, unit_);
    if (!rate.empty()) tail = tail.empty() ? rate : StrCat(tail, ", ", rate);
  }
  *out_ << '\r' << ProgressLine(label_, done, total_, unit_, tail, width_columns_)
        << kEraseToEndOfLine << std::flush;
  drawn_ = true;
  drawn_at_ = now;
}

void Progress::Clear() {
  if (!drawn_) return;
  *out_ << '\r' << kEraseToEndOfLine << std::flush;
  drawn_ = false;
}

}  // namespace tl::cli
