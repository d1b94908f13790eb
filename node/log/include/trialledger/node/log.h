// trialledgerd's own log: one line per event on stderr, in key=value form (logfmt):
//
//   ts=2026-12-03T06:10:00.123Z level=info node=node1 msg="became leader" term=3
//
//   log::SetMinLevel(log::Level::kWarn);          // once, before threads start (main.cc)
//   log::Logger logger("node1");
//   logger.Info("became leader", {{"term", term}});
//   if (logger.Enabled(log::Level::kDebug)) logger.Debug("block applied", {{"height", h}});
//
// ts is UTC with milliseconds; node is left out when the logger has no name. A value is written
// bare when it is a non-empty run of printable characters other than space, '"', '=' and '\';
// otherwise it is quoted, with '"' and '\' escaped and newlines, tabs and other control bytes as
// \n, \t and \xNN, so one event is always one line. Each line goes out in one write, so lines of
// different threads do not interleave.
//
// Not for the deterministic libraries (consensus/, node/ledger, contracts/): they take no clock.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trialledger/base/str_cat.h"

namespace tl::node::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// "debug", "info", "warn" or "error".
std::string_view LevelName(Level level);
absl::StatusOr<Level> ParseLevel(std::string_view name);
// The names ParseLevel takes, for help texts and errors.
inline constexpr std::string_view kLevelNames = "debug, info, warn, error";

// One key=value pair of a line.
struct Field {
  Field(std::string_view key_, std::string_view value_) : key(key_), value(value_) {}
  Field(std::string_view key_, const std::string& value_) : key(key_), value(value_) {}
  Field(std::string_view key_, const char* value_) : key(key_), value(value_) {}
  Field(std::string_view key_, absl::string_view value_)  // Status::message()
      : key(key_), value(value_.data(), value_.size()) {}
  template <std::integral T>
  Field(std::string_view key_, T value_) : key(key_), value(StrCat(value_)) {}

  std::string_view key;  // a plain word: letters, digits, '_'
  std::string value;
};

// The line (without its newline) for an event at `unix_ms`. Pure, for tests.
std::string FormatLine(int64_t unix_ms, Level level, std::string_view node,
                       std::string_view message, std::initializer_list<Field> fields);

// Lines below this level are dropped (the default is kInfo). Process-wide.
void SetMinLevel(Level level);

class Logger {
 public:
  explicit Logger(std::string node_name = "") : node_name_(std::move(node_name)) {}

  bool Enabled(Level level) const;
  void Write(Level level, std::string_view message, std::initializer_list<Field> fields) const;
  void Debug(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Write(Level::kDebug, message, fields);
  }
  void Info(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Write(Level::kInfo, message, fields);
  }
  void Warn(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Write(Level::kWarn, message, fields);
  }
  void Error(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Write(Level::kError, message, fields);
  }

 private:
  std::string node_name_;
};

}  // namespace tl::node::log
