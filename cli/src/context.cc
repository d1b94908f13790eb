#include "context.h"

#include "trialledger/base/hex.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/tx_builder.h"

namespace tl::cli {

OutputFormat Context::format() const {
  return output == "json" ? OutputFormat::kJson : OutputFormat::kTable;
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
  options.deadline_ms = deadline_ms;
  // Every request but `status` is signed as the member of --key (the node refuses it unsigned).
  if (!key_path.empty()) options.member = key().keys;
  return options;
}

LedgerClient& Context::client() {
  if (client_ == nullptr) client_ = LedgerClient::Connect(node_address, client_options());
  return *client_;
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

v1::SubmitTransactionResponse Context::SubmitAndWait(const std::function<void(v1::TxBody&)>& fill) {
  const KeyFile& signer = key();
  v1::GetStatusResponse status = Check(client().GetStatus());
  absl::StatusOr<v1::GetMemberResponse> member = client().GetMember(signer.keys.public_key);
  // The read itself is signed by the key: a revoked or unknown key is refused there, by the node.
  if (absl::IsUnauthenticated(member.status())) Check(member.status());
  if (!member.ok()) {
    throw CommandError{StrCat("key ", key_path, " (", ToHex(signer.keys.public_key).substr(0, 16),
                              "…) is not a member of network '", status.chain_id(), "'")};
  }
  v1::TxBody body;
  body.set_chain_id(status.chain_id());
  body.set_nonce(member->next_nonce());
  body.set_expiry_height(status.height() + expiry_blocks);
  fill(body);
  v1::Transaction tx = SignTxBody(std::move(body), signer.keys);
  v1::SubmitTransactionResponse response = Check(client().Submit(tx, /*wait_for_commit=*/true));
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
