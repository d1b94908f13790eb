// Members authenticate every client request (but GetStatus) by signing it with their Ed25519
// ledger key: the request's type and bytes, the client's clock and a random nonce, carried in
// gRPC metadata. The node checks the signature against the member's key as the latest applied
// block has it (so a revoked or rotated key is refused from the next block on), the time against
// a bounded window and the nonce against those it saw within the window (a replay is refused).
// One mechanism for unary calls and streams: a stream is authenticated by its opening request.
// Why not member TLS certificates: docs/protocol.md, "Client authentication".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>

#include "trialledger/sdk/crypto.h"

namespace tl {

inline constexpr std::string_view kRequestSigningDomain = "trialledger/v1/request";

// Metadata keys (binary values take gRPC's "-bin" suffix).
inline constexpr std::string_view kRequestKeyHeader = "tl-member-key-bin";
inline constexpr std::string_view kRequestTimeHeader = "tl-request-time-ms";
inline constexpr std::string_view kRequestNonceHeader = "tl-request-nonce-bin";
inline constexpr std::string_view kRequestSignatureHeader = "tl-request-signature-bin";
inline constexpr size_t kRequestNonceBytes = 16;

// What is signed: the request's message type (which names the method), the BLAKE2b-256 of its
// deterministic bytes, the time (ms since the epoch, big-endian) and the nonce.
std::string RequestSigningBytes(const google::protobuf::Message& request, int64_t time_ms,
                                std::string_view nonce);

// The metadata to send with `request`, signed by `keys`.
std::vector<std::pair<std::string, std::string>> SignRequest(
    const KeyPair& keys, const google::protobuf::Message& request, int64_t time_ms,
    std::string_view nonce);

// `count` bytes from libsodium's CSPRNG.
std::string RandomBytes(size_t count);

}  // namespace tl
