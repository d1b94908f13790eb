// What every command shares: the global options (--node, --ca, --key, -o), the connection to a
// node, the signing key, and submitting a signed transaction.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "output.h"
#include "trialledger/sdk/client.h"
#include "trialledger/sdk/keyfile.h"
#include "trialledger/sdk/protocol.h"

namespace tl::cli {

// The exit status of every command (README, "The CLI"): 0 done; 1 refused or failed, nothing
// changed by this command; 2 the command line itself is wrong; 3 a transaction was sent but its
// outcome is not known (the connection was lost while waiting): look it up with `tx show`.
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitOutcomeUnknown = 3;

// A command's failure: printed as one line "trialledger: <message>", exit status `exit_code`.
struct CommandError {
  std::string message;
  int exit_code = kExitFailed;
};

// How long `client()` waits for each node of a --node list to answer before trying the next.
inline constexpr int64_t kNodeProbeMs = 1500;

class Context {
 public:
  // HOST:PORT, or a comma-separated list of them: the first that answers is asked.
  std::string node_address = "127.0.0.1:7051";
  std::string ca_path;  // the network CA that issued the nodes' certificates
  std::string key_path;
  std::string output = "table";
  bool wide = false;  // tables show every cell whole (--wide)
  uint64_t expiry_blocks = 100;
  int64_t timeout_s = 30;  // each call to a node, a submission's wait for its block included

  OutputStyle format() const;
  LedgerClient& client();
  // How to reach any node of the network: over TLS, verified against --ca.
  // `deadline_ms` 0: --timeout.
  ClientOptions client_options(int64_t deadline_ms = 0);
  const KeyFile& key();

  // "org/member" for a public key, asked of the node once per key; empty if it knows none.
  std::string SignerName(const std::string& public_key);

  // Fills chain id, nonce and expiry from the node, lets `fill` set the payload, signs with
  // --key, says the transaction id on standard error, submits and waits for the commit. A refusal
  // or rejection is a CommandError; a lost answer is one with kExitOutcomeUnknown that names the
  // transaction to look up.
  v1::SubmitTransactionResponse SubmitAndWait(const std::function<void(v1::TxBody&)>& fill);
  // The same, but a transaction the ledger rejected is returned (its status and result) rather
  // than thrown, for commands that handle a rejection themselves.
  v1::SubmitTransactionResponse Submit(const std::function<void(v1::TxBody&)>& fill);

  // Unwraps a StatusOr or throws CommandError with its message.
  template <typename T>
  static T Check(absl::StatusOr<T> value) {
    Check(value.status());
    return *std::move(value);
  }
  static void Check(const absl::Status& status) {
    if (!status.ok()) throw CommandError{std::string(status.message())};
  }

 private:
  std::string ca_pem_;
  std::unique_ptr<LedgerClient> client_;
  std::string connected_address_;  // the node of --node that client() reached
  std::unique_ptr<KeyFile> key_;
  std::map<std::string, std::string> signer_names_;
};

// JSON for a submitted transaction's outcome.
Json SubmissionJson(const v1::SubmitTransactionResponse& response);

}  // namespace tl::cli
