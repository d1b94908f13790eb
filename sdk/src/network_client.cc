#include "trialledger/sdk/network_client.h"

#include <algorithm>

#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/tx_builder.h"

namespace tl {

std::vector<std::string> SplitAddresses(std::string_view list) {
  std::vector<std::string> addresses;
  while (!list.empty()) {
    const size_t comma = std::min(list.find(','), list.size());
    if (comma > 0) addresses.emplace_back(list.substr(0, comma));
    list.remove_prefix(std::min(comma + 1, list.size()));
  }
  return addresses;
}

absl::StatusOr<std::unique_ptr<NetworkClient>> NetworkClient::Connect(
    std::vector<std::string> addresses, NetworkOptions options) {
  if (addresses.empty()) return absl::InvalidArgumentError("give at least one node address");
  for (const std::string& address : addresses) {
    if (address.empty()) return absl::InvalidArgumentError("a node address is empty");
  }
  return std::unique_ptr<NetworkClient>(
      new NetworkClient(std::move(addresses), std::move(options)));
}

NetworkClient::NetworkClient(std::vector<std::string> addresses, NetworkOptions options)
    : addresses_(std::move(addresses)), options_(std::move(options)) {}

LedgerClient& NetworkClient::ClientFor(const std::string& address) {
  std::unique_ptr<LedgerClient>& client = clients_[address];
  if (client == nullptr) client = LedgerClient::Connect(address, options_.client);
  return *client;
}

LedgerClient& NetworkClient::current() {
  return ClientFor(addresses_[current_]);
}

void NetworkClient::MoveOn() {
  current_ = (current_ + 1) % addresses_.size();
}

void NetworkClient::FindLeader() {
  absl::StatusOr<v1::GetStatusResponse> status = current().GetStatus();
  if (!status.ok() || status->leader().empty() || status->leader() == status->node_name()) return;
  for (const v1::ClusterMember& member : status->members()) {
    if (member.name() != status->leader() || member.address().empty()) continue;
    for (size_t i = 0; i < addresses_.size(); ++i) {
      if (addresses_[i] == member.address()) current_ = i;
    }
    // A leader the list does not name is still the one to submit to: it is the network's record
    // of its own client address, and its certificate is checked like any node's.
    if (addresses_[current_] != member.address()) {
      addresses_.push_back(member.address());
      current_ = addresses_.size() - 1;
    }
    return;
  }
}

absl::StatusOr<v1::SubmitTransactionResponse> NetworkClient::Submit(const v1::Transaction& tx,
                                                                    bool wait_for_commit) {
  FindLeader();
  const std::string bytes = Encode(tx);
  // SubmitBytes tries once: a node that is away is this client's to step over, not to wait for.
  return Call<v1::SubmitTransactionResponse>(
      [&](LedgerClient& node) { return node.SubmitBytes(bytes, wait_for_commit); });
}

absl::StatusOr<v1::SubmitTransactionResponse> NetworkClient::SignAndSubmit(
    const KeyPair& signer, const std::function<void(v1::TxBody&)>& fill) {
  absl::StatusOr<v1::GetStatusResponse> status =
      Call<v1::GetStatusResponse>([](LedgerClient& node) { return node.GetStatus(); });
  if (!status.ok()) return status.status();
  absl::StatusOr<v1::GetMemberResponse> member = Call<v1::GetMemberResponse>(
      [&](LedgerClient& node) { return node.GetMember(signer.public_key); });
  if (absl::IsNotFound(member.status())) {
    return absl::NotFoundError(
        StrCat("the signing key is not a member of network '", status->chain_id(), "'"));
  }
  if (!member.ok()) return member.status();
  v1::TxBody body;
  body.set_chain_id(status->chain_id());
  body.set_nonce(member->next_nonce());
  body.set_expiry_height(status->height() + options_.expiry_blocks);
  fill(body);
  return Submit(SignTxBody(std::move(body), signer), /*wait_for_commit=*/true);
}

}  // namespace tl
