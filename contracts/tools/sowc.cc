// sowc FILE [--out MODULE] [--metadata FILE]: compiles a statement of work. Prints the contract's
// terms and the worst-case gas of each entry point; on an error prints the diagnostic
// (file:line:col, the line, a caret) and exits 1. `trialledger contract compile` does the same.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "trialledger/contracts/compiler.h"
#include "trialledger/contracts/display.h"

namespace {

int Usage() {
  std::cerr << "usage: sowc FILE.sow [--out MODULE.tlvm] [--metadata METADATA.pb]\n";
  return 2;
}

bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  std::string input, module_path, metadata_path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--out" || arg == "--metadata") && i + 1 < argc) {
      (arg == "--out" ? module_path : metadata_path) = argv[++i];
    } else if (!arg.empty() && arg[0] != '-' && input.empty()) {
      input = arg;
    } else {
      return Usage();
    }
  }
  if (input.empty()) return Usage();
  std::ifstream in(input, std::ios::binary);
  if (!in) {
    std::cerr << "sowc: cannot read " << input << "\n";
    return 1;
  }
  std::stringstream source;
  source << in.rdbuf();
  absl::StatusOr<tl::contracts::CompiledContract> compiled =
      tl::contracts::CompileSow(source.str(), input);
  if (!compiled.ok()) {
    std::cerr << compiled.status().message();
    return 1;
  }
  std::cout << tl::contracts::DescribeContract(compiled->metadata);
  if (!module_path.empty() && !WriteFile(module_path, compiled->module_bytes)) {
    std::cerr << "sowc: cannot write " << module_path << "\n";
    return 1;
  }
  if (!metadata_path.empty() &&
      !WriteFile(metadata_path, tl::contracts::SerializeMetadata(compiled->metadata))) {
    std::cerr << "sowc: cannot write " << metadata_path << "\n";
    return 1;
  }
  return 0;
}
