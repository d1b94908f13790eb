// The passes bench/odm_import times, each run alone in a fresh child process so that its peak
// memory is its own: tl_feeds' read-and-map streaming each fact to a sink that counts it
// (LoadOdmMapping + ImportOdmFile with a FactSink), the same collecting every fact into an
// ImportResult (what `trialledger oracle import --feed edc` holds before it plans and submits),
// and a bare libxml2 xmlTextReader walk of every node, the floor the library stands on; and for
// comparison the floor of libxml2's SAX2 parser, which builds no nodes.
//
//   absl::StatusOr<PassResult> pass = RunTlFeedsPass("car.xml", "rave.toml");
//   std::puts(FormatPassResult(*pass).c_str());   // the child's one line to its parent
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tl::bench {

struct PassResult {
  double wall_s = 0;  // the pass alone: no process start, mapping load or result teardown
  double cpu_s = 0;   // user + system time of the same span
  int64_t facts = 0;
  int64_t records_read = 0;
  int64_t skipped = 0;
  int64_t nodes = 0;         // bare pass: nodes the reader returned; SAX pass: elements
  int64_t start_rss_kb = 0;  // the process before the pass: binary, libraries, mapping
  int64_t peak_rss_kb = 0;   // the process's peak (VmHWM), the pass included
  int64_t result_bytes = 0;  // collecting: heap the ImportResult held (facts, origins, report)
};

// Streaming: the facts go to a sink that counts them.
absl::StatusOr<PassResult> RunTlFeedsPass(const std::string& odm_path,
                                          const std::string& mapping_path);
// Collecting: every fact in an ImportResult, then freed to measure what it held.
absl::StatusOr<PassResult> RunTlCollectPass(const std::string& odm_path,
                                            const std::string& mapping_path);
absl::StatusOr<PassResult> RunBareReaderPass(const std::string& odm_path);
// libxml2's SAX2 push parser with callbacks that do nothing: no tree nodes built and freed, as
// the reader does for every node. What a walker on SAX2 instead of xmlTextReader would stand on.
absl::StatusOr<PassResult> RunSaxPass(const std::string& odm_path);

// One line of space-separated numbers, and back.
std::string FormatPassResult(const PassResult& result);
absl::StatusOr<PassResult> ParsePassResult(std::string_view line);

}  // namespace tl::bench
