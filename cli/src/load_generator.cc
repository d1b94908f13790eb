#include "load_generator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "progress.h"
#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/client.h"
#include "trialledger/sdk/cpu_usage.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/latency_summary.h"
#include "trialledger/sdk/roles.h"
#include "trialledger/sdk/tx_builder.h"

namespace tl::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kExpiryBlocks = 10000;

struct Client {
  KeyPair keys;
  LedgerClient* connection = nullptr;  // its node's, shared
  uint64_t next_nonce = 1;
  std::vector<double> latencies_ms;
  uint64_t submitted = 0, committed = 0, rejected = 0, errors = 0;
  std::string first_error;
};

// Registers the clients' keys as members of the admin's organisation, all in one go.
absl::Status RegisterClients(LedgerClient& node, const KeyFile& admin,
                             std::vector<Client>& clients) {
  absl::StatusOr<v1::GetStatusResponse> status = node.GetStatus();
  if (!status.ok()) return status.status();
  absl::StatusOr<v1::GetMemberResponse> signer = node.GetMember(admin.keys.public_key);
  if (!signer.ok()) return absl::FailedPreconditionError("the --key is not a member");
  std::string run = ToHex(GenerateKeyPair().public_key).substr(0, 8);
  uint64_t nonce = signer->next_nonce();
  std::vector<std::string> pending;
  for (size_t i = 0; i < clients.size(); ++i) {
    v1::TxBody body;
    body.set_chain_id(status->chain_id());
    body.set_nonce(nonce++);
    body.set_expiry_height(status->height() + kExpiryBlocks);
    v1::Member* member = body.mutable_register_member()->mutable_member();
    member->set_name(StrCat("bench-", run, "-", i));
    member->set_org(signer->member().org());
    member->set_public_key(clients[i].keys.public_key);
    member->add_roles(std::string(roles::kClinops));
    bool last = i + 1 == clients.size();
    absl::StatusOr<v1::SubmitTransactionResponse> response =
        node.Submit(SignTxBody(std::move(body), admin.keys), last);
    if (!response.ok()) return response.status();
    if (response->status() == v1::TX_STATUS_REJECTED) {
      return absl::FailedPreconditionError(
          StrCat("registering bench members was refused: ", response->result().message()));
    }
    pending.push_back(response->tx_id());
  }
  for (const std::string& id : pending) {
    absl::StatusOr<v1::GetTransactionResponse> found = node.GetTransaction(id);
    if (!found.ok() || found->status() != v1::TX_STATUS_COMMITTED) {
      return absl::FailedPreconditionError("registering bench members did not commit");
    }
  }
  return absl::OkStatus();
}

// After a lost answer (a leader killed mid-request, say) the ledger, not the client, knows which
// nonce comes next.
void RefreshNonce(Client& client) {
  absl::StatusOr<v1::GetMemberResponse> member =
      client.connection->GetMember(client.keys.public_key);
  if (member.ok()) client.next_nonce = member->next_nonce();
}

void RunClient(Client& client, const std::string& chain_id, uint64_t expiry_height,
               const LoadOptions& options, Clock::time_point start, Clock::time_point end,
               Clock::duration interval, std::atomic<uint64_t>& committed_total) {
  std::string text(static_cast<size_t>(options.note_bytes), 'x');
  Clock::time_point scheduled = start;
  while (true) {
    Clock::time_point now = Clock::now();
    if (now >= end) break;
    if (interval.count() > 0) {
      if (scheduled > now) std::this_thread::sleep_until(scheduled);
      if (scheduled >= end) break;
    } else {
      scheduled = now;
    }
    v1::TxBody body;
    body.set_chain_id(chain_id);
    body.set_nonce(client.next_nonce);
    body.set_expiry_height(expiry_height);
    body.mutable_note()->set_text(text);
    v1::Transaction tx = SignTxBody(std::move(body), client.keys);
    ++client.submitted;
    absl::StatusOr<v1::SubmitTransactionResponse> response = client.connection->Submit(tx, true);
    double latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - scheduled).count();
    if (!response.ok()) {
      ++client.errors;
      if (client.first_error.empty()) client.first_error = std::string(response.status().message());
      RefreshNonce(client);  // the transaction may or may not have committed
    } else if (response->status() == v1::TX_STATUS_COMMITTED) {
      ++client.committed;
      committed_total.fetch_add(1, std::memory_order_relaxed);
      ++client.next_nonce;
      client.latencies_ms.push_back(latency_ms);
    } else {
      ++client.rejected;
      if (response->result().nonce_consumed()) ++client.next_nonce;
      if (response->result().code() == v1::TX_BAD_NONCE) RefreshNonce(client);
      if (client.first_error.empty()) client.first_error = response->result().message();
    }
    scheduled += interval;
  }
}

}  // namespace

absl::StatusOr<LoadReport> RunLoad(const LoadOptions& options, const KeyFile& admin) {
  if (options.nodes.empty()) return absl::InvalidArgumentError("give at least one --node");
  if (options.clients < 1 || options.clients > 1024) {
    return absl::InvalidArgumentError("--clients must be between 1 and 1024");
  }
  if (options.duration_s < 1) return absl::InvalidArgumentError("--duration must be >= 1");
  if (options.open_loop_rate < 0) return absl::InvalidArgumentError("--open-loop must be >= 0");
  std::vector<Client> clients(static_cast<size_t>(options.clients));
  // Reads (a client's member record) are signed as the admin; each client's notes by its own key.
  ClientOptions connection = options.connection;
  connection.member = admin.keys;
  // One connection per node, shared by the clients on it (HTTP/2 multiplexes their calls), as
  // etcd's clients share theirs in bench/etcd-compare. A TLS connection per client made a level
  // measure handshakes: at 256 clients they were cut off before the first call.
  std::vector<std::unique_ptr<LedgerClient>> connections;
  for (const std::string& node : options.nodes)
    connections.push_back(LedgerClient::Connect(node, connection));
  for (size_t i = 0; i < clients.size(); ++i) {
    clients[i].keys = GenerateKeyPair();
    clients[i].connection = connections[i % connections.size()].get();
  }
  LedgerClient* first = connections.front().get();
  absl::Status registered = RegisterClients(*first, admin, clients);
  if (!registered.ok()) return registered;
  absl::StatusOr<v1::GetStatusResponse> status = first->GetStatus();
  if (!status.ok()) return status.status();

  Clock::duration interval = Clock::duration::zero();
  if (options.open_loop_rate > 0) {
    interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(options.clients / options.open_loop_rate));
  }
  const std::optional<CpuUsage> cpu_before = ReadCpuUsage();
  Clock::time_point start = Clock::now();
  Clock::time_point end = start + std::chrono::seconds(options.duration_s);
  std::atomic<uint64_t> committed_total{0};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < clients.size(); ++i) {
    // Stagger open-loop clients so that their sends spread over the interval.
    Clock::time_point client_start = start + interval * static_cast<int64_t>(i) / options.clients;
    threads.emplace_back(RunClient, std::ref(clients[i]), status->chain_id(),
                         status->height() + kExpiryBlocks, std::cref(options), client_start, end,
                         interval, std::ref(committed_total));
  }
  if (options.on_progress) {
    for (Clock::time_point now = Clock::now(); now < end; now = Clock::now()) {
      std::this_thread::sleep_for(
          std::min<Clock::duration>(end - now, std::chrono::milliseconds(kRedrawIntervalMs)));
      options.on_progress(std::chrono::duration<double>(Clock::now() - start).count(),
                          committed_total.load(std::memory_order_relaxed));
    }
  }
  for (std::thread& thread : threads)
    thread.join();
  const std::optional<CpuUsage> cpu_after = ReadCpuUsage();

  LoadReport report;
  report.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> latencies;
  for (Client& client : clients) {
    report.submitted += client.submitted;
    report.committed += client.committed;
    report.rejected += client.rejected;
    report.errors += client.errors;
    if (report.first_error.empty()) report.first_error = client.first_error;
    latencies.insert(latencies.end(), client.latencies_ms.begin(), client.latencies_ms.end());
  }
  FillRateAndLatencies(report, std::move(latencies));
  FillCpuPerCommit(report, cpu_before, cpu_after);
  return report;
}

}  // namespace tl::cli
