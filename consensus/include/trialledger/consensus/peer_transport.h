// Raft messages between nodes over gRPC with mutual TLS.
//
// Sending: one thread and one bounded queue per peer keep a stream open to that peer and write
// messages in order; when the peer is unreachable, messages are dropped and the stream is retried
// after a short backoff (Raft recovers lost messages itself). Send never blocks the caller.
// Receiving: the RaftPeerService (gRPC's callback API: the thread that reads a message hands it
// on) accepts a message only if its `from` node is the node named in the TLS certificate the peer
// presented, so a node cannot speak for another.
//
//   PeerTransport transport(self_id, peers, identity, [&](raft::Message m) { inbox.Push(m); });
//   builder.AddListeningPort(addr, MutualTlsServerCredentials(identity));
//   builder.RegisterService(transport.service());
//   transport.Send(message);   // from the Raft loop, for each message in a Ready
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "trialledger/consensus/types.h"
#include "trialledger/sdk/tls.h"

namespace tl::raft {

struct Peer {
  uint64_t id = kNoNode;
  std::string name;     // the node name its certificate carries
  std::string address;  // host:port of its gRPC endpoint
};

class PeerTransport {
 public:
  using Receiver = std::function<void(Message)>;

  PeerTransport(uint64_t self_id, const std::vector<Peer>& peers, TlsIdentity identity,
                Receiver receiver);
  // REQUIRES: the server hosting service() has been shut down.
  ~PeerTransport();
  PeerTransport(const PeerTransport&) = delete;
  PeerTransport& operator=(const PeerTransport&) = delete;

  grpc::Service* service();
  // Queues `message` for `message.to`; drops it if that peer is unknown or its queue is full.
  void Send(const Message& message);
  // Replaces the peer set after a membership change: new peers get a sender, removed ones lose
  // theirs (and can no longer send to this node), a changed address reconnects.
  void SetPeers(const std::vector<Peer>& peers);

  uint64_t received() const { return received_; }
  uint64_t refused() const { return refused_; }  // undecodable or from the wrong node
  uint64_t dropped_sends() const { return dropped_sends_; }

 private:
  class Service;
  class StreamReader;
  class Sender;

  // True if node `from` is a known peer named in one of the certificate's `identities`.
  bool SentByCertificateHolder(uint64_t from, const std::vector<std::string>& identities) const;

  const uint64_t self_id_;
  const TlsIdentity identity_;
  const Receiver receiver_;
  mutable std::mutex peers_mutex_;
  std::map<uint64_t, Peer> peers_;  // by id, including this node; GUARDED_BY(peers_mutex_)
  std::unique_ptr<Service> service_;
  std::map<uint64_t, std::unique_ptr<Sender>> senders_;  // GUARDED_BY(peers_mutex_)
  std::atomic<uint64_t> received_{0}, refused_{0}, dropped_sends_{0};
};

}  // namespace tl::raft
