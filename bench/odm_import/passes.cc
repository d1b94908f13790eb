#include "passes.h"

#include <libxml/xmlreader.h>
#include <malloc.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <vector>

#include "trialledger/base/str_cat.h"
#include "trialledger/feeds/import.h"
#include "trialledger/feeds/odm_mapping.h"
#include "trialledger/feeds/odm_reader.h"

namespace tl::bench {
namespace {

// The peak resident set of this process's address space, in kB. exec gives a child a new
// address space, so this is the child's own figure. (getrusage's ru_maxrss is not: Linux folds
// the peak of the address space exec replaced into it, which after posix_spawn is the parent's.)
int64_t PeakRssKb() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return -1;
  char line[256];
  long long kb = -1;
  while (std::fgets(line, sizeof line, status) != nullptr) {
    if (std::sscanf(line, "VmHWM: %lld kB", &kb) == 1) break;
  }
  std::fclose(status);
  return kb;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Times a span of wall and CPU time.
class Span {
 public:
  Span() : wall_(std::chrono::steady_clock::now()), cpu_s_(CpuSeconds()) {}
  void End(PassResult* result) const {
    result->wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_).count();
    result->cpu_s = CpuSeconds() - cpu_s_;
  }

 private:
  std::chrono::steady_clock::time_point wall_;
  double cpu_s_;
};

// Bytes malloc has handed out and not taken back, chunk overhead included (glibc).
int64_t HeapInUseBytes() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

}  // namespace

namespace {

// Counts what the importer hands over and keeps nothing: the streaming pass's whole consumer.
class CountingSink final : public feeds::FactSink {
 public:
  absl::Status Add(feeds::ImportedFact fact) override {
    (fact.revises_earlier ? revisions_ : facts_) += 1;
    return absl::OkStatus();
  }
  int64_t facts() const { return facts_; }

 private:
  int64_t facts_ = 0, revisions_ = 0;
};

}  // namespace

absl::StatusOr<PassResult> RunTlFeedsPass(const std::string& odm_path,
                                          const std::string& mapping_path) {
  absl::StatusOr<feeds::OdmMapping> mapping = feeds::LoadOdmMapping(mapping_path);
  if (!mapping.ok()) return mapping.status();
  PassResult out;
  out.start_rss_kb = PeakRssKb();
  CountingSink sink;
  const Span span;
  absl::StatusOr<feeds::ImportReport> report = feeds::ImportOdmFile(odm_path, *mapping, {}, sink);
  span.End(&out);
  if (!report.ok()) return report.status();
  out.peak_rss_kb = PeakRssKb();
  out.facts = sink.facts();  // a revision replaces a fact: the facts of the file are the others
  out.records_read = report->records_read;
  out.skipped = report->skipped_count;
  return out;
}

absl::StatusOr<PassResult> RunTlCollectPass(const std::string& odm_path,
                                            const std::string& mapping_path) {
  absl::StatusOr<feeds::OdmMapping> mapping = feeds::LoadOdmMapping(mapping_path);
  if (!mapping.ok()) return mapping.status();
  PassResult out;
  out.start_rss_kb = PeakRssKb();
  const Span span;
  absl::StatusOr<feeds::ImportResult> result = feeds::ImportOdmFile(odm_path, *mapping, {});
  span.End(&out);
  if (!result.ok()) return result.status();
  out.peak_rss_kb = PeakRssKb();
  out.facts = static_cast<int64_t>(result->facts.size());
  out.records_read = result->report.records_read;
  out.skipped = result->report.skipped_count;
  const int64_t with_result_bytes = HeapInUseBytes();
  result = absl::InternalError("freed");  // the facts go: what they held is the difference
  out.result_bytes = with_result_bytes - HeapInUseBytes();
  return out;
}

absl::StatusOr<PassResult> RunBareReaderPass(const std::string& odm_path) {
  xmlInitParser();
  PassResult out;
  out.start_rss_kb = PeakRssKb();
  const Span span;
  // The options tl_feeds opens files with (odm_reader.cc): no network, line numbers past 65535.
  xmlTextReaderPtr reader =
      xmlReaderForFile(odm_path.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
  if (reader == nullptr) return absl::UnavailableError(StrCat("cannot read ", odm_path));
  int rc = 0;
  while ((rc = xmlTextReaderRead(reader)) == 1)
    ++out.nodes;
  xmlFreeTextReader(reader);
  span.End(&out);
  if (rc < 0) return absl::DataLossError(StrCat(odm_path, ": not well-formed XML"));
  out.peak_rss_kb = PeakRssKb();
  return out;
}

absl::StatusOr<PassResult> RunSaxPass(const std::string& odm_path) {
  xmlInitParser();
  PassResult out;
  out.start_rss_kb = PeakRssKb();
  const Span span;
  std::FILE* file = std::fopen(odm_path.c_str(), "rb");
  if (file == nullptr) return absl::UnavailableError(StrCat("cannot read ", odm_path));
  xmlSAXHandler handler{};
  handler.initialized = XML_SAX2_MAGIC;
  handler.startElementNs = [](void* nodes, const xmlChar*, const xmlChar*, const xmlChar*, int,
                              const xmlChar**, int, int,
                              const xmlChar**) { ++*static_cast<int64_t*>(nodes); };
  handler.characters = [](void*, const xmlChar*, int) {};
  handler.ignorableWhitespace = handler.characters;
  xmlParserCtxtPtr parser =
      xmlCreatePushParserCtxt(&handler, &out.nodes, nullptr, 0, odm_path.c_str());
  xmlCtxtUseOptions(parser, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
  std::vector<char> chunk(64 * 1024);
  size_t got = 0;
  int rc = 0;
  while (rc == 0 && (got = std::fread(chunk.data(), 1, chunk.size(), file)) > 0) {
    rc = xmlParseChunk(parser, chunk.data(), static_cast<int>(got), 0);
  }
  if (rc == 0) rc = xmlParseChunk(parser, nullptr, 0, 1);
  const bool well_formed = rc == 0 && parser->wellFormed != 0;
  xmlFreeParserCtxt(parser);
  std::fclose(file);
  span.End(&out);
  if (!well_formed) return absl::DataLossError(StrCat(odm_path, ": not well-formed XML"));
  out.peak_rss_kb = PeakRssKb();
  return out;
}

std::string FormatPassResult(const PassResult& result) {
  char times[64];
  std::snprintf(times, sizeof times, "%.6f %.6f", result.wall_s, result.cpu_s);
  return StrCat(times, " ", result.facts, " ", result.records_read, " ", result.skipped, " ",
                result.nodes, " ", result.start_rss_kb, " ", result.peak_rss_kb, " ",
                result.result_bytes);
}

absl::StatusOr<PassResult> ParsePassResult(std::string_view line) {
  std::istringstream in{std::string(line)};
  PassResult result;
  in >> result.wall_s >> result.cpu_s >> result.facts >> result.records_read >> result.skipped >>
      result.nodes >> result.start_rss_kb >> result.peak_rss_kb >> result.result_bytes;
  if (!in) return absl::DataLossError(StrCat("unreadable pass result '", line, "'"));
  return result;
}

}  // namespace tl::bench
