// Golden diagnostics: each broken SOW in broken/ fails to compile with exactly the message in
// its .err file (file:line:col, the line, a caret under the fault).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "contract_harness.h"

namespace tl::contracts::testing {
namespace {

TEST(DiagnosticsTest, BrokenFilesGiveTheirGoldenErrors) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(TL_CONTRACTS_BROKEN_DIR)) {
    if (entry.path().extension() == ".sow") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 12u);
  for (const auto& path : files) {
    SCOPED_TRACE(path.filename().string());
    absl::StatusOr<CompiledContract> compiled =
        CompileSow(ReadFile(path.string()), path.filename().string());
    ASSERT_FALSE(compiled.ok());
    std::filesystem::path golden = path;
    golden.replace_extension(".err");
    EXPECT_EQ(std::string(compiled.status().message()), ReadFile(golden.string()));
  }
}

TEST(DiagnosticsTest, CaretSitsUnderTheFaultWithTabsKept) {
  const std::string source =
      "contract c version 1\nsponsor \"a\"\ncro \"b\"\ncurrency USD\nstudy \"S\"\n"
      "milestone m {\n\twhen enroled >= 1\n\tpays USD 1.00\n}\n";
  absl::StatusOr<CompiledContract> compiled = CompileSow(source, "tabs.sow");
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(std::string(compiled.status().message()),
            "tabs.sow:7:7: error: unknown name 'enroled'\n"
            "  \twhen enroled >= 1\n"
            "  \t     ^~~~~~~\n");
}

}  // namespace
}  // namespace tl::contracts::testing
