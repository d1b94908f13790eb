// A client of a whole network rather than one node: it knows several nodes' addresses, sends
// submissions to the leader (asking any node who that is), and when a node is away or has no
// leader it tries the next one, backing off between rounds, within a RetryPolicy.
//
//   NetworkOptions options;
//   options.client.ca_certificate_pem = ca;          // tls/ca.crt of `network init`
//   options.client.member = key_file.keys;           // requests are signed as this member
//   auto network = NetworkClient::Connect({"10.0.0.1:7051", "10.0.0.2:7051"}, options);
//   auto committed = (*network)->SignAndSubmit(key_file.keys, [&](v1::TxBody& body) {
//     body.mutable_submit_facts()->set_contract_id("mob");  // ... the payload
//   });
//   auto milestones = (*network)->Call<v1::GetMilestonesResponse>(
//       [](LedgerClient& node) { return node.GetMilestones("mob"); });
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "trialledger/sdk/client.h"
#include "trialledger/sdk/retry.h"

namespace tl {

// "a:7051,b:7051" as a list of addresses (empty parts skipped).
std::vector<std::string> SplitAddresses(std::string_view list);

struct NetworkOptions {
  ClientOptions client;  // TLS, the member requests are signed as, each call's deadline
  RetryPolicy retry;
  // A submitted transaction expires this many blocks after the head it was built on.
  uint64_t expiry_blocks = 100;
};

class NetworkClient {
 public:
  // InvalidArgument without an address. Connecting is lazy: a node that is down now is only
  // skipped when it is called.
  static absl::StatusOr<std::unique_ptr<NetworkClient>> Connect(std::vector<std::string> addresses,
                                                                NetworkOptions options);

  // Runs `call` on the current node; while the answer is retryable (IsRetryable) moves to the next
  // node and, after each full round, backs off. Returns the first success or the last error.
  template <typename Response>
  absl::StatusOr<Response> Call(const std::function<absl::StatusOr<Response>(LedgerClient&)>& call);

  // Submits on the leader (found through GetStatus, and followed when it moves); any node would
  // forward it, but the leader saves a hop. Resubmitting the same signed transaction is safe: the
  // ledger commits a transaction id once.
  absl::StatusOr<v1::SubmitTransactionResponse> Submit(const v1::Transaction& tx,
                                                       bool wait_for_commit);
  // Builds the body (chain id, the signer's next nonce, expiry), lets `fill` set the payload,
  // signs it with `signer` and submits it, waiting for the commit. A transaction the ledger
  // rejected is returned as it is: look at its status and result.
  absl::StatusOr<v1::SubmitTransactionResponse> SignAndSubmit(
      const KeyPair& signer, const std::function<void(v1::TxBody&)>& fill);

  LedgerClient& current();
  const std::string& current_address() const { return addresses_[current_]; }
  // The next node of the list (after a failure the caller saw itself, as a stream's).
  void MoveOn();
  const NetworkOptions& options() const { return options_; }

 private:
  NetworkClient(std::vector<std::string> addresses, NetworkOptions options);
  LedgerClient& ClientFor(const std::string& address);
  // Makes the leader's client address current, if a node names one.
  void FindLeader();

  std::vector<std::string> addresses_;
  NetworkOptions options_;
  size_t current_ = 0;
  std::map<std::string, std::unique_ptr<LedgerClient>> clients_;
};

template <typename Response>
absl::StatusOr<Response> NetworkClient::Call(
    const std::function<absl::StatusOr<Response>(LedgerClient&)>& call) {
  Backoff backoff(options_.retry);
  while (true) {
    absl::StatusOr<Response> response = absl::UnavailableError("no node was tried");
    for (size_t tried = 0; tried < addresses_.size(); ++tried) {
      response = call(current());
      if (response.ok() || !IsRetryable(response.status())) return response;
      MoveOn();
    }
    if (!backoff.Wait()) return response;
  }
}

}  // namespace tl
