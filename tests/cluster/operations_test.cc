// What an operator sees of real trialledgerd processes (docs/operations.md): the Prometheus
// endpoint scraped over plain HTTP on a three-node network, its counters moving with commits and
// alike on every node; a bad address or log level refused before anything is created; and the
// node's log lines in key=value form at the level asked for.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "local_network.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/tx_builder.h"

namespace tl {
namespace {

using testing::LocalNetwork;

// One scrape, checked line by line against the text format (0.0.4): every family has one HELP
// and then one TYPE line before its samples; every sample belongs to the family above it and has
// a number. Returns each sample's value by its name and labels as written.
struct Scrape {
  std::map<std::string, std::string> types;  // family name -> counter | gauge | histogram
  std::map<std::string, double> samples;     // `name{labels}` -> value
  std::string text;

  double at(const std::string& sample) const {
    auto found = samples.find(sample);
    if (found == samples.end()) {
      ADD_FAILURE() << "no sample " << sample << " in\n" << text;
      return -1;
    }
    return found->second;
  }
};

Scrape ParseScrape(const std::string& text) {
  static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*)");
  static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")"
      R"((,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*\})? (-?[0-9]+(\.[0-9]+)?|\+Inf|-Inf|NaN))");
  Scrape scrape;
  scrape.text = text;
  EXPECT_TRUE(!text.empty() && text.back() == '\n');
  std::istringstream lines(text);
  std::string helped, family;
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kHelp)) {
      helped = match[1];
      EXPECT_EQ(scrape.types.count(helped), 0u) << "family twice: " << line;
    } else if (std::regex_match(line, match, kType)) {
      EXPECT_EQ(match[1], helped) << "TYPE without its HELP before it: " << line;
      family = match[1];
      EXPECT_TRUE(scrape.types.emplace(family, match[2]).second) << "TYPE twice: " << line;
    } else if (std::regex_match(line, match, kSample)) {
      std::string name = match[1];
      bool ours = name == family;
      if (scrape.types[family] == "histogram") {
        ours = name == family + "_bucket" || name == family + "_sum" || name == family + "_count";
      }
      EXPECT_TRUE(ours) << "sample outside its family " << family << ": " << line;
      size_t space = line.rfind(' ');
      std::string value = line.substr(space + 1);
      scrape.samples[line.substr(0, space)] =
          value == "+Inf" ? 1e308 : (value == "NaN" ? 0 : std::stod(value));
    } else {
      ADD_FAILURE() << "not a line of the text format: '" << line << "'";
    }
  }
  return scrape;
}

Scrape Fetch(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(5));
  httplib::Result result = client.Get("/metrics");
  if (!result) {
    ADD_FAILURE() << "GET /metrics on port " << port << ": " << httplib::to_string(result.error());
    return {};
  }
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  return ParseScrape(result->body);
}

// Scrapes until `done` holds (a counter is bumped just after the head moves), at most 10 s.
Scrape FetchUntil(int port, const std::function<bool(const Scrape&)>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  Scrape scrape = Fetch(port);
  while (!done(scrape) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    scrape = Fetch(port);
  }
  return scrape;
}

v1::Transaction Note(const KeyFile& key, const std::string& chain_id, uint64_t nonce) {
  v1::TxBody body;
  body.set_chain_id(chain_id);
  body.set_nonce(nonce);
  body.set_expiry_height(10000);
  body.mutable_note()->set_text("a nonce out of turn");
  return SignTxBody(std::move(body), key.keys);
}

TEST(MetricsEndpoint, ServesEveryMetricWellFormedAndCountsCommitsAlikeOnEveryNode) {
  LocalNetwork network(3);
  std::vector<int> ports;
  for (int i = 0; i < network.size(); ++i) {
    int port = testing::FreePort();
    while (std::find(ports.begin(), ports.end(), port) != ports.end())
      port = testing::FreePort();
    ports.push_back(port);
    network.SetConfig(i, "metrics_listen", "\"127.0.0.1:" + std::to_string(port) + "\"");
  }
  network.StartAll();
  int leader = network.AwaitLeader();
  ASSERT_GE(leader, 0);
  int follower = (leader + 1) % network.size();

  Scrape before = Fetch(ports[leader]);
  const std::map<std::string, std::string> expected_types = {
      {"trialledger_raft_role", "gauge"},
      {"trialledger_raft_term", "gauge"},
      {"trialledger_raft_commit_index", "gauge"},
      {"trialledger_raft_applied_index", "gauge"},
      {"trialledger_raft_last_index", "gauge"},
      {"trialledger_raft_peer_match_index", "gauge"},
      {"trialledger_raft_peer_lag_entries", "gauge"},
      {"trialledger_block_height", "gauge"},
      {"trialledger_mempool_transactions", "gauge"},
      {"trialledger_submissions_waiting", "gauge"},
      {"trialledger_blocks_applied_total", "counter"},
      {"trialledger_blocks_refused_total", "counter"},
      {"trialledger_transactions_committed_total", "counter"},
      {"trialledger_transactions_rejected_total", "counter"},
      {"trialledger_contract_facts_total", "counter"},
      {"trialledger_journal_entries_posted_total", "counter"},
      {"trialledger_block_apply_seconds", "histogram"},
      {"trialledger_block_commit_seconds", "histogram"},
      {"trialledger_raft_log_sync_seconds", "histogram"},
  };
  EXPECT_EQ(before.types, expected_types);
  EXPECT_EQ(before.at("trialledger_raft_role{role=\"leader\"}"), 1);
  EXPECT_EQ(before.at("trialledger_raft_role{role=\"follower\"}"), 0);
  EXPECT_GE(before.at("trialledger_raft_term"), 1);
  EXPECT_GT(before.at("trialledger_raft_log_sync_seconds_count"), 0);

  // Five notes through node 1 (forwarded if it does not lead), each waited for.
  const int kNotes = 5;
  for (int n = 0; n < kNotes; ++n) {
    testing::CommandResult note =
        network.Cli(0, {"--key", network.member_key_path("acme-bio-admin"), "tx", "note",
                        "metrics note " + std::to_string(n)});
    ASSERT_EQ(note.exit_code, 0) << note.err;
  }
  // One refused at admission by the leader: a nonce out of turn.
  KeyFile edc = network.member_key("northwind-cro-edc");
  std::string chain_id = network.client(leader).GetStatus()->chain_id();
  absl::StatusOr<v1::SubmitTransactionResponse> refused =
      network.client(leader).SubmitBytes(Encode(Note(edc, chain_id, 7)), true);
  ASSERT_TRUE(refused.ok()) << refused.status();
  ASSERT_EQ(refused->result().code(), v1::TX_BAD_NONCE);
  ASSERT_TRUE(network.AwaitSameHead({0, 1, 2}));

  uint64_t height = network.client(leader).GetStatus()->height();
  auto caught_up = [&](const Scrape& scrape) {
    auto value = [&](const std::string& sample) {
      auto found = scrape.samples.find(sample);
      return found == scrape.samples.end() ? -1.0 : found->second;
    };
    return value("trialledger_block_height") == static_cast<double>(height) &&
           value("trialledger_blocks_applied_total") ==
               value("trialledger_block_apply_seconds_count") &&
           value("trialledger_transactions_committed_total") -
                   before.at("trialledger_transactions_committed_total") ==
               kNotes;
  };
  Scrape after = FetchUntil(ports[leader], caught_up);
  EXPECT_EQ(after.at("trialledger_block_height"), static_cast<double>(height));
  EXPECT_GE(after.at("trialledger_block_height") - before.at("trialledger_block_height"), 1);
  EXPECT_EQ(after.at("trialledger_transactions_committed_total") -
                before.at("trialledger_transactions_committed_total"),
            kNotes);
  EXPECT_EQ(after.at("trialledger_transactions_rejected_total{reason=\"TX_BAD_NONCE\",stage="
                     "\"admission\"}"),
            1);
  EXPECT_GE(after.at("trialledger_blocks_applied_total"), 1);
  EXPECT_EQ(after.at("trialledger_block_apply_seconds_count"),
            after.at("trialledger_blocks_applied_total"));
  EXPECT_EQ(after.at("trialledger_block_commit_seconds_bucket{le=\"+Inf\"}"),
            after.at("trialledger_blocks_applied_total"));
  EXPECT_GT(after.at("trialledger_raft_log_sync_seconds_count"),
            before.at("trialledger_raft_log_sync_seconds_count"));
  EXPECT_GE(after.at("trialledger_raft_commit_index"), after.at("trialledger_raft_applied_index"));
  EXPECT_EQ(after.at("trialledger_journal_entries_posted_total"), 0);  // notes post nothing
  EXPECT_EQ(after.at("trialledger_mempool_transactions"), 0);
  EXPECT_EQ(after.at("trialledger_submissions_waiting"), 0);  // every note was answered
  // The leader reports its two peers by name.
  for (int i = 0; i < network.size(); ++i) {
    if (i == leader) continue;
    std::string peer = "{peer=\"" + network.name(i) + "\"}";
    EXPECT_GE(after.at("trialledger_raft_peer_match_index" + peer), 1);
    EXPECT_GE(after.at("trialledger_raft_peer_lag_entries" + peer), 0);
  }
  EXPECT_EQ(after.samples.count("trialledger_raft_peer_match_index{peer=\"" + network.name(leader) +
                                "\"}"),
            0u);

  // Every node applied the same blocks since it started, so its counters agree; a follower has
  // no peer gauges and no admission refusals.
  for (int i = 0; i < network.size(); ++i) {
    Scrape node = FetchUntil(ports[i], caught_up);
    EXPECT_EQ(node.at("trialledger_block_height"), static_cast<double>(height)) << i;
    EXPECT_EQ(node.at("trialledger_transactions_committed_total"),
              after.at("trialledger_transactions_committed_total"))
        << i;
    EXPECT_EQ(node.at("trialledger_blocks_applied_total"),
              after.at("trialledger_blocks_applied_total"))
        << i;
    if (i == follower) {
      EXPECT_EQ(node.at("trialledger_raft_role{role=\"follower\"}"), 1);
      EXPECT_EQ(node.text.find("peer=\""), std::string::npos) << node.text;
      EXPECT_EQ(node.text.find("stage=\"admission\""), std::string::npos) << node.text;
    }
  }

  // Only /metrics is served.
  httplib::Client client("127.0.0.1", ports[leader]);
  httplib::Result other = client.Get("/");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
  for (int i = 0; i < network.size(); ++i)
    EXPECT_EQ(network.Stop(i), 0) << network.log(i);
}

// trialledgerd run on `network`'s node 1 to completion (it is expected to refuse to start).
testing::CommandResult RunNode(const LocalNetwork& network,
                               const std::vector<std::string>& extra_args = {}) {
  std::vector<std::string> argv = {testing::BinDir() + "/trialledgerd", "--config",
                                   network.config_path(0)};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  return testing::RunCommand(argv);
}

TEST(NodeStartup, BadAddressesAreRefusedWithFileLineAndKeyBeforeAnythingIsCreated) {
  struct Case {
    const char* key;
    const char* value;
    const char* problem;
  };
  const Case cases[] = {
      {"metrics_listen", "\"127.0.0.1:99999\"", "metrics_listen: port 99999 is out of range"},
      {"metrics_listen", "\"metrics\"", "metrics_listen: 'metrics' has no port"},
      {"listen", "\"127.0.0.1:72922\"", "listen: port 72922 is out of range (1-65535)"},
      {"listen", "'127.0.0.1:notaport'", "listen: 'notaport' is not a port number"},
      {"peer_listen", "\"[::1:7051\"", "peer_listen: '[::1:7051' opens an IPv6 address"},
      {"log_level", "\"loud\"", "log_level: log level 'loud' is not one of"},
  };
  for (const Case& bad : cases) {
    LocalNetwork network(1);
    network.SetConfig(0, bad.key, bad.value);
    testing::CommandResult run = RunNode(network);
    EXPECT_EQ(run.exit_code, 1) << bad.key << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_EQ(run.err.rfind("ts=", 0), 0u) << run.err;
    EXPECT_NE(run.err.find(" level=error msg=\"cannot start\" error=\""), std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find(network.config_path(0) + ":"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(bad.problem), std::string::npos) << run.err;
    EXPECT_FALSE(std::filesystem::exists(network.data_dir(0))) << bad.key << " = " << bad.value;
  }
}

TEST(NodeStartup, ATakenMetricsPortIsRefusedWithTheAddress) {
  // Hold a listening socket on a port, then ask the node for it.
  int holder = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(holder, 1), 0);
  socklen_t length = sizeof address;
  ::getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length);
  std::string taken = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));

  LocalNetwork network(1);
  network.SetConfig(0, "metrics_listen", "\"" + taken + "\"");
  testing::CommandResult run = RunNode(network);
  ::close(holder);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("cannot listen on " + taken + " for metrics"), std::string::npos)
      << run.err;
}

TEST(NodeStartup, AnUnknownLogLevelFlagIsRefused) {
  LocalNetwork network(1);
  testing::CommandResult run = RunNode(network, {"--log-level", "loud"});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("loud"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(network.data_dir(0)));
}

// Each line: ts, level, node (after the config is read), msg, then key=value pairs; a value is
// bare or quoted with escapes.
bool IsLogLine(const std::string& line) {
  static const std::regex kLine(
      R"(ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=(debug|info|warn|error) node=[a-z0-9._-]+)"
      R"( msg=("([^"\\]|\\.)*"|[^ "=\\]+)( [a-z_]+=("([^"\\]|\\.)*"|[^ "=\\]+))*)");
  return std::regex_match(line, kLine);
}

// The log's lines that trialledgerd itself wrote (gRPC's own lines, if any, are left out).
std::vector<std::string> NodeLines(const std::string& log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    EXPECT_NE(line.rfind("trialledgerd ", 0), 0u) << "a line in the old form: " << line;
    if (line.rfind("ts=", 0) == 0) lines.push_back(line);
  }
  return lines;
}

TEST(NodeLog, LinesAreKeyValueAtTheConfiguredLevel) {
  LocalNetwork network(1);
  network.SetConfig(0, "log_level", "\"debug\"");
  network.Start(0);
  testing::CommandResult note = network.Cli(
      0, {"--key", network.member_key_path("acme-bio-admin"), "tx", "note", "a logged note"});
  ASSERT_EQ(note.exit_code, 0) << note.err;
  ASSERT_EQ(network.Stop(0), 0);
  std::vector<std::string> lines = NodeLines(network.log(0));
  std::set<std::string> seen;
  for (const std::string& line : lines) {
    EXPECT_TRUE(IsLogLine(line)) << line;
    for (const char* part : {" level=info node=node1 msg=\"became leader\" term=",
                             " level=info node=node1 msg=serving ",
                             " level=debug node=node1 msg=\"block proposed\" height=1 ",
                             " level=debug node=node1 msg=\"block applied\" height=1 ",
                             " level=info node=node1 msg=stopping signal=15"}) {
      if (line.find(part) != std::string::npos) seen.insert(part);
    }
  }
  EXPECT_EQ(seen.size(), 5u) << network.log(0);

  // --log-level overrides the config: at warn, a clean run logs nothing below warn.
  network.Start(0, {"--log-level", "warn"});
  note =
      network.Cli(0, {"--key", network.member_key_path("acme-bio-admin"), "tx", "note", "quiet"});
  ASSERT_EQ(note.exit_code, 0) << note.err;
  size_t lines_before = lines.size();
  ASSERT_EQ(network.Stop(0), 0);
  lines = NodeLines(network.log(0));
  for (size_t i = lines_before; i < lines.size(); ++i) {
    EXPECT_TRUE(lines[i].find(" level=info ") == std::string::npos &&
                lines[i].find(" level=debug ") == std::string::npos)
        << lines[i];
  }
}

}  // namespace
}  // namespace tl
