#include "commands.h"
#include "load_generator.h"
#include "progress.h"
#include "trialledger/base/str_cat.h"

namespace tl::cli {

void AddBenchCommand(CLI::App& app, Context& context) {
  struct BenchArgs {
    std::vector<std::string> nodes;
    LoadOptions load;
  };
  auto args = std::make_shared<BenchArgs>();
  CLI::App* bench = app.add_subcommand(
      "bench",
      "Load a network with signed notes; report committed tx/s and commit latency. --key must be "
      "an admin: it registers one member per client first");
  bench->add_option("--nodes", args->nodes, "nodes to spread clients over (default: --node)")
      ->delimiter(',');
  bench->add_option("--clients", args->load.clients, "concurrent clients (requests in flight)")
      ->capture_default_str();
  bench->add_option("--duration", args->load.duration_s, "seconds")->capture_default_str();
  bench->add_option("--open-loop", args->load.open_loop_rate,
                    "total submissions per second (default: closed loop)");
  bench->add_option("--note-bytes", args->load.note_bytes, "size of each note")
      ->capture_default_str();
  bench->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-admin.key bench --duration 30\n"
      "  trialledger --key net/keys/acme-bio-admin.key bench --nodes "
      "127.0.0.1:7051,127.0.0.1:7052,127.0.0.1:7053 --clients 64 --open-loop 500 -o json");
  bench->callback([&context, args] {
    LoadOptions options = args->load;
    options.nodes =
        args->nodes.empty() ? std::vector<std::string>{context.node_address} : args->nodes;
    options.connection = context.client_options();
    Progress progress("bench", options.duration_s, "s", {.show_rate = false});
    if (progress.enabled()) {
      options.on_progress = [&progress](double elapsed_s, uint64_t committed) {
        std::string note = StrCat(committed, " tx committed");
        const std::string rate = FormatRate(static_cast<double>(committed) / elapsed_s, "tx");
        if (!rate.empty()) note += StrCat(", ", rate);
        progress.Update(static_cast<int64_t>(elapsed_s), note);
      };
    }
    LoadReport report = Context::Check(RunLoad(options, context.key()));
    progress.Clear();
    Print(Json{{"clients", options.clients},
               {"mode", options.open_loop_rate > 0 ? "open-loop" : "closed-loop"},
               {"duration_s", report.elapsed_s},
               {"submitted", report.submitted},
               {"committed", report.committed},
               {"rejected", report.rejected},
               {"errors", report.errors},
               {"committed_per_s", report.committed_per_s},
               {"latency_p50_ms", report.latency_p50_ms},
               {"latency_p99_ms", report.latency_p99_ms},
               {"latency_max_ms", report.latency_max_ms},
               {"machine_cpu_us_per_commit", report.machine_cpu_us_per_commit},
               {"generator_cpu_us_per_commit", report.generator_cpu_us_per_commit},
               {"first_error", report.first_error}},
          context.format());
  });
}

}  // namespace tl::cli
