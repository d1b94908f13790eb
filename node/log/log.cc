#include "trialledger/node/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>

#include "trialledger/base/civil_date.h"

namespace tl::node::log {
namespace {

std::atomic<Level> min_level{Level::kInfo};

bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == 0x7f || c == '"' || c == '=' || c == '\\') return true;
  }
  return false;
}

void AppendValue(std::string_view value, std::string* out) {
  if (!NeedsQuotes(value)) {
    out->append(value);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (byte < ' ' || byte == 0x7f) {
          out->append("\\x");
          out->push_back(kHex[byte >> 4]);
          out->push_back(kHex[byte & 0xf]);
        } else {
          out->push_back(c);  // bytes of UTF-8 text stay as they are
        }
    }
  }
  out->push_back('"');
}

void AppendPair(std::string_view key, std::string_view value, std::string* out) {
  out->push_back(' ');
  out->append(key);
  out->push_back('=');
  AppendValue(value, out);
}

}  // namespace

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "unknown";
}

absl::StatusOr<Level> ParseLevel(std::string_view name) {
  for (Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (name == LevelName(level)) return level;
  }
  return absl::InvalidArgumentError(StrCat("log level '", name, "' is not one of ", kLevelNames));
}

std::string FormatLine(int64_t unix_ms, Level level, std::string_view node,
                       std::string_view message, std::initializer_list<Field> fields) {
  std::string line = StrCat("ts=", FormatIsoTimestampMillis(unix_ms));
  AppendPair("level", LevelName(level), &line);
  if (!node.empty()) AppendPair("node", node, &line);
  AppendPair("msg", message, &line);
  for (const Field& field : fields)
    AppendPair(field.key, field.value, &line);
  return line;
}

void SetMinLevel(Level level) {
  min_level.store(level, std::memory_order_relaxed);
}

bool Logger::Enabled(Level level) const {
  return level >= min_level.load(std::memory_order_relaxed);
}

void Logger::Write(Level level, std::string_view message,
                   std::initializer_list<Field> fields) const {
  if (!Enabled(level)) return;
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::string line = FormatLine(now_ms, level, node_name_, message, fields);
  line.push_back('\n');
  // One call: stdio locks the stream for it, so concurrent lines stay whole.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace tl::node::log
