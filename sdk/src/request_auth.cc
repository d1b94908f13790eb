#include "trialledger/sdk/request_auth.h"

#include <sodium.h>

#include "trialledger/base/endian.h"
#include "trialledger/sdk/codec.h"

namespace tl {

std::string RequestSigningBytes(const google::protobuf::Message& request, int64_t time_ms,
                                std::string_view nonce) {
  std::string bytes = request.GetDescriptor()->full_name();
  bytes.push_back('\0');
  bytes += Blake2b256(Encode(request));
  bytes += EncodeBigEndian64(static_cast<uint64_t>(time_ms));
  bytes += nonce;
  return bytes;
}

std::vector<std::pair<std::string, std::string>> SignRequest(
    const KeyPair& keys, const google::protobuf::Message& request, int64_t time_ms,
    std::string_view nonce) {
  const std::string signature = SignInDomain(kRequestSigningDomain, keys.secret_key,
                                             RequestSigningBytes(request, time_ms, nonce));
  return {{std::string(kRequestKeyHeader), keys.public_key},
          {std::string(kRequestTimeHeader), std::to_string(time_ms)},
          {std::string(kRequestNonceHeader), std::string(nonce)},
          {std::string(kRequestSignatureHeader), signature}};
}

std::string RandomBytes(size_t count) {
  std::string bytes(count, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

}  // namespace tl
