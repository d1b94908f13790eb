// Mutual TLS between nodes: a per-network certificate authority, node certificates issued by it
// (ECDSA P-256, SHA-256, subject alternative names DNS:<node name> and the node's host), and gRPC
// credentials that require and verify the peer's certificate.
//
//   auto ca = CreateCertificateAuthority("trialledger-local", 3650);
//   auto node1 = IssueNodeCertificate(*ca, "node1", "127.0.0.1", 825);
//   auto server = MutualTlsServerCredentials({ca->certificate_pem, node1->certificate_pem,
//                                             node1->private_key_pem});
//
// A client dials a peer by its address but checks the certificate against the peer's node name
// (see MutualTlsChannelArguments), so certificates stay valid if addresses change.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tl {

struct PemPair {
  std::string certificate_pem;
  std::string private_key_pem;
};

struct TlsIdentity {
  std::string ca_certificate_pem;  // the network's CA: the only issuer peers accept
  std::string certificate_pem;     // this node's certificate
  std::string private_key_pem;
};

absl::StatusOr<PemPair> CreateCertificateAuthority(std::string_view network_name,
                                                   int validity_days);
// `host` is an IP address or a DNS name; both it and `node_name` go into the certificate.
absl::StatusOr<PemPair> IssueNodeCertificate(const PemPair& ca, std::string_view node_name,
                                             std::string_view host, int validity_days);

// Checks that `certificate_pem` was issued by `ca_certificate_pem` and is in its validity period.
absl::Status VerifyCertificate(const std::string& ca_certificate_pem,
                               const std::string& certificate_pem);

std::shared_ptr<grpc::ServerCredentials> MutualTlsServerCredentials(const TlsIdentity& identity);
std::shared_ptr<grpc::ChannelCredentials> MutualTlsChannelCredentials(const TlsIdentity& identity);
// The client port: TLS with the node's own certificate, so clients know they reach a node of the
// network (their channel verifies it against the network CA and the address they dial, which
// the certificate names); no client certificate: members authenticate as members, not as TLS
// peers. There is no plaintext listener.
std::shared_ptr<grpc::ServerCredentials> ServerTlsCredentials(const TlsIdentity& identity);
std::shared_ptr<grpc::ChannelCredentials> ClientTlsCredentials(
    const std::string& ca_certificate_pem);
// Channel arguments that make the TLS handshake check the peer's certificate for `peer_name`.
grpc::ChannelArguments MutualTlsChannelArguments(const std::string& peer_name);

}  // namespace tl
