// The same corpus through two builds of the VM (this compiler with computed goto, and clang -O0
// with switch dispatch) must print identical results, gas and event hashes. The hand-written
// programs must also match the committed expectation, which pins gas schedule 1: a change there
// needs a new gas schedule version.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

constexpr int kGeneratedPrograms = 400;

std::string Capture(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    output.append(buffer.data(), n);
  const int status = pclose(pipe);
  if (status != 0) output += "\nexit status " + std::to_string(status);
  return output;
}

std::string RunnerCommand(const char* runner) {
  return std::string(runner) + " " + TL_VM_PROGRAM_DIR + " 1 " + std::to_string(kGeneratedPrograms);
}

TEST(DifferentialTest, TwoCompilersAgreeOnEveryProgram) {
  const std::string normal = Capture(RunnerCommand(TL_VM_RUNNER));
  const std::string alternative = Capture(RunnerCommand(TL_VM_RUNNER_ALT));
  ASSERT_GT(normal.size(), 1000u) << normal;
  std::istringstream a(normal), b(alternative);
  std::string line_a, line_b;
  int line = 0;
  while (std::getline(a, line_a)) {
    ++line;
    ASSERT_TRUE(std::getline(b, line_b)) << "alternative build stopped at line " << line;
    ASSERT_EQ(line_a, line_b) << "line " << line;
  }
  EXPECT_FALSE(std::getline(b, line_b)) << "alternative build printed more lines";
}

TEST(DifferentialTest, HandWrittenProgramsMatchTheExpectation) {
  const std::string actual = Capture(std::string(TL_VM_RUNNER) + " " + TL_VM_PROGRAM_DIR);
  std::ifstream file(std::string(TL_VM_PROGRAM_DIR) + "/expected.txt");
  std::stringstream expected;
  expected << file.rdbuf();
  EXPECT_EQ(actual, expected.str())
      << "regenerate with: vm_corpus_runner tests/vm/programs > tests/vm/programs/expected.txt";
}

}  // namespace
