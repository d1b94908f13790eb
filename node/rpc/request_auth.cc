#include "request_auth.h"

#include <cstdlib>
#include <iterator>
#include <optional>

#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/request_auth.h"

namespace tl::node {
namespace {

absl::Status Unauthenticated(std::string_view why) {
  return absl::UnauthenticatedError(StrCat("request refused: ", why));
}

// The single value of metadata `key`, or nullopt.
std::optional<std::string> Header(const grpc::ServerContext& context, std::string_view key) {
  const auto& metadata = context.client_metadata();
  auto [first, last] = metadata.equal_range(grpc::string_ref(key.data(), key.size()));
  if (first == last || std::next(first) != last) return std::nullopt;
  return std::string(first->second.data(), first->second.size());
}

}  // namespace

absl::StatusOr<v1::Member> RequestAuthenticator::Authenticate(
    const grpc::ServerContext& context, const google::protobuf::Message& request, int64_t now_ms) {
  std::optional<std::string> key = Header(context, kRequestKeyHeader);
  std::optional<std::string> time = Header(context, kRequestTimeHeader);
  std::optional<std::string> nonce = Header(context, kRequestNonceHeader);
  std::optional<std::string> signature = Header(context, kRequestSignatureHeader);
  if (!key || !time || !nonce || !signature) {
    return Unauthenticated(
        "it is not signed by a member's key (the CLI signs with --key FILE or TL_KEY)");
  }
  if (key->size() != kPublicKeyBytes || nonce->size() != kRequestNonceBytes) {
    return Unauthenticated("malformed signature headers");
  }
  char* end = nullptr;
  const long long time_ms = std::strtoll(time->c_str(), &end, 10);
  if (time->empty() || end != time->c_str() + time->size()) {
    return Unauthenticated("malformed request time");
  }
  if (std::llabs(time_ms - now_ms) > limits::kRequestClockSkewMaxMs) {
    return Unauthenticated(StrCat("its time is more than ", limits::kRequestClockSkewMaxMs / 1000,
                                  " s from the node's clock"));
  }
  if (!VerifyInDomain(kRequestSigningDomain, *key, RequestSigningBytes(request, time_ms, *nonce),
                      *signature)) {
    return Unauthenticated("the signature does not verify");
  }
  v1::GetMemberResponse member = node_.Member(*key);
  if (!member.has_member()) return Unauthenticated("the key is not a member's");
  if (member.revoked()) {
    return Unauthenticated(StrCat("the key of member '", member.member().name(), "' of '",
                                  member.member().org(), "' was revoked at block ",
                                  member.revoked_from_height()));
  }
  if (absl::Status fresh = Remember(*key + *nonce, time_ms, now_ms); !fresh.ok()) return fresh;
  return member.member();
}

absl::Status RequestAuthenticator::Remember(const std::string& key_and_nonce, int64_t time_ms,
                                            int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Whatever is older than the window would be refused for its time anyway.
  while (!by_time_.empty() && by_time_.begin()->first < now_ms - limits::kRequestClockSkewMaxMs) {
    seen_.erase(by_time_.begin()->second);
    by_time_.erase(by_time_.begin());
  }
  if (seen_.contains(key_and_nonce)) return Unauthenticated("it is a replay of an earlier request");
  if (seen_.size() >= limits::kRequestNoncesRememberedMax) {
    return absl::ResourceExhaustedError(
        StrCat("request refused: more than ", limits::kRequestNoncesRememberedMax,
               " requests within the replay window; retry shortly"));
  }
  seen_.emplace(key_and_nonce, time_ms);
  by_time_.emplace(time_ms, key_and_nonce);
  return absl::OkStatus();
}

}  // namespace tl::node
