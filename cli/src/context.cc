#include "context.h"

#include <unistd.h>

#include <cstdio>

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/network_client.h"
#include "trialledger/sdk/tx_builder.h"

namespace tl::cli {

OutputStyle Context::format() const {
  if (output == "json") return OutputFormat::kJson;
  if (output == "csv") return OutputFormat::kCsv;
  return OutputStyle(OutputFormat::kTable, wide);
}

ClientOptions Context::client_options(int64_t deadline_ms) {
  if (ca_pem_.empty()) {
    if (ca_path.empty()) {
      throw CommandError{StrCat("node ", node_address,
                                ": nodes talk to clients over TLS only; give --ca FILE (or TL_CA), "
                                "the network CA certificate (tls/ca.crt of `network init`)")};
    }
    absl::StatusOr<std::string> pem = ReadWholeFile(ca_path);
    if (!pem.ok()) throw CommandError{StrCat("--ca: ", pem.status().message())};
    if (pem->find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      throw CommandError{StrCat("--ca: ", ca_path, " holds no PEM certificate")};
    }
    ca_pem_ = *std::move(pem);
  }
  ClientOptions options;
  options.ca_certificate_pem = ca_pem_;
  options.deadline_ms = deadline_ms > 0 ? deadline_ms : timeout_s * 1000;
  // Every request but `status` is signed as the member of --key (the node refuses it unsigned).
  if (!key_path.empty()) options.member = key().keys;
  return options;
}

LedgerClient& Context::client() {
  if (client_ != nullptr) return *client_;
  const std::vector<std::string> nodes = SplitAddresses(node_address);
  if (nodes.size() <= 1) {
    client_ = LedgerClient::Connect(node_address, client_options());
    connected_address_ = node_address;
    return *client_;
  }
  // A list: the first node that answers, so that a command goes on while a node is down (a
  // follower forwards a submission to the leader). Each is asked for its status, briefly.
  std::string why;
  for (const std::string& node : nodes) {
    absl::Status answer =
        LedgerClient::Connect(node, client_options(kNodeProbeMs))->GetStatus().status();
    if (answer.ok()) {
      client_ = LedgerClient::Connect(node, client_options());
      connected_address_ = node;
      return *client_;
    }
    why = std::string(answer.message());
  }
  throw CommandError{StrCat("none of the nodes ", node_address, " answers; the last: ", why)};
}

const KeyFile& Context::key() {
  if (key_ == nullptr) {
    if (key_path.empty()) throw CommandError{"this command signs: give --key FILE (or TL_KEY)"};
    key_ = std::make_unique<KeyFile>(Check(ReadKeyFile(key_path)));
  }
  return *key_;
}

std::string Context::SignerName(const std::string& public_key) {
  auto known = signer_names_.find(public_key);
  if (known != signer_names_.end()) return known->second;
  absl::StatusOr<v1::GetMemberResponse> member = client().GetMember(public_key);
  std::string name =
      member.ok() ? StrCat(member->member().org(), "/", member->member().name()) : "";
  signer_names_[public_key] = name;
  return name;
}

namespace {

// Whether a failed Submit may still have committed: the node may have taken the transaction before
// the answer was lost. A refusal at admission (bad signature, mempool full, ...) left nothing.
bool OutcomeUnknown(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kAborted:
      return true;
    default:
      return false;
  }
}

}  // namespace

v1::SubmitTransactionResponse Context::Submit(const std::function<void(v1::TxBody&)>& fill) {
  const KeyFile& signer = key();
  v1::GetStatusResponse status = Check(client().GetStatus());
  absl::StatusOr<v1::GetMemberResponse> member = client().GetMember(signer.keys.public_key);
  // Only the node's own answer "no such member" means the key is not one; a lost connection or a
  // revoked key says so in its own words.
  if (absl::IsNotFound(member.status())) {
    throw CommandError{StrCat("key ", key_path, " (", ToHex(signer.keys.public_key).substr(0, 16),
                              "…) is not a member of network '", status.chain_id(), "'")};
  }
  Check(member.status());
  v1::TxBody body;
  body.set_chain_id(status.chain_id());
  body.set_nonce(member->next_nonce());
  body.set_expiry_height(status.height() + expiry_blocks);
  fill(body);
  v1::Transaction tx = SignTxBody(std::move(body), signer.keys);
  const std::string tx_id = ToHex(TxId(tx));
  const size_t size_bytes = Encode(tx).size();
  if (size_bytes > limits::kTxBytesMax) {
    throw CommandError{StrCat("the transaction is ", size_bytes,
                              " bytes, over the ledger's limit of ", limits::kTxBytesMax,
                              " bytes (kTxBytesMax); nothing was sent")};
  }
  // Said before the wait, so that someone watching who loses patience or the connection knows
  // what to look up; in a script every failure below names the transaction itself.
  if (::isatty(STDERR_FILENO)) {
    std::fprintf(stderr, "trialledger: sending transaction %s to %s\n", tx_id.c_str(),
                 connected_address_.c_str());
  }
  absl::StatusOr<v1::SubmitTransactionResponse> submitted =
      client().Submit(tx, /*wait_for_commit=*/true);
  if (!submitted.ok() && OutcomeUnknown(submitted.status())) {
    throw CommandError{StrCat("outcome unknown: transaction ", tx_id,
                              " was sent but no answer came (", submitted.status().message(),
                              "); look it up with `trialledger tx show ", tx_id, "`"),
                       kExitOutcomeUnknown};
  }
  return Check(std::move(submitted));
}

v1::SubmitTransactionResponse Context::SubmitAndWait(const std::function<void(v1::TxBody&)>& fill) {
  v1::SubmitTransactionResponse response = Submit(fill);
  if (response.status() != v1::TX_STATUS_COMMITTED) {
    std::string where = response.height() ? StrCat(" in block ", response.height()) : "";
    throw CommandError{StrCat("transaction ", ToHex(response.tx_id()), " rejected", where, " (",
                              ResultCodeName(response.result().code()),
                              "): ", response.result().message())};
  }
  return response;
}

Json SubmissionJson(const v1::SubmitTransactionResponse& response) {
  return Json{{"tx_id", ToHex(response.tx_id())},
              {"status", response.status() == v1::TX_STATUS_COMMITTED ? "committed" : "rejected"},
              {"height", response.height()},
              {"result", ResultCodeName(response.result().code())}};
}

}  // namespace tl::cli
