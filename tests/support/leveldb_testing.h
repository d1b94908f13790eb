// Test helpers for code that runs LevelDB: keys that sort like their numbers, and, for code that
// must not change a directory, every file's name and bytes before and after, compared file by
// file.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tl::testing {

// "key000042": keys whose byte order is their numeric order.
std::string NumberedKey(int i);

// Every file in `dir` (not its subdirectories) by name, with its bytes.
using DirectoryBytes = std::map<std::string, std::string>;
DirectoryBytes ReadDirectoryBytes(const std::string& dir);

// Asserts the same names, then the same sizes and bytes file by file, so a failure names the file
// that changed instead of printing whole files.
void ExpectSameDirectory(const DirectoryBytes& before, const DirectoryBytes& after);

// The names, in order, of the non-empty files of `dir` whose names end with `suffix`.
std::vector<std::string> FilesEndingWith(const std::string& dir, const std::string& suffix);

}  // namespace tl::testing
