// FindDamagedFile: name the file in a LevelDB directory whose bytes fail LevelDB's own checks.
//
// Usage:
//   if (std::optional<tl::ledger::DamagedFile> damaged =
//           tl::ledger::FindDamagedFile(leveldb::Env::Default(), "/var/lib/node/ledger")) {
//     std::cerr << damaged->file << ": " << damaged->error << "\n";
//   }
//
// It only reads, through the env it is given (and takes the LOCK file's lock, as verify does): run
// it on a stopped node's directory.
//
// What is checked, with LevelDB's own readers, in this order:
//   - CURRENT: it must exist, end with a newline and name a MANIFEST that exists.
//   - the MANIFEST that CURRENT names and every write-ahead log (.log): every record read with
//     checksums verified, as leveldb::DumpFile reads them.
//   - every table the MANIFEST lists (.ldb, .sst), found by opening the DB through a
//     CopyOnWriteEnv: opened as LevelDB opens it, then every entry read with block checksums
//     verified. Damage to the metaindex or filter block is not found: Table skips them without a
//     filter policy (as here) and ignores their errors with one, since they only speed up
//     lookups. A table the MANIFEST does not list is not read: a LevelDB stopped in the middle
//     of a compaction leaves its unfinished output behind (empty or half written), which the next
//     open deletes; it holds no data and is no damage.
//
// What is not damage: LevelDB's log reader treats a record cut short at the end of a log or
// MANIFEST as a writer that died mid-write and drops it silently, both here and when the DB
// opens. A torn, never-synced tail is not damage to durable data, so it is not reported.
//
// Known blind spot, inherited from that rule: a damaged length field in the last 32 KiB block of
// a log or MANIFEST makes its record seem to run past the end of the file, and is dropped without
// a report too. A MANIFEST usually fits in one block, so this hides damage to its latest edit,
// and LevelDB's own recovery (even with paranoid_checks) then opens without that edit. Seen with
// 1.23: one flipped length byte dropped the edit adding 000005.ldb; the reopened DB reused number
// 5 for the table recovered from the log, writing over the old table, and half the keys were gone.

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "leveldb/db.h"
#include "leveldb/env.h"

namespace tl::ledger {

struct DamagedFile {
  std::string file;   // The file's name inside the directory, e.g. "000005.ldb"; "." when the
                      // directory itself cannot be listed.
  std::string error;  // LevelDB's own words, e.g. "Corruption: block checksum mismatch".
};

// Checks `dir` through `env` as above and returns the first damaged file (CURRENT, then the
// MANIFEST and logs in name order, then tables in name order), or nullopt when all read clean.
// A MANIFEST and logs that read clean but do not open as a DB are reported as "CURRENT", with
// LevelDB's words. Changes no byte of `dir`; takes the LOCK file's lock while it opens the DB.
std::optional<DamagedFile> FindDamagedFile(leveldb::Env* env, const std::string& dir);

// The parts of FindDamagedFile, for a caller that opens the DB itself (verify):
// CURRENT, the MANIFEST it names and every log;
std::optional<DamagedFile> FindDamagedLogOrManifest(leveldb::Env* env, const std::string& dir);
// each of `tables` (".ldb" names in `dir`; a table only in memory is passed over);
std::optional<DamagedFile> FindDamagedTable(leveldb::Env* env, const std::string& dir,
                                            const std::vector<std::string>& tables);
// the table files (".ldb" names) the open `db`'s current version uses, in name order.
std::vector<std::string> LiveTables(leveldb::DB& db);

}  // namespace tl::ledger
