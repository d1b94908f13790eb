// Replays a committed fuzz corpus through its fuzz target in every build, so inputs that once
// mattered keep being checked without libFuzzer. Compiled into each target's replay test with
// TL_FUZZ_CORPUS_DIR (the corpus folder) and TL_FUZZ_CORPUS_MIN_FILES (so a corpus that went
// missing fails instead of passing empty).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

TEST(FuzzCorpusReplayTest, EveryInputRunsCleanly) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(TL_FUZZ_CORPUS_DIR)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), static_cast<size_t>(TL_FUZZ_CORPUS_MIN_FILES));
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string input = bytes.str();
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size()),
              0);
  }
}

}  // namespace
