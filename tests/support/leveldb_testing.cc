#include "leveldb_testing.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace tl::testing {

namespace fs = std::filesystem;

std::string NumberedKey(int i) {
  char key[16];
  std::snprintf(key, sizeof(key), "key%06d", i);
  return key;
}

DirectoryBytes ReadDirectoryBytes(const std::string& dir) {
  DirectoryBytes files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    files[entry.path().filename()] = std::string(std::istreambuf_iterator<char>(in), {});
  }
  return files;
}

void ExpectSameDirectory(const DirectoryBytes& before, const DirectoryBytes& after) {
  std::vector<std::string> names_before, names_after;
  for (const auto& [name, bytes] : before)
    names_before.push_back(name);
  for (const auto& [name, bytes] : after)
    names_after.push_back(name);
  ASSERT_EQ(names_before, names_after);
  for (const auto& [name, bytes] : before) {
    const std::string& bytes_after = after.at(name);
    EXPECT_EQ(bytes.size(), bytes_after.size()) << name;
    EXPECT_TRUE(bytes == bytes_after) << name << " changed";
  }
}

std::vector<std::string> FilesEndingWith(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> names;
  for (const auto& [name, bytes] : ReadDirectoryBytes(dir)) {
    if (name.ends_with(suffix) && !bytes.empty()) names.push_back(name);
  }
  return names;
}

}  // namespace tl::testing
