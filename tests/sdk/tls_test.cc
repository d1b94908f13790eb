// Mutual TLS as nodes will use it: only certificates issued by the network's CA, presented by
// both sides and naming the expected peer, get through.
#include "trialledger/sdk/tls.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "trialledger/v1/ledger_service.grpc.pb.h"

#include <condition_variable>
#include <mutex>

namespace tl {
namespace {

class MutualTlsTest : public ::testing::Test {
 protected:
  static TlsIdentity Identity(const PemPair& ca, const std::string& name) {
    PemPair pair = IssueNodeCertificate(ca, name, "127.0.0.1", 30).value();
    return TlsIdentity{ca.certificate_pem, pair.certificate_pem, pair.private_key_pem};
  }

  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", MutualTlsServerCredentials(Identity(ca_, "node1")),
                             &port_);
    // A synchronous service gives the server the polling threads the health service runs on.
    builder.RegisterService(&unimplemented_ledger_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  // A health check over a channel with `credentials`, checking the server as `peer_name`.
  grpc::Status Call(std::shared_ptr<grpc::ChannelCredentials> credentials,
                    const std::string& peer_name) {
    auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port_), credentials,
                                             MutualTlsChannelArguments(peer_name));
    grpc::GenericStub stub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::Slice empty(std::string(""));
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer reply;
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    grpc::Status result;
    stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &reply,
                   [&](grpc::Status status) {
                     std::lock_guard<std::mutex> lock(mutex);
                     result = status;
                     done = true;
                     done_cv.notify_all();
                   });
    std::unique_lock<std::mutex> lock(mutex);
    done_cv.wait(lock, [&] { return done; });
    return result;
  }

  PemPair ca_ = CreateCertificateAuthority("test-net", 30).value();
  PemPair rogue_ca_ = CreateCertificateAuthority("rogue-net", 30).value();
  trialledger::v1::LedgerService::Service unimplemented_ledger_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(MutualTlsTest, CertificatesChainToTheirOwnCaOnly) {
  PemPair node = IssueNodeCertificate(ca_, "node2", "127.0.0.1", 30).value();
  EXPECT_TRUE(VerifyCertificate(ca_.certificate_pem, node.certificate_pem).ok());
  absl::Status foreign = VerifyCertificate(rogue_ca_.certificate_pem, node.certificate_pem);
  EXPECT_FALSE(foreign.ok());
  EXPECT_NE(std::string(foreign.message()).find("network CA"), std::string::npos);
}

TEST_F(MutualTlsTest, ANodeOfTheNetworkGetsThrough) {
  grpc::Status status = Call(MutualTlsChannelCredentials(Identity(ca_, "node2")), "node1");
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(MutualTlsTest, PeersWithoutANetworkCertificateAreRefused) {
  EXPECT_FALSE(Call(grpc::InsecureChannelCredentials(), "node1").ok());
  grpc::SslCredentialsOptions no_client_cert;
  no_client_cert.pem_root_certs = ca_.certificate_pem;
  EXPECT_FALSE(Call(grpc::SslCredentials(no_client_cert), "node1").ok());
  TlsIdentity rogue = Identity(rogue_ca_, "node2");
  rogue.ca_certificate_pem = ca_.certificate_pem;  // trusts us, but its cert is not ours
  EXPECT_FALSE(Call(MutualTlsChannelCredentials(rogue), "node1").ok());
}

TEST_F(MutualTlsTest, TheServerMustBeThePeerExpected) {
  EXPECT_FALSE(Call(MutualTlsChannelCredentials(Identity(ca_, "node2")), "node3").ok());
}

}  // namespace
}  // namespace tl
