#include "corpus_runner.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "program_generator.h"
#include "trialledger/vm/assembler.h"
#include "trialledger/vm/memory_host.h"
#include "trialledger/vm/value_codec.h"
#include "trialledger/vm/vm.h"

namespace tl::vm::test {
namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

std::string WritesHex(const std::vector<StorageWrite>& writes) {
  std::string flat;
  for (const StorageWrite& w : writes) {
    flat += Hex(w.key) + "=" + (w.value.has_value() ? Hex(*w.value) : "-") + ";";
  }
  return flat;
}

void FixedHost(MemoryHost* host) {
  host->block_height = 12;
  host->block_time_ms = 1'790'000'000'000;
  host->caller_key = "caller-key-0001";
  host->caller_organisation = "cro";
  host->roles = {"clinops", "finance"};
  host->payload = EncodeValue(*Value::MakeString("1001"));
  host->storage["counter"] = EncodeValue(Value::MakeInt(41));
}

}  // namespace

std::string RunModule(std::string_view label, const Module& module) {
  std::ostringstream out;
  absl::StatusOr<std::shared_ptr<const Program>> program = LoadProgram(module);
  if (!program.ok()) {
    out << label << " load-error " << program.status().message() << "\n";
    return out.str();
  }
  std::vector<std::string> entries;
  for (const EntryPoint& entry : module.entry_points) {
    if (module.functions[entry.function].param_count == 0) entries.push_back(entry.name);
  }
  std::sort(entries.begin(), entries.end());
  for (const std::string& entry : entries) {
    MemoryHost host;
    FixedHost(&host);
    absl::StatusOr<ExecutionResult> result =
        Execute(**program, entry, {}, host, ExecuteOptions{.gas_limit = 200'000});
    if (!result.ok()) {
      out << label << " " << entry << " status " << result.status().message() << "\n";
      continue;
    }
    out << label << " " << entry << " trap=" << TrapCodeName(result->trap)
        << " gas=" << result->gas_used << " events=" << result->events.size() << ":"
        << HashHex(result->events_hash) << " return=" << Hex(EncodeValue(result->return_value))
        << " writes=" << WritesHex(result->writes) << " message=" << result->message << "\n";
  }
  return out.str();
}

std::string RunProgramDirectory(const std::string& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() == ".tlasm") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::string out;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<Module> module = Assemble(text.str());
    const std::string label = path.filename().string();
    if (!module.ok()) {
      out += label + " assemble-error " + std::string(module.status().message()) + "\n";
      continue;
    }
    out += RunModule(label, *module);
  }
  return out;
}

std::string RunGenerated(uint64_t first_seed, uint32_t count) {
  std::string out;
  for (uint64_t seed = first_seed; seed < first_seed + count; ++seed) {
    out += RunModule("seed-" + std::to_string(seed), GenerateModule(seed));
  }
  return out;
}

}  // namespace tl::vm::test
