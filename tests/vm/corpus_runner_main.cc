// vm_corpus_runner: prints the results of the hand-written programs and of generated ones.
//   vm_corpus_runner PROGRAM_DIR [FIRST_SEED COUNT]
//   vm_corpus_runner --write-modules OUT_DIR PROGRAM_DIR COUNT
//       writes the assembled programs and COUNT generated modules as fuzz seeds
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "corpus_runner.h"
#include "program_generator.h"
#include "trialledger/vm/assembler.h"

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "--write-modules") {
    for (const auto& entry : std::filesystem::directory_iterator(argv[3])) {
      if (entry.path().extension() != ".tlasm") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      absl::StatusOr<std::string> bytes = tl::vm::AssembleBytes(text.str());
      if (!bytes.ok()) continue;
      std::ofstream out(std::string(argv[2]) + "/" + entry.path().stem().string() + ".tlvm",
                        std::ios::binary);
      out << *bytes;
    }
    const uint32_t count = std::strtoul(argv[4], nullptr, 10);
    for (uint32_t seed = 1; seed <= count; ++seed) {
      std::ofstream out(std::string(argv[2]) + "/generated-" + std::to_string(seed) + ".tlvm",
                        std::ios::binary);
      out << tl::vm::EncodeModule(tl::vm::test::GenerateModule(seed));
    }
    return 0;
  }
  if (argc != 2 && argc != 4) {
    std::cerr << "usage: vm_corpus_runner PROGRAM_DIR [FIRST_SEED COUNT]\n";
    return 2;
  }
  std::cout << tl::vm::test::RunProgramDirectory(argv[1]);
  if (argc == 4) {
    std::cout << tl::vm::test::RunGenerated(std::strtoull(argv[2], nullptr, 10),
                                            std::strtoul(argv[3], nullptr, 10));
  }
  return 0;
}
