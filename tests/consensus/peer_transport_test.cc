// Raft messages between two transports on loopback over mutual TLS.
#include "trialledger/consensus/peer_transport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "process.h"

namespace tl::raft {
namespace {

using Clock = std::chrono::steady_clock;

class Inbox {
 public:
  void Push(Message message) {
    std::lock_guard<std::mutex> lock(mutex_);
    messages_.push_back(std::move(message));
    arrived_.notify_all();
  }
  // Waits up to 10 s for `count` messages.
  std::vector<Message> Wait(size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    arrived_.wait_until(lock, Clock::now() + std::chrono::seconds(10),
                        [&] { return messages_.size() >= count; });
    return messages_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Message> messages_;
};

class PeerTransportTest : public ::testing::Test {
 protected:
  TlsIdentity Identity(const PemPair& ca, const std::string& name) {
    PemPair pair = IssueNodeCertificate(ca, name, "127.0.0.1", 30).value();
    return TlsIdentity{ca_.certificate_pem, pair.certificate_pem, pair.private_key_pem};
  }

  void SetUp() override {
    peers_ = {{1, "node1", "127.0.0.1:" + std::to_string(testing::FreePort())},
              {2, "node2", "127.0.0.1:" + std::to_string(testing::FreePort())}};
    receiver_ = std::make_unique<PeerTransport>(2, peers_, Identity(ca_, "node2"),
                                                [this](Message message) { inbox_.Push(message); });
    grpc::ServerBuilder builder;
    builder.AddListeningPort(peers_[1].address, MutualTlsServerCredentials(Identity(ca_, "node2")));
    builder.RegisterService(receiver_->service());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  void TearDown() override {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  }

  static Message Append(uint64_t index) {
    Message message;
    message.type = MessageType::kAppend;
    message.from = 1;
    message.to = 2;
    message.term = 3;
    message.index = index;
    message.entries.push_back(Entry{3, index + 1, EntryType::kNormal, "block"});
    return message;
  }

  PemPair ca_ = CreateCertificateAuthority("test-net", 30).value();
  std::vector<Peer> peers_;
  Inbox inbox_;
  std::unique_ptr<PeerTransport> receiver_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(PeerTransportTest, MessagesArriveInOrderAndIntact) {
  PeerTransport sender(1, peers_, Identity(ca_, "node1"), [](Message) {});
  for (uint64_t i = 1; i <= 200; ++i)
    sender.Send(Append(i));
  std::vector<Message> received = inbox_.Wait(200);
  ASSERT_EQ(received.size(), 200u);
  for (uint64_t i = 1; i <= 200; ++i)
    EXPECT_EQ(received[i - 1], Append(i));
  EXPECT_EQ(receiver_->refused(), 0u);
}

TEST_F(PeerTransportTest, ANodeCannotSpeakForAnother) {
  // node3 holds a genuine certificate of this network, but claims to be node 1.
  std::vector<Peer> peers = peers_;
  peers[0].name = "node3";
  PeerTransport impostor(1, peers, Identity(ca_, "node3"), [](Message) {});
  for (uint64_t i = 1; i <= 5; ++i)
    impostor.Send(Append(i));
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (receiver_->refused() < 5 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(receiver_->refused(), 5u);
  EXPECT_EQ(receiver_->received(), 0u);
}

TEST_F(PeerTransportTest, AForeignCertificateCannotConnect) {
  PemPair rogue_ca = CreateCertificateAuthority("rogue-net", 30).value();
  PemPair rogue = IssueNodeCertificate(rogue_ca, "node1", "127.0.0.1", 30).value();
  PeerTransport outsider(
      1, peers_, TlsIdentity{ca_.certificate_pem, rogue.certificate_pem, rogue.private_key_pem},
      [](Message) {});
  for (uint64_t i = 1; i <= 5; ++i)
    outsider.Send(Append(i));
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (outsider.dropped_sends() == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(outsider.dropped_sends(), 0u);
  EXPECT_EQ(receiver_->received(), 0u);
}

}  // namespace
}  // namespace tl::raft
