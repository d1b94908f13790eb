#include "workload.h"

#include <algorithm>
#include <chrono>
#include <fstream>

#include <gtest/gtest.h>

#include "netns_lab.h"
#include "process.h"
#include "trialledger/base/hex.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/tx_builder.h"

namespace tl::testing {
namespace {

// A client waits this long for one answer: under a partition most answers are time-outs, and
// a short wait keeps the history dense.
constexpr int64_t kRequestDeadlineMs = 3000;
// How far above the last height a client saw its notes expire: a soak passes any fixed height.
constexpr uint64_t kExpiryHeightsAhead = 10000;

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// An error after which the request may or may not have taken effect.
bool OutcomeUnknown(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status) ||
         absl::IsCancelled(status) || absl::IsUnknown(status) || absl::IsInternal(status) ||
         absl::IsAborted(status);
}

}  // namespace

Workload::Workload(const LocalNetwork& network, std::vector<WorkloadClient> clients)
    : network_(network), clients_(std::move(clients)) {
  std::unique_ptr<LedgerClient> client =
      LedgerClient::Connect(network_.address(clients_.at(0).node), network_.client_options());
  absl::StatusOr<v1::GetStatusResponse> status = client->GetStatus();
  EXPECT_TRUE(status.ok()) << status.status();
  if (status.ok()) chain_id_ = status->chain_id();
}

Workload::~Workload() {
  Stop();
}

void Workload::Start() {
  for (size_t i = 0; i < clients_.size(); ++i)
    threads_.emplace_back([this, i] { Run(i); });
}

void Workload::Stop() {
  stop_ = true;
  for (std::thread& thread : threads_)
    thread.join();
  threads_.clear();
}

void Workload::Record(nlohmann::json operation) {
  std::lock_guard<std::mutex> lock(mutex_);
  history_.push_back(operation.dump());
}

void Workload::Run(size_t index) {
  const WorkloadClient& me = clients_[index];
  const KeyFile key = network_.member_key(me.member);
  ClientOptions options = network_.client_options(kRequestDeadlineMs);
  options.member = key.keys;
  std::unique_ptr<LedgerClient> client = LedgerClient::Connect(network_.address(me.node), options);
  const std::string name = "c" + std::to_string(index + 1) + "@" + network_.name(me.node);

  auto next_nonce = [&]() -> std::optional<uint64_t> {
    absl::StatusOr<v1::GetMemberResponse> member = client->GetMember(key.keys.public_key);
    if (!member.ok()) return std::nullopt;
    return member->next_nonce();
  };
  uint64_t nonce = 0;  // the next one to use; 0 while unknown (nonces start at 1)
  std::optional<v1::Transaction> unsettled;  // sent, outcome unknown: sent again as it is
  int64_t sequence = 0;
  uint64_t seen_height = 0;  // the highest height an answer showed this client
  while (!stop_) {
    if (!unsettled.has_value()) {
      if (nonce == 0) nonce = next_nonce().value_or(0);
      if (nonce == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      v1::TxBody body;
      body.set_chain_id(chain_id_);
      body.set_nonce(nonce);
      body.set_expiry_height(seen_height + kExpiryHeightsAhead);
      body.mutable_note()->set_text(name + " note " + std::to_string(++sequence));
      unsettled = SignTxBody(std::move(body), key.keys);
    }
    nlohmann::json submit = {
        {"op", "submit"}, {"client", name}, {"tx_id", ToHex(TxId(*unsettled))}};
    submit["start_us"] = NowUs();
    absl::StatusOr<v1::SubmitTransactionResponse> answer =
        client->Submit(*unsettled, /*wait_for_commit=*/true);
    submit["end_us"] = NowUs();
    if (answer.ok() && answer->height() > 0 &&
        (answer->status() == v1::TX_STATUS_COMMITTED ||
         answer->status() == v1::TX_STATUS_REJECTED)) {
      submit["outcome"] = "ok";  // in a block (a rejected one too: it is in the chain)
      submit["height"] = answer->height();
      seen_height = std::max(seen_height, answer->height());
      ++acknowledged_;
      nonce += 1;
      unsettled.reset();
    } else if (answer.ok() && answer->status() == v1::TX_STATUS_REJECTED) {
      submit["outcome"] = "refused";
      submit["reason"] = answer->result().message();
      nonce = 0;
      unsettled.reset();
    } else if (!answer.ok() && !OutcomeUnknown(answer.status())) {
      submit["outcome"] = "refused";
      submit["reason"] = std::string(answer.status().message());
      nonce = 0;
      unsettled.reset();
    } else {
      submit["outcome"] = "unknown";
      ++unknown_;
    }
    Record(std::move(submit));

    nlohmann::json read = {{"op", "read"}, {"client", name}};
    read["start_us"] = NowUs();
    absl::StatusOr<v1::GetStatusResponse> status = client->GetStatus(/*linearizable=*/true);
    read["end_us"] = NowUs();
    if (status.ok()) {
      read["outcome"] = "ok";
      read["height"] = status->height();
      seen_height = std::max(seen_height, status->height());
      ++reads_;
    } else {
      read["outcome"] = "unknown";
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    Record(std::move(read));
  }
}

void Workload::WriteHistory(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::ofstream out(path);
  for (const std::string& line : history_)
    out << line << "\n";
}

LocalNetworkOptions LabNetworkOptions(const NetnsLab& lab, int port) {
  LocalNetworkOptions options{.nodes = lab.size(),
                              .orgs = "",
                              .hosts = {},
                              .base_port = port,
                              .launch_prefix = [&lab](int i) { return lab.LaunchPrefix(i); }};
  for (int i = 0; i < lab.size(); ++i)
    options.hosts.push_back(lab.address(i));
  return options;
}

std::vector<WorkloadClient> ClientAtEveryNode(int nodes) {
  // Members of `network init`'s default organisations that may sign notes: nonces are per key,
  // so no two clients share one.
  static const std::vector<std::string> kMembers = {"acme-bio-finance", "northwind-cro-finance",
                                                    "acme-bio-clinops", "northwind-cro-edc",
                                                    "northwind-cro-ctms"};
  EXPECT_LE(nodes, static_cast<int>(kMembers.size())) << "one member per client";
  std::vector<WorkloadClient> clients;
  for (int i = 0; i < nodes && i < static_cast<int>(kMembers.size()); ++i)
    clients.push_back({.node = i, .member = kMembers[i]});
  return clients;
}

int64_t DumpLedger(const LocalNetwork& network, int index, const std::string& path) {
  std::unique_ptr<LedgerClient> client =
      LedgerClient::Connect(network.address(index), network.client_options());
  absl::StatusOr<v1::GetStatusResponse> status = client->GetStatus();
  if (!status.ok()) return -1;
  std::ofstream out(path);
  for (uint64_t height = 1; height <= status->height(); ++height) {
    absl::StatusOr<v1::GetBlockResponse> block = client->GetBlock(height);
    if (!block.ok()) return -1;
    absl::StatusOr<v1::BlockHeader> header = DecodeBlockHeader(block->block().header());
    if (!header.ok()) return -1;
    nlohmann::json line = {{"height", header->height()},
                           {"hash", ToHex(BlockHash(block->block()))},
                           {"prev_hash", ToHex(header->prev_block_hash())},
                           {"state_hash", ToHex(header->state_hash())}};
    nlohmann::json tx_ids = nlohmann::json::array();
    for (const v1::Transaction& tx : block->block().transactions())
      tx_ids.push_back(ToHex(TxId(tx)));
    line["tx_ids"] = tx_ids;
    out << line.dump() << "\n";
  }
  return static_cast<int64_t>(status->height());
}

CheckerVerdict CheckHistory(const std::string& history, const std::vector<std::string>& ledgers) {
  std::vector<std::string> command = {BinDir() + "/history_checker", "--history", history,
                                      "--require-same-head"};
  for (size_t i = 0; i < ledgers.size(); ++i) {
    command.push_back("--ledger");
    command.push_back("n" + std::to_string(i + 1) + "=" + ledgers[i]);
  }
  CommandResult result = RunCommand(command);
  CheckerVerdict verdict{.exit_code = result.exit_code,
                         .summary = nlohmann::json(),
                         .output = result.out + result.err};
  if (!result.out.empty()) verdict.summary = nlohmann::json::parse(result.out, nullptr, false);
  return verdict;
}

}  // namespace tl::testing
