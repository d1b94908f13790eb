// The history_checker program itself, on files: the exit status says no anomalies (0),
// anomalies (1) or a usage or input error (2), and stdout holds the summary.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tl::history {
namespace {

using ::testing::HasSubstr;

// What one run of the program left behind.
struct CheckerRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class HistoryCheckerBinary : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "history_checker.XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::filesystem::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  // Runs history_checker from TL_BIN_DIR (set by ctest; run by hand, the folder this test is
  // in, which is where CMake puts both) with `arguments`.
  CheckerRun RunChecker(const std::vector<std::string>& arguments) {
    const char* bin_dir = std::getenv("TL_BIN_DIR");
    std::string program =
        (bin_dir != nullptr ? std::filesystem::path(bin_dir)
                            : std::filesystem::read_symlink("/proc/self/exe").parent_path()) /
        "history_checker";
    std::vector<std::string> argv = {program};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    std::vector<char*> c_argv;
    for (std::string& argument : argv)
      c_argv.push_back(argument.data());
    c_argv.push_back(nullptr);

    std::filesystem::path out = dir_ / "stdout", err = dir_ / "stderr";
    pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
      ::dup2(::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), 2);
      ::execv(program.c_str(), c_argv.data());
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return CheckerRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
  }

  std::filesystem::path dir_;
};

constexpr const char* kLedger = R"({"height":1,"hash":"aa01","prev_hash":"0000","tx_ids":["01"]})"
                                "\n"
                                R"({"height":2,"hash":"aa02","prev_hash":"aa01","tx_ids":["02"]})"
                                "\n";

TEST_F(HistoryCheckerBinary, CleanHistoryExitsZeroWithTheSummary) {
  std::string history = Write(
      "history.jsonl",
      R"({"op":"submit","client":"c1","start_us":1,"end_us":2,"outcome":"ok","tx_id":"02","height":2})"
      "\n"
      R"({"op":"read","client":"c2","start_us":3,"end_us":4,"outcome":"ok","height":2})"
      "\n");
  CheckerRun run =
      RunChecker({"--history", history, "--ledger", "n1=" + Write("n1.jsonl", kLedger), "--ledger",
                  "n2=" + Write("n2.jsonl", kLedger), "--require-same-head"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  nlohmann::ordered_json summary = nlohmann::ordered_json::parse(run.out);
  std::vector<std::string> keys;
  for (const auto& item : summary.items())
    keys.push_back(item.key());
  EXPECT_THAT(keys,
              ::testing::ElementsAre("transactions_acknowledged", "transactions_refused",
                                     "transactions_unknown", "unknown_committed", "reads_checked",
                                     "nodes", "reference_height", "anomalies", "anomaly_list"));
  EXPECT_EQ(summary["nodes"], 2);
  EXPECT_EQ(summary["reads_checked"], 1);
  EXPECT_EQ(summary["reference_height"], 2);
  EXPECT_EQ(summary["anomalies"], 0);
}

TEST_F(HistoryCheckerBinary, AnomaliesExitOne) {
  std::string history =
      Write("history.jsonl",
            R"({"op":"submit","client":"c1","start_us":1,"end_us":2,"outcome":"ok","tx_id":"0e"})"
            "\n");
  CheckerRun run =
      RunChecker({"--history", history, "--ledger", "n1=" + Write("n1.jsonl", kLedger)});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  nlohmann::json summary = nlohmann::json::parse(run.out);
  EXPECT_EQ(summary["anomalies"], 1);
  EXPECT_EQ(summary["anomaly_list"][0]["kind"], "lost_acknowledged");
}

TEST_F(HistoryCheckerBinary, MalformedHistoryExitsTwoNamingTheLine) {
  std::string history = Write(
      "history.jsonl", R"({"op":"read","client":"c1","start_us":1,"end_us":2,"outcome":"refused"})"
                       "\n"
                       R"({"op":"read","client":"c1","start_us":1,"end_us":2,"outcome":"ok"})"
                       "\n");
  CheckerRun run =
      RunChecker({"--history", history, "--ledger", "n1=" + Write("n1.jsonl", kLedger)});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("history.jsonl:2: missing field 'height'"));
  EXPECT_EQ(run.out, "");
}

TEST_F(HistoryCheckerBinary, UsageErrorsExitTwo) {
  std::string history = Write("history.jsonl", "");
  std::string ledger = Write("n1.jsonl", kLedger);
  EXPECT_EQ(RunChecker({"--history", history}).exit_code, 2);  // no --ledger
  CheckerRun unnamed = RunChecker({"--history", history, "--ledger", ledger});
  EXPECT_EQ(unnamed.exit_code, 2);
  EXPECT_THAT(unnamed.err, HasSubstr("expected NAME=FILE"));
  CheckerRun twice =
      RunChecker({"--history", history, "--ledger", "n1=" + ledger, "--ledger", "n1=" + ledger});
  EXPECT_EQ(twice.exit_code, 2);
  CheckerRun missing =
      RunChecker({"--history", (dir_ / "absent.jsonl").string(), "--ledger", "n1=" + ledger});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("absent.jsonl: cannot open"));
  EXPECT_EQ(RunChecker({"--help"}).exit_code, 0);
}

}  // namespace
}  // namespace tl::history
