// Every limit of the feed importers, in one place. They keep an import's memory bounded whatever
// the input: an ODM file is streamed (its size is not limited), CSV and JSON feeds and mapping
// files are read whole and so are capped. Facts themselves are checked against the ledger's own
// limits (contracts/abi/.../limits.h: text fields of 64 bytes, reasons of 256) before they are
// returned, so an over-long subject key is reported at its line instead of rejected on submit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tl::feeds::limits {

// ODM (streamed by libxml2's xmlTextReader).
inline constexpr size_t kOdmDepthMax = 64;            // nesting of XML elements
inline constexpr size_t kOdmTextBytesMax = 4 * 1024;  // one attribute or text value we keep
// Visit instances and subjects remembered across one file (one fact each at most): caps the only
// state that grows with the file.
inline constexpr size_t kOdmVisitInstancesMax = 1'000'000;
inline constexpr size_t kOdmSubjectsMax = 1'000'000;
inline constexpr size_t kOdmLocationsMax = 10'000;  // AdminData Location names kept

// CTMS and cost feeds (CSV, JSON), read whole.
inline constexpr size_t kFeedFileBytesMax = 64 * 1024 * 1024;
inline constexpr size_t kCsvRecordBytesMax = 64 * 1024;  // the largest record, quotes included
inline constexpr size_t kCsvFieldBytesMax = 8 * 1024;    // the largest field
inline constexpr size_t kCsvColumnsMax = 32;

// Mapping files (TOML).
inline constexpr size_t kMappingFileBytesMax = 1024 * 1024;

// Problems listed one by one in an import report; past this they are only counted.
inline constexpr size_t kSkippedListedMax = 1000;

}  // namespace tl::feeds::limits
