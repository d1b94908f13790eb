// The node's side of signed client requests (sdk/request_auth.h): who the member behind a
// request is, or why it is refused.
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "trialledger/node/node.h"
#include "trialledger/v1/identity.pb.h"

namespace tl::node {

class RequestAuthenticator {
 public:
  explicit RequestAuthenticator(Node& node) : node_(node) {}

  // The member whose current key signed `request` within the clock window, with a nonce not
  // seen before; otherwise UNAUTHENTICATED (no, bad or stale signature; unknown or revoked key;
  // a replay) or RESOURCE_EXHAUSTED (the window holds kRequestNoncesRememberedMax nonces).
  absl::StatusOr<v1::Member> Authenticate(const grpc::ServerContext& context,
                                          const google::protobuf::Message& request, int64_t now_ms);

 private:
  // Remembers `key_and_nonce` for the window; UNAUTHENTICATED if it was seen within it (a
  // replay), RESOURCE_EXHAUSTED if the window is full (then it remembers nothing).
  absl::Status Remember(const std::string& key_and_nonce, int64_t time_ms, int64_t now_ms);

  Node& node_;
  std::mutex mutex_;
  std::map<std::string, int64_t> seen_;          // key + nonce -> request time
  std::multimap<int64_t, std::string> by_time_;  // to forget what left the window
};

}  // namespace tl::node
